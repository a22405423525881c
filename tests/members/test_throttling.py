"""L2: limits by address on sign-in and password reset, besides the (email, address) lock-out."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-2026"


def test_one_address_failing_across_many_emails_is_stopped(api, org, maya, settings):
    settings.SIGNIN_FAILURES_PER_ADDRESS = 15
    others = [UserFactory(email=f"person{i}@example.org", organization=org) for i in range(3)]
    for person in others:  # 5 × 3 = 15 failures, under each account's own limit of 5... at the limit
        for _ in range(4):
            r = api().post("/api/v1/auth/token/", {"email": person.email, "password": "wrong"}, format="json")
            assert r.status_code == 400
    for _ in range(3):
        assert (
            api().post("/api/v1/auth/token/", {"email": "nobody@example.org", "password": "x"}, format="json").status_code == 400
        )
    # A fourth account, with the right password, from the same address: refused until the window passes.
    r = api().post("/api/v1/auth/token/", {"email": maya.email, "password": PASSWORD}, format="json")
    assert r.status_code == 429
    r = api().post("/api/v1/auth/token/", {"email": maya.email, "password": PASSWORD}, format="json", REMOTE_ADDR="10.9.8.7")
    assert r.status_code == 200  # another address is not held


def test_the_web_sign_in_is_held_by_address_too(client, org, maya, settings):
    settings.SIGNIN_FAILURES_PER_ADDRESS = 3
    for i in range(3):
        client.post("/login/", {"email": f"x{i}@example.org", "password": "nope"})
    r = client.post("/login/", {"email": maya.email, "password": PASSWORD})
    assert r.status_code == 429


def test_password_reset_emails_are_limited_but_the_page_never_tells(client, maya, settings):
    settings.PASSWORD_RESETS_PER_EMAIL = 3
    for _ in range(10):
        r = client.post("/password-reset/", {"email": maya.email})
        assert r.status_code == 302 and r["Location"].endswith("/password-reset/sent/")
    assert len(mail.outbox) == 3


def test_password_resets_are_limited_per_address(client, org, settings):
    settings.PASSWORD_RESETS_PER_ADDRESS = 4
    people = [UserFactory(email=f"p{i}@example.org", organization=org) for i in range(8)]
    for person in people:
        assert client.post("/password-reset/", {"email": person.email}).status_code == 302
    assert len(mail.outbox) == 4


def _invite_rate(settings, rate):  # type: ignore[no-untyped-def]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "invite": rate},
    }


def test_invitations_are_limited_per_address_over_the_api_and_the_page(
    api, client, sam, settings, django_capture_on_commit_callbacks
):
    _invite_rate(settings, "3/hour")
    with django_capture_on_commit_callbacks(execute=True):
        _invite_five(api, client, sam)
    assert len(mail.outbox) == 3  # one per accepted invitation, none for the refused ones


def _invite_five(api, client, sam):  # type: ignore[no-untyped-def]
    for i in range(2):
        body = {"email": f"new{i}@example.org", "display_name": f"New {i}", "role": "client"}
        assert api(sam).post("/api/v1/users/", body, format="json").status_code == 201
    client.force_login(sam)
    page = client.post("/staff/users/", {"action": "add", "email": "new2@example.org", "display_name": "New 2", "role": "client"})
    assert page.status_code == 302
    over = api(sam).post("/api/v1/users/", {"email": "new3@example.org", "display_name": "N", "role": "client"}, format="json")
    assert over.status_code == 429 and "invitations" in over.json()["detail"]
    page = client.post("/staff/users/", {"action": "add", "email": "new4@example.org", "display_name": "N4", "role": "client"})
    assert page.status_code == 429 and "Too many invitations" in page.content.decode()
    # With a password there is no invitation email, so nothing to limit.
    body = {"email": "pw@example.org", "display_name": "P", "role": "client", "password": "Sturdy-pass-2026"}
    assert api(sam).post("/api/v1/users/", body, format="json").status_code == 201
