"""Two members take the last seat at the same moment, on real PostgreSQL connections."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from groups import services
from groups.models import Enrollment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_members_race_for_the_last_seat(make_group, clients):
    group = make_group(capacity=2)
    seated, first, second = clients(3)
    services.enrollment_join(actor=seated, group=group, member=seated)
    barrier = threading.Barrier(2)
    results: dict[int, str] = {}
    errors: list[BaseException] = []

    def join(member) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            results[member.pk] = services.enrollment_join(actor=member, group=group, member=member).enrollment.status
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=join, args=(m,)) for m in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    assert sorted(results.values()) == ["enrolled", "waitlisted"]
    assert Enrollment.objects.filter(group=group, status="enrolled").count() == 2
    assert Enrollment.objects.filter(group=group, status="waitlisted").get().waitlist_seq == 1


def test_leave_and_join_at_once_never_overfills(make_group, clients):
    group = make_group(capacity=1)
    seated, waiting, newcomer = clients(3)
    services.enrollment_join(actor=seated, group=group, member=seated)
    services.enrollment_join(actor=waiting, group=group, member=waiting)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(fn) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            fn()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(lambda: services.enrollment_leave(actor=seated, group=group, member=seated),)),
        threading.Thread(target=run, args=(lambda: services.enrollment_join(actor=newcomer, group=group, member=newcomer),)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    statuses = dict(Enrollment.objects.filter(group=group).values_list("member_id", "status"))
    assert statuses[waiting.pk] == "enrolled"  # the head of the waitlist, not the newcomer, gets the seat
    assert statuses[newcomer.pk] == "waitlisted"
    assert list(statuses.values()).count("enrolled") == 1
