"""Real concurrent transactions on PostgreSQL: a double tap on "Check in" while asking for
support makes one check-in, one crisis flag and one alert per person."""

import threading

import pytest
from django.db import connection

from checkins import services
from checkins.models import CheckIn, FlagKind, RiskFlag
from members.choices import CareRole, Role
from members.models import CareTeamMember
from notifications.models import Notification
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_first_checkins_make_one_row_one_flag_one_alert():
    org = OrganizationFactory(slug="concurrent")
    member = UserFactory(role=Role.CLIENT, organization=org)
    clinician = UserFactory(role=Role.CLINICIAN, organization=org)
    CareTeamMember.objects.create(organization=org, client=member, member=clinician, role=CareRole.CLINICIAN)
    workers = 6
    barrier = threading.Barrier(workers)
    created: list[bool] = []
    errors: list[BaseException] = []

    def tap() -> None:
        try:
            barrier.wait()
            result = services.checkin_record(actor=member, client=member, mood=1, craving=8, need_support=True)
            created.append(result.created)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tap) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(created) == [False] * (workers - 1) + [True]
    assert CheckIn.objects.filter(client=member).count() == 1
    assert RiskFlag.objects.filter(client=member, kind=FlagKind.CRISIS).count() == 1
    assert Notification.objects.filter(recipient=clinician, kind="crisis_alert").count() == 1
