"""Two planners at once on PostgreSQL: the daily cap holds exactly (the advisory lock makes the
second count after the first commits)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from members.choices import Role
from notifications.models import Notification
from notifications.services import NotificationSpec, notifications_create_many
from tests.factories import OrganizationFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_planners_at_once_never_pass_the_daily_cap(settings):
    settings.NOTIFICATION_DAILY_CAP = 3
    org = OrganizationFactory(slug="cap-race")
    people = [UserFactory(role=Role.CLIENT, organization=org) for _ in range(30)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def planner(name: str) -> None:
        try:
            specs = [
                NotificationSpec(recipient_id=p.pk, kind="checkin_nudge", title="t", dedupe_key=f"{name}:{p.pk}:{i}")
                for p in people
                for i in range(3)
            ]
            with transaction.atomic():
                barrier.wait()
                notifications_create_many(specs)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    for _ in range(3):  # a few rounds: each would go past the cap without the lock
        threads = [threading.Thread(target=planner, args=(f"p{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    counts = {p.pk: Notification.objects.filter(recipient=p).count() for p in people}
    assert set(counts.values()) == {3}
