"""Races that only real PostgreSQL transactions show: two requests at once never produce a
500 or a duplicate; the database constraint decides. Where the answer may say so the loser
gets a 409; sign-up never says whether an email has an account, so every racer gets 201."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from members.choices import CareRole
from members.models import CareTeamMember, User
from members.tokens import token_issue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(n, request_fn):
    barrier = threading.Barrier(n)
    statuses = []
    lock = threading.Lock()

    def run(i):
        try:
            client = APIClient()
            barrier.wait(timeout=10)
            status = request_fn(client, i).status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(statuses)


def test_simultaneous_signups_with_one_email_make_one_account(org):
    body = {
        "organization": "riverbend",
        "email": "twin@example.org",
        "password": "Long-enough-2026",
        "display_name": "Twin",
        "timezone": "UTC",
    }

    def signup(client, i):
        return client.post(
            "/api/v1/signup/", {**body, "email": "Twin@example.org" if i % 2 else "twin@example.org"}, format="json"
        )

    statuses = race(6, signup)
    assert statuses == [201] * 6
    assert User.objects.filter(email__iexact="twin@example.org").count() == 1


def test_simultaneous_care_team_adds_make_one_membership(maya, sam, dr_reyes):
    token = token_issue(user=sam).key

    def add(client, i):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        return client.post(f"/api/v1/clients/{maya.pk}/care-team/", {"user": dr_reyes.pk, "role": "clinician"}, format="json")

    statuses = race(5, add)
    assert statuses == [201, 409, 409, 409, 409]
    assert CareTeamMember.objects.filter(client=maya, member=dr_reyes, role=CareRole.CLINICIAN).count() == 1
