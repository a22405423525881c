"""M7: once the grace period passes, a closed account's personal data is gone everywhere: the
account, her profile, what the audit trail says about her, and sign-in attempts naming her email.
The rows that record who did what stay, naming nobody."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from axes.models import AccessLog as AxesLog
from django.utils import timezone

from members import services
from members.models import AuditEvent, User
from members.tasks import accounts_erase_due

pytestmark = pytest.mark.django_db


def test_erasure_leaves_no_name_email_or_phone(api, maya, sam):
    User.objects.filter(pk=maya.pk).update(phone="+13125550123")
    maya.refresh_from_db()
    api(sam).patch(f"/api/v1/users/{maya.pk}/", {"display_name": "Maya Rivera"}, format="json")
    for _ in range(2):  # failed sign-ins: django-axes keeps her email
        api().post("/api/v1/auth/token/", {"email": maya.email, "password": "wrong"}, format="json")
    assert AccessAttempt.objects.filter(username=maya.email).exists()
    email = maya.email
    maya.refresh_from_db()
    services.account_delete(user=maya)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        accounts_erase_due()
    maya.refresh_from_db()
    assert maya.erased_at is not None and maya.display_name == "Former member" and maya.phone == ""
    assert not AccessAttempt.objects.filter(username__iexact=email).exists()
    assert not AxesLog.objects.filter(username__iexact=email).exists()
    trail = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    for secret in (email, "Maya Rivera", "+13125550123"):
        assert secret not in trail
    assert AuditEvent.objects.filter(action="user.update", target_id=maya.pk).exists()  # who did what stays


def test_nothing_is_erased_before_the_grace_period(api, maya):
    services.account_delete(user=maya)
    accounts_erase_due()
    maya.refresh_from_db()
    assert maya.erased_at is None and maya.display_name == "Maya"
