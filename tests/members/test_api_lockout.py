"""Sign-in lock-out (django-axes): 5 failures per email and address within 15 minutes lock both
the token endpoint and the web sign-in form with a 429; a success clears the count."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-2026"
TOKEN = "/api/v1/auth/token/"


def attempt(email, password, address="10.0.0.1"):
    return APIClient().post(TOKEN, {"email": email, "password": password}, format="json", REMOTE_ADDR=address)


def fail(times, email="maya@example.org", address="10.0.0.1"):
    return [attempt(email, "wrong-password-1", address).status_code for _ in range(times)]


def test_five_failures_are_400_then_even_the_right_password_is_429(maya):
    assert fail(5) == [400] * 5
    r = attempt("maya@example.org", PASSWORD)
    assert r.status_code == 429
    assert r["Content-Type"] == "application/json"
    assert "detail" in r.json()
    assert attempt("maya@example.org", "wrong-password-1").status_code == 429


def test_four_failures_do_not_lock(maya):
    assert fail(4) == [400] * 4
    assert attempt("maya@example.org", PASSWORD).status_code == 200


def test_lock_is_per_email_and_address(maya, jordan):
    fail(5)
    assert attempt("maya@example.org", PASSWORD, address="10.0.0.2").status_code == 200
    assert attempt("jordan@example.org", PASSWORD, address="10.0.0.1").status_code == 200
    assert attempt("maya@example.org", PASSWORD, address="10.0.0.1").status_code == 429


def test_email_case_and_spaces_count_as_the_same_email(maya):
    for email in ("MAYA@example.org", "Maya@Example.org", " maya@example.org", "maya@EXAMPLE.org", "maya@example.org"):
        attempt(email, "wrong-password-1")
    assert attempt("maya@example.org", PASSWORD).status_code == 429


def test_unknown_emails_lock_the_same_way(db):
    assert fail(5, email="ghost@example.org") == [400] * 5
    assert attempt("ghost@example.org", "anything-at-all").status_code == 429


def test_lock_lifts_after_15_minutes(maya):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert attempt("maya@example.org", PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert attempt("maya@example.org", PASSWORD).status_code == 200


def test_failures_older_than_15_minutes_do_not_count(maya):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(4)
    with time_machine.travel(start + timedelta(minutes=20), tick=False):
        assert fail(4) == [400] * 4
        assert attempt("maya@example.org", PASSWORD).status_code == 200


def test_a_success_resets_the_count(maya):
    fail(4)
    assert attempt("maya@example.org", PASSWORD).status_code == 200
    assert fail(4) == [400] * 4
    assert attempt("maya@example.org", PASSWORD).status_code == 200


def test_a_successful_sign_in_records_last_login(maya):
    assert maya.last_login is None
    attempt("maya@example.org", PASSWORD)
    maya.refresh_from_db()
    assert maya.last_login is not None


@pytest.fixture
def login_template(settings, tmp_path):
    """The sign-in page's look belongs to the pages; a bare form is enough to exercise the lock."""
    (tmp_path / "registration").mkdir()
    (tmp_path / "registration" / "login.html").write_text("<form>{{ form.errors }}</form>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]


def web_login(client, email, password, address="10.0.0.1"):
    return client.post("/login/", {"username": email, "email": email, "password": password}, REMOTE_ADDR=address)


def test_web_sign_in_locks_after_five_failures(client, maya, login_template):
    statuses = [web_login(client, "maya@example.org", "wrong-password-1").status_code for _ in range(5)]
    assert 429 not in statuses[:4]
    r = web_login(client, "maya@example.org", PASSWORD)
    assert r.status_code == 429
    assert "_auth_user_id" not in client.session


def test_web_and_api_failures_count_together(client, maya, login_template):
    for _ in range(3):
        web_login(client, "Maya@Example.org", "wrong-password-1")
    fail(2)
    assert attempt("maya@example.org", PASSWORD).status_code == 429


def test_web_sign_in_still_works_below_the_limit(client, maya, login_template):
    for _ in range(4):
        web_login(client, "maya@example.org", "wrong-password-1")
    r = web_login(client, "maya@example.org", PASSWORD)
    assert r.status_code == 302
    assert client.session["_auth_user_id"] == str(maya.pk)


def test_token_also_accepts_a_form_post(maya):
    r = APIClient().post(TOKEN, {"email": "maya@example.org", "password": PASSWORD}, format="multipart")
    assert r.status_code == 400  # multipart is not taken
    r = APIClient().post(
        TOKEN, "email=maya%40example.org&password=Sturdy-pass-2026", content_type="application/x-www-form-urlencoded"
    )
    assert r.status_code == 200 and r.json()["token"]


def test_form_posts_count_towards_the_lock_too(maya):
    for _ in range(5):
        APIClient().post(
            TOKEN,
            "email=maya%40example.org&password=nope-nope-nope",
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR="10.0.0.1",
        )
    assert attempt("maya@example.org", PASSWORD).status_code == 429


def test_web_lockout_page_gets_the_lock_details(client, maya, login_template, settings, tmp_path):
    (tmp_path / "registration" / "locked_out.html").write_text("locked {{ username }} {{ failure_limit }} {{ message }}")
    for _ in range(5):
        web_login(client, "maya@example.org", "wrong-password-1")
    r = web_login(client, "maya@example.org", PASSWORD)
    assert r.status_code == 429
    assert "locked maya@example.org 5 Too many failed sign-in attempts" in r.content.decode()
