"""H3 (tokens expire, each sign-in its own, all end on password change, reset and deactivation)
and two-factor sign-in (API.md "Two-factor sign-in"), through the API as a client would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import Organization

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-2026"
T0 = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def sign_in(api, email, password=PASSWORD, **extra):  # type: ignore[no-untyped-def]
    return api().post("/api/v1/auth/token/", {"email": email, "password": password, **extra}, format="json")


def with_token(api, key):  # type: ignore[no-untyped-def]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def code_for(user, at: datetime) -> str:  # type: ignore[no-untyped-def]
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(at, tick=False):
        return str(totp(device.bin_key)).zfill(6)


# --- tokens -------------------------------------------------------------------------------------


def test_each_sign_in_gets_its_own_token_with_an_expiry(api, maya):
    with time_machine.travel(T0, tick=False):
        first, second = sign_in(api, maya.email), sign_in(api, maya.email)
    assert first.status_code == second.status_code == 200
    assert first.json()["token"] != second.json()["token"]
    assert datetime.fromisoformat(first.json()["expires_at"]) == T0 + timedelta(hours=720)


@pytest.mark.parametrize(("persona", "hours"), [("maya", 720), ("jordan", 720), ("dr_reyes", 12), ("sam", 12)])
def test_tokens_stop_working_when_they_expire(api, persona, hours, request):
    user = request.getfixturevalue(persona)
    with time_machine.travel(T0, tick=False):
        key = sign_in(api, user.email).json()["token"]
    with time_machine.travel(T0 + timedelta(hours=hours) - timedelta(minutes=1), tick=False):
        assert with_token(api, key).get("/api/v1/me/").status_code == 200
    with time_machine.travel(T0 + timedelta(hours=hours, minutes=1), tick=False):
        r = with_token(api, key).get("/api/v1/me/")
        assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_logout_ends_the_token_it_was_sent_with_only(api, maya):
    phone, laptop = sign_in(api, maya.email).json()["token"], sign_in(api, maya.email).json()["token"]
    assert with_token(api, phone).post("/api/v1/auth/logout/").status_code == 204
    assert with_token(api, phone).get("/api/v1/me/").status_code == 401
    assert with_token(api, laptop).get("/api/v1/me/").status_code == 200


def test_password_change_ends_every_token_and_the_new_password_signs_in(api, maya):
    keys = [sign_in(api, maya.email).json()["token"] for _ in range(2)]
    client = with_token(api, keys[0])
    r = client.post("/api/v1/me/password/", {"current_password": "wrong", "new_password": "Another-sturdy-2027"}, format="json")
    assert r.status_code == 400 and "current_password" in r.json()
    r = client.post("/api/v1/me/password/", {"current_password": PASSWORD, "new_password": "short"}, format="json")
    assert r.status_code == 400 and "new_password" in r.json()
    r = client.post("/api/v1/me/password/", {"current_password": PASSWORD, "new_password": "Another-sturdy-2027"}, format="json")
    assert r.status_code == 204
    for key in keys:
        assert with_token(api, key).get("/api/v1/me/").status_code == 401
    assert sign_in(api, maya.email).status_code == 400
    assert sign_in(api, maya.email, "Another-sturdy-2027").status_code == 200


def test_password_change_ends_other_browser_sessions_but_keeps_this_one(api, maya, client):
    from django.test import Client

    other = Client()
    other.force_login(maya)
    client.force_login(maya)
    r = client.post(
        "/api/v1/me/password/",
        {"current_password": PASSWORD, "new_password": "Another-sturdy-2027"},
        content_type="application/json",
    )
    assert r.status_code == 204
    assert client.get("/api/v1/me/").status_code == 200
    assert other.get("/api/v1/me/").status_code in (401, 403)


def test_a_password_reset_ends_old_tokens(api, maya):
    """The reset page (and an admin) set the password through set_password: tokens remember the old hash."""
    key = sign_in(api, maya.email).json()["token"]
    maya.set_password("Reset-by-email-2027")
    maya.save()
    assert with_token(api, key).get("/api/v1/me/").status_code == 401


def test_deactivation_by_staff_ends_tokens(api, maya, sam):
    key = sign_in(api, maya.email).json()["token"]
    assert api(sam).patch(f"/api/v1/users/{maya.pk}/", {"is_active": False}, format="json").status_code == 200
    assert with_token(api, key).get("/api/v1/me/").status_code == 401


def test_a_forged_token_is_401(api, maya):
    assert with_token(api, "0" * 40).get("/api/v1/me/").status_code == 401


# --- two-factor sign-in -----------------------------------------------------------------------------


def enrol(api, user, at=T0):  # type: ignore[no-untyped-def]
    client = api(user)
    with time_machine.travel(at, tick=False):
        r = client.post("/api/v1/me/two-factor/")
    assert r.status_code == 201
    assert r.json()["otpauth_url"].startswith("otpauth://totp/") and len(r.json()["secret"]) >= 16
    with time_machine.travel(at, tick=False):
        r = client.post("/api/v1/me/two-factor/confirm/", {"code": code_for(user, at)}, format="json")
    assert r.status_code == 200, r.content
    codes = r.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    return codes


def test_a_wrong_confirmation_code_is_400_and_leaves_two_factor_off(api, maya):
    client = api(maya)
    client.post("/api/v1/me/two-factor/")
    r = client.post("/api/v1/me/two-factor/confirm/", {"code": "000000"}, format="json")
    r2 = client.post("/api/v1/me/two-factor/confirm/", {"code": "not a code"}, format="json")
    assert r.status_code == r2.status_code == 400 and "code" in r.json()
    assert sign_in(api, maya.email).status_code == 200  # still signs in without a code


def test_after_enrolment_sign_in_needs_a_code(api, maya):
    codes = enrol(api, maya)
    later = T0 + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        r = sign_in(api, maya.email)
        assert r.status_code == 400 and "otp" in r.json()
        r = sign_in(api, maya.email, otp="123456" if code_for(maya, later) != "123456" else "654321")
        assert r.status_code == 400 and "otp" in r.json()
    # django-otp slows down guessing: after a wrong code the next try must wait a moment.
    retry = later + timedelta(seconds=5)
    with time_machine.travel(retry, tick=False):
        r = sign_in(api, maya.email, otp=code_for(maya, retry))
        assert r.status_code == 200 and r.json()["token"]
    # A recovery code works once.
    with time_machine.travel(retry + timedelta(minutes=1), tick=False):
        assert sign_in(api, maya.email, otp=codes[0]).status_code == 200
        assert sign_in(api, maya.email, otp=codes[0]).status_code == 400
    with time_machine.travel(retry + timedelta(minutes=2), tick=False):
        assert sign_in(api, maya.email, otp=codes[1].upper()).status_code == 200


def test_wrong_codes_count_toward_the_lock_out(api, maya):
    enrol(api, maya)
    for _ in range(5):
        assert sign_in(api, maya.email, otp="wrong-code").status_code == 400
    assert sign_in(api, maya.email, otp="wrong-code").status_code == 429


def test_turning_two_factor_off_needs_a_code(api, maya):
    codes = enrol(api, maya)
    client = api(maya)
    assert client.delete("/api/v1/me/two-factor/", {"code": "nope"}, format="json").status_code == 400
    assert client.delete("/api/v1/me/two-factor/", {"code": codes[2]}, format="json").status_code == 204
    assert sign_in(api, maya.email).status_code == 200


def test_staff_of_a_program_that_requires_it_cannot_turn_it_off_or_work_without_it(api, org, sam):
    Organization.objects.filter(pk=org.pk).update(require_two_factor=True)
    key = sign_in(api, sam.email).json()["token"]
    client = with_token(api, key)
    r = client.get("/api/v1/users/")
    assert r.status_code == 403 and "two-factor" in r.json()["detail"]
    assert client.get("/api/v1/me/").status_code == 403
    codes = enrol(api, sam)
    assert client.get("/api/v1/users/").status_code == 200
    r = client.delete("/api/v1/me/two-factor/", {"code": codes[0]}, format="json")
    assert r.status_code == 403


def test_members_of_a_program_that_requires_it_are_not_held(api, org, maya):
    Organization.objects.filter(pk=org.pk).update(require_two_factor=True)
    assert api(maya).get("/api/v1/me/").status_code == 200


def test_a_staff_browser_session_is_sent_to_enrol(org, sam, client):
    Organization.objects.filter(pk=org.pk).update(require_two_factor=True)
    client.force_login(sam)
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].endswith("/account/two-factor/")
    assert client.get("/api/v1/users/").status_code == 403


def test_create_organization_can_require_two_factor(db):
    call_command(
        "create_organization", "secure", "--name", "Secure Program", "--admin-email", "a@secure.test",
        "--admin-password", "Sturdy-pass-2026", "--require-2fa",
    )  # fmt: skip
    assert Organization.objects.get(slug="secure").require_two_factor is True


def test_web_sign_in_asks_for_the_code_once_two_factor_is_on(api, maya, client):
    enrol(api, maya)
    at = T0 + timedelta(minutes=10)
    with time_machine.travel(at, tick=False):
        r = client.post("/login/", {"email": maya.email, "password": PASSWORD})
        assert r.status_code == 200 and "Enter the 6-digit code" in r.content.decode()
        r = client.post("/login/", {"email": maya.email, "password": PASSWORD, "otp": code_for(maya, at)})
        assert r.status_code == 302
    assert client.get("/api/v1/me/").status_code == 200


def test_the_two_factor_page_sets_up_and_shows_recovery_codes_once(maya, client):
    client.force_login(maya)
    page = client.get("/account/two-factor/").content.decode()
    assert "Set up two-factor sign-in" in page
    with time_machine.travel(T0, tick=False):
        page = client.post("/account/two-factor/", {"action": "start"}).content.decode()
        assert "otpauth://totp/" in page
        page = client.post("/account/two-factor/", {"action": "confirm", "code": "000000"}).content.decode()
        assert "That code is not right" in page
    with time_machine.travel(T0 + timedelta(seconds=40), tick=False):
        r = client.post("/account/two-factor/", {"action": "confirm", "code": code_for(maya, T0 + timedelta(seconds=40))})
    assert "Your recovery codes" in r.content.decode()
    assert "Two-factor sign-in is on" in client.get("/account/two-factor/").content.decode()
    # Reachable from the account page.
    assert 'href="/account/two-factor/"' in client.get("/profile/").content.decode()


def test_staff_turn_the_program_requirement_on_from_the_page(org, sam, client):
    client.force_login(sam)
    client.post("/account/two-factor/", {"action": "require", "require": "on"})
    org.refresh_from_db()
    assert org.require_two_factor is True
