"""'Missed two sessions in a row': the hourly planner opens the flag once, per organization,
and recording the member present (or late) again closes it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from checkins.models import RiskFlag
from groups import services
from groups.models import Session
from groups.tasks import missed_sessions_flags_plan
from members.models import ConsentGrant
from notifications.models import Notification
from tests.groups.conftest import NOW, group_data

pytestmark = pytest.mark.django_db


def record(actor, group, index, marks):  # type: ignore[no-untyped-def]
    session = list(Session.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("starts_at"))[index]
    services.attendance_record(actor=actor, session=session, entries=[{"member": m.pk, "status": s} for m, s in marks])


def open_flags():  # type: ignore[no-untyped-def]
    return RiskFlag.objects.filter(kind="missed_2_sessions", resolved_at__isnull=True)


def test_flag_opens_once_and_resolves_when_member_comes_back(frozen, make_group, care_team, maya, jordan, dr_reyes, clients):
    # Maya shares her check-in detail with Jordan, so her flags (and the notice) reach him.
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=jordan, scopes=["checkin_detail"])
    group = make_group()
    other = clients(1)[0]
    for person in (maya, other):
        services.enrollment_join(actor=person, group=group, member=person)
    frozen.move_to(NOW + timedelta(days=8))  # Tue 20 and Tue 27 Oct are past
    record(dr_reyes, group, 0, [(maya, "absent"), (other, "present")])
    record(dr_reyes, group, 1, [(maya, "absent"), (other, "absent")])
    assert missed_sessions_flags_plan() == 1
    assert missed_sessions_flags_plan() == 0
    assert list(open_flags().values_list("client_id", flat=True)) == [maya.pk]
    # Her mentor hears once.
    assert Notification.objects.filter(recipient=jordan, kind="disengagement").count() == 1
    frozen.move_to(NOW + timedelta(days=15))
    record(jordan, group, 2, [(maya, "late")])
    assert not open_flags().exists()
    assert RiskFlag.objects.get(client=maya).resolution_note == "Attended a session again."
    assert missed_sessions_flags_plan() == 0


def test_each_organization_flags_only_its_own_members(frozen, make_group, maya, dr_reyes, priya, dr_kim):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    data = group_data(name="Harbor circle", facilitators=[dr_kim.pk])
    harbor_group = services.group_create(actor=dr_kim, data=data)
    services.enrollment_join(actor=priya, group=harbor_group, member=priya)
    frozen.move_to(NOW + timedelta(days=8))
    record(dr_reyes, group, 0, [(maya, "absent")])
    record(dr_reyes, group, 1, [(maya, "present")])
    record(dr_kim, harbor_group, 0, [(priya, "absent")])
    record(dr_kim, harbor_group, 1, [(priya, "absent")])
    assert missed_sessions_flags_plan() == 1
    flag = open_flags().get()
    assert (flag.client_id, flag.organization_id) == (priya.pk, priya.organization_id)
    # Recording Maya present in her program leaves Priya's flag alone.
    record(dr_reyes, group, 1, [(maya, "present")])
    assert open_flags().count() == 1
