"""A kind's bare line (what email and SMS may say) is stored in each recipient's own language."""

from __future__ import annotations

import pytest

from checkins.scopes import CHECKIN_NUDGE
from notifications.models import Notification
from notifications.services import NotificationSpec, notifications_create_many

pytestmark = pytest.mark.django_db


def test_the_bare_line_is_in_each_recipients_language(maya, omar):
    maya.language = "es"
    maya.save()
    notifications_create_many(
        [
            NotificationSpec(recipient_id=maya.pk, kind=CHECKIN_NUDGE, title="t", dedupe_key="a"),
            NotificationSpec(recipient_id=omar.pk, kind=CHECKIN_NUDGE, title="t", dedupe_key="b"),
        ]
    )
    assert Notification.objects.get(recipient=maya).outside_text == "Tu registro diario te espera en Kinship."
    assert Notification.objects.get(recipient=omar).outside_text == "Your daily check-in is waiting in Kinship."
