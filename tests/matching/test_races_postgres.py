"""Integrity under real concurrency (PostgreSQL): threads with their own connections start at
the same instant through a barrier, and the database decides."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from common.errors import Conflict
from matching import services
from matching.models import Match, MatchRequest
from members.choices import Role
from members.models import ClientProfile
from tests.factories import UserFactory
from tests.matching.conftest import make_mentor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 5


def run_together(*fns):
    """Run fns in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(fns))
    results: list[object] = [None] * len(fns)

    def worker(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # the outcome is what we assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(fns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def new_client(org, n):
    client = UserFactory(email=f"racer{n}@example.org", role=Role.CLIENT, organization=org)
    ClientProfile.objects.filter(user=client).update(languages=["en"], goal="abstinence", formats=["video"])
    client.refresh_from_db()
    return client


def test_two_clients_choose_the_last_place_at_the_same_instant(org):
    for r in range(ROUNDS):
        mentor = make_mentor(org, f"Last{r}", capacity=1)
        a, b = new_client(org, f"{r}a"), new_client(org, f"{r}b")
        req_a = services.match_request_create(client=a)
        req_b = services.match_request_create(client=b)
        results = run_together(
            lambda a=a, req_a=req_a, m=mentor: services.match_choose(client=a, request=req_a, mentor_id=m.pk),
            lambda b=b, req_b=req_b, m=mentor: services.match_choose(client=b, request=req_b, mentor_id=m.pk),
        )
        wins = [x for x in results if isinstance(x, Match)]
        conflicts = [x for x in results if isinstance(x, Conflict)]
        assert len(wins) == 1 and len(conflicts) == 1, results
        assert Match.objects.filter(mentor=mentor, status__in=["proposed", "active"]).count() == 1


def test_same_client_two_simultaneous_requests(org):
    for r in range(ROUNDS):
        client = new_client(org, f"req{r}")
        results = run_together(
            lambda c=client: services.match_request_create(client=c),
            lambda c=client: services.match_request_create(client=c),
        )
        assert sum(isinstance(x, MatchRequest) for x in results) == 1, results
        assert sum(isinstance(x, Conflict) for x in results) == 1, results
        assert MatchRequest.objects.filter(client=client, status="open").count() == 1


def test_same_client_two_simultaneous_choices(org):
    for r in range(ROUNDS):
        client = new_client(org, f"ch{r}")
        m1, m2 = make_mentor(org, f"One{r}"), make_mentor(org, f"Two{r}")
        req = services.match_request_create(client=client)
        results = run_together(
            lambda c=client, q=req, m=m1: services.match_choose(client=c, request=q, mentor_id=m.pk),
            lambda c=client, q=req, m=m2: services.match_choose(client=c, request=q, mentor_id=m.pk),
        )
        assert sum(isinstance(x, Match) for x in results) == 1, results
        assert sum(isinstance(x, Conflict) for x in results) == 1, results
        assert Match.objects.filter(client=client, status__in=["proposed", "active"]).count() == 1


def test_the_database_itself_refuses_a_second_open_match(org):
    from django.db import IntegrityError, transaction

    client = new_client(org, "db")
    m1, m2 = make_mentor(org, "DbOne"), make_mentor(org, "DbTwo")
    Match.objects.create(organization=org, client=client, mentor=m1, status="proposed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(organization=org, client=client, mentor=m2, status="active")
    MatchRequest.objects.create(organization=org, client=client)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchRequest.objects.create(organization=org, client=client)
