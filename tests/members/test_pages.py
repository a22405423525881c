"""The members pages, as the personas use them: each page renders for the right role, an
outsider (another program) gets 404, form errors are shown next to the field, and a POST has
the effect a member would notice."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from members.choices import Role, VettingStatus
from members.models import AccessLog, AuditEvent, ClientProfile, ConsentGrant, MentorProfile, User
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-2026"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):  # type: ignore[no-untyped-def]
    # PBKDF2 makes every persona cost a tenth of a second; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def browse(client):  # type: ignore[no-untyped-def]
    """browse(user) -> the Django test client signed in as that user (a browser session)."""

    def make(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return make


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", response.content.decode())


# --- landing, sign in, lockout, sign out ---------------------------------------------------


def test_landing_says_who_kinship_is_for_and_welcomes_every_goal(client):
    r = client.get("/")
    assert r.status_code == 200
    body = text(r)
    for words in ("Peer mentors", "Clinicians", "Families", "Members in recovery", "privacy promise"):
        assert words in body
    for goal in ("Not using at all", "Using less, more safely", "Still deciding"):
        assert goal in body


def test_sign_in_with_the_form_goes_home(client, maya):
    ClientProfile.objects.filter(user=maya).update(onboarded_at=timezone.now())  # (half-way: see below)
    r = client.get("/login/")
    assert r.status_code == 200
    assert 'for="id_email">Email<' in r.content.decode()
    assert 'for="id_password">Password<' in r.content.decode()
    r = client.post("/login/", {"email": "MAYA@example.org", "password": PASSWORD})
    assert r.status_code == 302 and r.url == "/home/"
    assert "Hello, Maya" in text(client.get("/home/"))


def test_wrong_password_says_so_without_revealing_the_account(client, maya):
    r1 = client.post("/login/", {"email": "maya@example.org", "password": "wrong-password"})
    r2 = client.post("/login/", {"email": "nobody@example.org", "password": "wrong-password"})
    assert r1.status_code == r2.status_code == 200
    assert "The email or password is not right." in text(r1)
    assert "The email or password is not right." in text(r2)


def test_five_failures_show_the_friendly_lockout_page(client, maya):
    for _ in range(5):
        client.post("/login/", {"email": "maya@example.org", "password": "wrong-password"})
    r = client.post("/login/", {"email": "maya@example.org", "password": PASSWORD})
    assert r.status_code == 429
    assert "Sign-in is paused" in text(r) and "15 minutes" in text(r)
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post(browse, maya):
    c = browse(maya)
    r = c.get("/logout/")
    assert r.status_code == 200 and "Sign out?" in text(r)
    assert "_auth_user_id" in c.session
    r = c.post("/logout/")
    assert r.status_code == 302 and r.url == "/"
    assert "_auth_user_id" not in c.session


def test_pages_ask_anonymous_visitors_to_sign_in(client, maya):
    for url in (
        "/home/",
        "/profile/",
        "/privacy/",
        "/onboarding/1/",
        "/clients/",
        "/staff/users/",
        "/notifications/",
        "/account/export/",
    ):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith("/login/?next="), url


# --- sign up and invitations ---------------------------------------------------------------

SIGNUP = {
    "organization": "riverbend",
    "display_name": "Ren",
    "email": "ren@example.org",
    "password": "Long-enough-2026",
    "timezone": "America/Chicago",
}


def test_sign_up_creates_a_member_and_starts_onboarding(client, org):
    r = client.get("/signup/?org=riverbend")
    assert r.status_code == 200 and 'value="riverbend"' in r.content.decode()
    r = client.post("/signup/", SIGNUP)
    # The same next page for a taken email (M6): sign in, with the email filled in, then onboarding.
    assert r.status_code == 302 and r.url.startswith("/login/?") and "next=%2Fonboarding%2F1%2F" in r.url
    user = User.objects.get(email="ren@example.org")
    assert user.role == Role.CLIENT and user.organization == org and user.timezone == "America/Chicago"
    assert ClientProfile.objects.filter(user=user).exists()
    page = client.get(r.url)
    assert 'value="ren@example.org"' in page.content.decode() and "Your account is ready" in text(page)
    r = client.post(r.url, {"email": SIGNUP["email"], "password": SIGNUP["password"], "next": "/onboarding/1/"})
    assert r.status_code == 302 and r.url == "/onboarding/1/"
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"organization": "nowhere"}, "organization", "You can&#x27;t join this program online with this code."),
        ({"password": "short"}, "password", "This password is too short."),
        ({"timezone": "Mars/Olympus"}, "timezone", "is not a known IANA time zone"),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"display_name": "x" * 81}, "display_name", "Ensure this field has no more than 80 characters."),
        ({"display_name": ""}, "display_name", "This field is required."),
    ],
)
def test_sign_up_shows_errors_next_to_the_field(client, org, change, field, message):
    r = client.post("/signup/", {**SIGNUP, **change})
    assert r.status_code == 200
    body = text(r)
    assert f'id="id_{field}_error"' in body
    assert message in body
    assert not User.objects.filter(email=SIGNUP["email"]).exists() or field == "email"


def test_an_invalid_field_points_to_its_error_message(client, org):
    body = client.post("/signup/", {**SIGNUP, "email": "nope"}).content.decode()
    tag = re.search(r'<input[^>]*id="id_email"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in tag and 'aria-describedby="id_email_error"' in tag
    assert 'id="id_email_error"' in body


def test_sign_up_with_a_taken_email_answers_like_a_new_one(client, org, maya):
    new = client.post("/signup/", SIGNUP)
    taken = client.post("/signup/", {**SIGNUP, "email": "maya@example.org"})
    assert taken.status_code == new.status_code == 302
    assert taken.url.split("?")[0] == new.url.split("?")[0]
    assert "already exists" not in text(client.get(taken.url))


def test_sign_up_to_a_program_without_self_signup_asks_for_an_invitation(client, org):
    org.allow_self_signup = False
    org.save()
    r = client.post("/signup/", SIGNUP)
    assert r.status_code == 200
    assert "ask them for an invitation" in text(r)
    assert not User.objects.filter(email="ren@example.org").exists()


def test_an_invitation_link_lets_the_person_choose_a_password(client, org, sam):
    c = client
    c.force_login(sam)
    r = c.post("/staff/users/", {"action": "add", "display_name": "Nia", "email": "nia@example.org", "role": "mentor"})
    assert r.status_code == 302
    nia = User.objects.get(email="nia@example.org")
    assert nia.role == Role.MENTOR and not nia.has_usable_password()
    assert Notification.objects.filter(recipient=nia, kind="invite", title__contains="invited you").exists()
    c.logout()
    uid = urlsafe_base64_encode(force_bytes(nia.pk))
    token = default_token_generator.make_token(nia)
    r = c.get(f"/reset/{uid}/{token}/", follow=True)
    assert "Choose your password" in text(r)
    r = c.post(r.redirect_chain[-1][0], {"new_password1": "Nia-mentor-2026", "new_password2": "Nia-mentor-2026"})
    assert r.status_code == 302 and r.url == "/reset/done/"
    assert c.post("/login/", {"email": "nia@example.org", "password": "Nia-mentor-2026"}).status_code == 302


def test_password_reset_pages_render(client, maya):
    assert "Reset your password" in text(client.get("/password-reset/"))
    r = client.post("/password-reset/", {"email": "maya@example.org"})
    assert r.status_code == 302 and r.url == "/password-reset/sent/"
    assert "Check your email" in text(client.get(r.url))
    assert mail.outbox and "/reset/" in mail.outbox[-1].body
    assert "This link has expired" in text(client.get("/reset/MQ/bad-token/", follow=True))


# --- home -----------------------------------------------------------------------------------


def test_home_is_role_aware(browse, care_team, jordan, dr_reyes, sam, lee):
    body = text(browse(care_team).get("/home/"))
    assert "Next steps" in body and "Your care team" in body and "Dr. Ana Reyes" in body
    assert "Finish setting up" in body  # Maya has not onboarded yet
    body = text(browse(jordan).get("/home/"))
    assert "people you support now" in body and "Edit my mentor profile" in body
    assert "Maya" in body and "shares nothing with you right now" in body  # no grant yet
    assert f'href="/clients/{care_team.pk}/"' in body  # her page opens with the limited view (API.md)
    body = text(browse(dr_reyes).get("/home/"))
    assert "members on your caseload" in body and f'href="/clients/{care_team.pk}/"' in body
    assert AccessLog.objects.filter(client=care_team, actor=dr_reyes, resource="summary").count() == 1
    body = text(browse(sam).get("/home/"))
    assert "People &amp; vetting" in body and "mentors waiting for vetting" in body
    body = text(browse(lee).get("/home/", follow=True))  # family land on their own home (issue 10)
    assert "The people you support" in body and "Your own recovery" in body


# --- onboarding -----------------------------------------------------------------------------


def test_onboarding_walks_five_steps_and_saves_each(browse, maya):
    c = browse(maya)
    r = c.get("/onboarding/")
    assert r.status_code == 302 and r.url == "/onboarding/1/"
    r = c.get("/onboarding/1/")
    assert "Step 1 of 5" in text(r) and 'aria-current="step"' in text(r)
    for goal_label in ("Not using at all", "Using less, more safely", "Still deciding"):
        assert goal_label in text(r)
    assert c.post("/onboarding/1/", {"goal": "abstinence"}).url == "/onboarding/2/"
    assert c.post("/onboarding/2/", {"pathways": ["twelve_step", "moud"], "languages": ["es"], "other_languages": "pl"}).url == (
        "/onboarding/3/"
    )
    assert (
        c.post("/onboarding/3/", {"formats": ["in_person"], "availability": ["2:evening", "6:morning"]}).url == "/onboarding/4/"
    )
    r = c.post(
        "/onboarding/4/",
        {"working_toward": "Coaching my son's team", "experience_tags": ["parent"], "mentor_gender": "woman"},
    )
    assert r.url == "/onboarding/5/"
    r = c.post("/onboarding/5/", {"treatment_consent": "on"})
    assert r.url == "/profile/"
    profile = ClientProfile.objects.get(user=maya)
    assert profile.goal == "abstinence"
    assert profile.pathways == ["twelve_step", "moud"]
    assert profile.languages == ["es", "pl"]
    assert profile.formats == ["in_person"]
    assert profile.availability == [{"day": 2, "start": "18:00", "end": "21:00"}, {"day": 6, "start": "09:00", "end": "12:00"}]
    assert profile.working_toward == "Coaching my son's team"
    assert profile.mentor_gender == "woman"
    assert profile.treatment_consent and profile.onboarded_at is not None
    assert AuditEvent.objects.filter(action="client_profile.update", client=maya).count() == 5
    body = text(c.get("/profile/"))
    for shown in (
        "Not using at all",
        "12-step",
        "Medication-supported (MOUD)",
        "Spanish",
        "In person",
        "Tuesday 18:00–21:00",
        "Coaching my son",
    ):
        assert shown in body


def test_after_onboarding_a_step_is_an_edit_that_returns_to_the_profile(browse, maya):
    ClientProfile.objects.filter(user=maya).update(onboarded_at=timezone.now())
    c = browse(maya)
    assert "Change your answer" in text(c.get("/onboarding/1/"))
    r = c.post("/onboarding/1/", {"goal": "abstinence"})
    assert r.status_code == 302 and r.url == "/profile/"
    assert ClientProfile.objects.get(user=maya).goal == "abstinence"


def test_onboarding_back_shows_the_saved_answer(browse, maya):
    c = browse(maya)
    c.post("/onboarding/1/", {"goal": "undecided"})
    r = c.get("/onboarding/1/")
    assert re.search(r'value="undecided"[^>]*checked', r.content.decode())
    assert 'href="/onboarding/1/"' in c.get("/onboarding/2/").content.decode()  # the Back button


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (1, {}, "This field is required."),
        (1, {"goal": "sobriety"}, "“sobriety” is not a valid choice."),
        (2, {"pathways": ["astrology"], "languages": ["en"]}, "“astrology” is not a valid choice."),
        (2, {"languages": [], "other_languages": "xx"}, "We don&#x27;t know the language “xx”. Write its name"),
        (2, {}, "Choose at least one language."),
        (3, {"availability": ["1:evening"]}, "Choose at least one way to connect."),
        (3, {"formats": ["video"], "availability": ["9:evening"]}, "“9:evening” is not a valid choice."),
        (4, {"working_toward": "x" * 1001, "mentor_gender": "any"}, "Ensure this field has no more than 1000 characters."),
    ],
)
def test_onboarding_shows_validation_errors(browse, maya, step, data, message):
    r = browse(maya).post(f"/onboarding/{step}/", data)
    assert r.status_code == 200
    assert message in text(r)
    assert "Please check the highlighted answers below." in text(r)
    assert ClientProfile.objects.get(user=maya).onboarded_at is None


def test_onboarding_is_for_members_only(browse, jordan, maya):
    assert browse(jordan).get("/onboarding/1/").status_code == 403
    assert browse(maya).get("/onboarding/9/").status_code == 404


def test_onboarding_keeps_times_that_match_no_block(browse, maya):
    ClientProfile.objects.filter(user=maya).update(availability=[{"day": 1, "start": "07:00", "end": "08:00"}])
    c = browse(maya)
    assert "Monday 07:00–08:00" in text(c.get("/onboarding/3/"))
    c.post("/onboarding/3/", {"formats": ["video"], "availability": ["3:afternoon"]})
    assert ClientProfile.objects.get(user=maya).availability == [
        {"day": 1, "start": "07:00", "end": "08:00"},
        {"day": 3, "start": "12:00", "end": "17:00"},
    ]


# --- profile ------------------------------------------------------------------------------


def test_client_profile_account_form_saves_and_validates(browse, maya):
    c = browse(maya)
    r = c.post(
        "/profile/", {"form": "account", "display_name": "Maya R.", "pronouns": "she/her", "phone": "", "timezone": "Mars/Base"}
    )
    assert "is not a known IANA time zone" in text(r)
    r = c.post(
        "/profile/",
        {"form": "account", "display_name": "Maya R.", "pronouns": "she/her", "phone": "12", "timezone": "America/Denver"},
    )
    assert "Enter the phone number in international form" in text(r)
    r = c.post(
        "/profile/",
        {"form": "account", "display_name": "Maya R.", "pronouns": "she/her", "phone": "", "timezone": "America/Denver"},
    )
    assert r.status_code == 302
    maya.refresh_from_db()
    assert maya.display_name == "Maya R." and maya.timezone == "America/Denver"


def test_mentor_edits_the_lived_experience_profile(browse, jordan):
    c = browse(jordan)
    r = c.get("/profile/")
    assert r.status_code == 200 and "My mentor profile" in text(r) and "Approved" in text(r)
    r = c.post(
        "/profile/",
        {
            "form": "mentor",
            "bio": "Six years through SMART.",
            "years_in_recovery": "6",
            "pathways": ["smart", "harm_reduction"],
            "supports_harm_reduction": "on",
            "languages": ["en", "es"],
            "gender": "man",
            "formats": ["video", "phone"],
            "availability": ["1:evening", "4:evening"],
            "capacity": "4",
            "experience_tags": ["parent"],
            "certification": "CPRS",
        },
    )
    assert r.status_code == 302
    mentor = MentorProfile.objects.get(user=jordan)
    assert mentor.bio == "Six years through SMART." and mentor.capacity == 4 and mentor.supports_harm_reduction
    assert mentor.pathways == ["smart", "harm_reduction"] and mentor.languages == ["en", "es"]
    assert mentor.availability == [{"day": 1, "start": "18:00", "end": "21:00"}, {"day": 4, "start": "18:00", "end": "21:00"}]
    assert mentor.status == VettingStatus.APPROVED  # not editable by the mentor


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capacity": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"capacity": "31"}, "Ensure this value is less than or equal to 30."),
        ({"capacity": "many"}, "A valid integer is required."),
        ({"bio": "x" * 2001}, "Ensure this field has no more than 2000 characters."),
        ({"pathways": ["nope"]}, "“nope” is not a valid choice."),
    ],
)
def test_mentor_profile_errors(browse, jordan, change, message):
    data = {"form": "mentor", "years_in_recovery": "6", "gender": "man", "capacity": "3", **change}
    r = browse(jordan).post("/profile/", data)
    assert r.status_code == 200 and message in text(r)


def test_clinicians_staff_and_family_get_an_account_page(browse, dr_reyes, sam, lee):
    for person in (dr_reyes, sam, lee):
        r = browse(person).get("/profile/")
        assert r.status_code == 200 and "Your account" in text(r) and "Your answers" not in text(r)
    r = browse(dr_reyes).post(
        "/profile/",
        {"form": "account", "display_name": "Dr. Ana Reyes", "pronouns": "", "phone": "", "timezone": "America/Denver"},
    )
    assert r.status_code == 302
    dr_reyes.refresh_from_db()
    assert dr_reyes.timezone == "America/Denver"


def test_download_my_data(browse, maya):
    r = browse(maya).get("/account/export/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    data = r.json()
    assert data["account"]["email"] == "maya@example.org"


def test_close_my_account_needs_confirmation_then_signs_out(browse, care_team, jordan):
    grant = ConsentGrant.objects.create(
        organization=care_team.organization, client=care_team, grantee=jordan, scopes=["attendance"]
    )
    c = browse(care_team)
    r = c.post("/account/close/", follow=True)
    assert "Tick the box" in text(r)
    care_team.refresh_from_db()
    assert care_team.is_active
    r = c.post("/account/close/", {"confirm": "yes"})
    assert r.status_code == 302 and r.url == "/"
    care_team.refresh_from_db()
    grant.refresh_from_db()
    assert not care_team.is_active and care_team.erasure_due_at is not None and grant.revoked_at is not None
    assert "_auth_user_id" not in c.session


def test_mentors_and_staff_cannot_close_their_own_account_here(browse, jordan, sam):
    assert browse(jordan).post("/account/close/", {"confirm": "yes"}).status_code == 403
    assert browse(sam).post("/account/close/", {"confirm": "yes"}).status_code == 403
    jordan.refresh_from_db()
    assert jordan.is_active


# --- privacy: consent and access log --------------------------------------------------------


def test_privacy_page_lists_the_care_team_and_grants_consent(browse, care_team, jordan):
    c = browse(care_team)
    r = c.get("/privacy/")
    assert r.status_code == 200
    body = text(r)
    assert "Jordan" in body and "Dr. Ana Reyes" in body and "Lee" in body
    assert "Sees your records under your treatment consent." in body
    for scope_label in ("Check-in summary", "Questionnaire results", "Group attendance"):
        assert scope_label in body
    r = c.post("/privacy/", {"grantee": jordan.pk, "scopes": ["checkin_summary", "attendance"], "signature": "Maya"})
    assert r.status_code == 302
    grant = ConsentGrant.objects.get(client=care_team, grantee=jordan)
    assert grant.scopes == ["attendance", "checkin_summary"] and grant.is_active()
    assert "Group attendance" in text(c.get("/privacy/"))


def test_consent_with_an_end_date_ends_that_day_in_the_members_zone(browse, care_team, jordan):
    day = (timezone.now() + timedelta(days=10)).date()
    browse(care_team).post(
        "/privacy/", {"grantee": jordan.pk, "scopes": ["attendance"], "expires_at": day.isoformat(), "signature": "Maya"}
    )
    grant = ConsentGrant.objects.get(client=care_team, grantee=jordan)
    local = grant.expires_at.astimezone(__import__("zoneinfo").ZoneInfo(care_team.timezone))
    assert local.date() == day and local.hour == 23


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"scopes": ["attendance"]}, "grantee", "This field is required."),
        ({"grantee": "JORDAN", "scopes": ["attendance"]}, "grantee", "is not a valid choice"),
        ({"grantee": "JORDAN_ID", "scopes": []}, "scopes", "This field is required."),
        ({"grantee": "JORDAN_ID", "scopes": ["diary"]}, "scopes", "“diary” is not a valid choice."),
        (
            {"grantee": "JORDAN_ID", "scopes": ["attendance"], "expires_at": "2001-01-01"},
            "expires_at",
            "The end date must be in the future.",
        ),
        ({"grantee": "JORDAN_ID", "scopes": ["attendance"], "expires_at": "soon"}, "expires_at", "Enter a date like 2026-12-31."),
        # H1: a far-future end date is refused next to the field, so every consent can be revoked and exported.
        ({"grantee": "JORDAN_ID", "scopes": ["attendance"], "expires_at": "9999-12-31"}, "expires_at", "at most 3 years"),
        ({"grantee": "JORDAN_ID", "scopes": ["attendance"], "signature": ""}, "signature", "This field is required."),
    ],
)
def test_consent_form_errors(browse, care_team, jordan, data, field, message):
    data = {"signature": "Maya", **{k: (jordan.pk if v == "JORDAN_ID" else v) for k, v in data.items()}}
    r = browse(care_team).post("/privacy/", data)
    assert r.status_code == 200
    assert f'id="id_{field}_error"' in text(r) and message in text(r)
    assert not ConsentGrant.objects.filter(client=care_team, grantee=jordan).exists()


def test_someone_not_on_the_care_team_cannot_be_chosen(browse, care_team, org):
    stranger = UserFactory(role=Role.MENTOR, organization=org)
    r = browse(care_team).post("/privacy/", {"grantee": stranger.pk, "scopes": ["attendance"]})
    assert "is not a valid choice" in text(r)
    assert not ConsentGrant.objects.filter(grantee=stranger).exists()


def test_revoke_ends_access_at_once(browse, client, care_team, jordan):
    grant = ConsentGrant.objects.create(
        organization=care_team.organization, client=care_team, grantee=jordan, scopes=["attendance"]
    )
    ClientProfile.objects.filter(user=care_team).update(working_toward="Weekends with my kids")
    client.force_login(jordan)
    body = text(client.get(f"/clients/{care_team.pk}/"))
    assert "Group attendance" in body and "Weekends with my kids" in body
    client.force_login(care_team)
    assert client.get(f"/privacy/revoke/{grant.pk}/").status_code == 405  # a link cannot revoke
    r = client.post(f"/privacy/revoke/{grant.pk}/")
    assert r.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    client.force_login(jordan)
    r = client.get(f"/clients/{care_team.pk}/")
    # What was shared is gone at once: the page shows only the limited view (API.md).
    assert r.status_code == 200
    body = text(r)
    assert "Group attendance" not in body and "Weekends with my kids" not in body and "Dr. Ana Reyes" not in body
    assert "shares nothing with you right now" in text(client.get("/clients/"))


def test_revoking_someone_elses_consent_is_404(browse, care_team, jordan, priya, org):
    other = UserFactory(role=Role.CLIENT, organization=org)
    grant = ConsentGrant.objects.create(
        organization=care_team.organization, client=care_team, grantee=jordan, scopes=["attendance"]
    )
    assert browse(other).post(f"/privacy/revoke/{grant.pk}/").status_code == 404
    assert browse(priya).post(f"/privacy/revoke/{grant.pk}/").status_code == 404
    grant.refresh_from_db()
    assert grant.revoked_at is None


def test_access_log_shows_who_read_what_and_is_paginated(browse, client, care_team, jordan, dr_reyes):
    client.force_login(dr_reyes)
    assert client.get(f"/clients/{care_team.pk}/").status_code == 200
    client.force_login(care_team)
    body = text(client.get("/privacy/"))
    assert "Dr. Ana Reyes" in body and "Your profile" in body
    AccessLog.objects.bulk_create(
        [AccessLog(organization=care_team.organization, client=care_team, actor=jordan, resource="profile") for _ in range(25)]
    )
    first = text(client.get("/privacy/"))
    assert "Page 1 of 2" in first and "Older" in first
    assert "Page 2 of 2" in text(client.get("/privacy/?page=2"))
    assert client.get("/privacy/?page=abc").status_code == 200
    assert client.get("/privacy/?page=999").status_code == 200


def test_privacy_page_is_for_members(browse, jordan, sam):
    assert browse(jordan).get("/privacy/").status_code == 403
    assert browse(sam).get("/privacy/").status_code == 403


# --- clients as the care team sees them -----------------------------------------------------


def share(client, grantee, scopes):  # type: ignore[no-untyped-def]
    return ConsentGrant.objects.create(organization=client.organization, client=client, grantee=grantee, scopes=scopes)


def test_client_list_by_role_and_reads_are_logged(browse, care_team, jordan, dr_reyes, sam, lee, org):
    other = UserFactory(display_name="Zed", role=Role.CLIENT, organization=org)
    share(care_team, jordan, ["attendance"])
    share(care_team, lee, ["checkin_summary"])
    for viewer, sees_other in ((dr_reyes, False), (jordan, False), (lee, False), (sam, True)):
        body = text(browse(viewer).get("/clients/"))
        assert f'href="/clients/{care_team.pk}/"' in body
        assert (f'href="/clients/{other.pk}/"' in body) is sees_other
    assert AccessLog.objects.filter(client=care_team, resource="summary").count() == 4


def test_client_list_is_not_for_members(browse, maya):
    assert browse(maya).get("/clients/").status_code == 403


def test_client_detail_shows_only_what_the_view_allows(browse, care_team, jordan, dr_reyes, sam, lee):
    share(care_team, jordan, ["attendance"])
    share(care_team, lee, ["checkin_summary"])
    ClientProfile.objects.filter(user=care_team).update(working_toward="Weekends with my kids", substances=["alcohol"])
    body = text(browse(dr_reyes).get(f"/clients/{care_team.pk}/"))
    assert "Weekends with my kids" in body and "alcohol" in body and "Treatment consent" in body
    body = text(browse(jordan).get(f"/clients/{care_team.pk}/"))
    assert "Weekends with my kids" in body and "alcohol" not in body and "Substances" not in body
    body = text(browse(sam).get(f"/clients/{care_team.pk}/"))
    assert "Using less, more safely" in body and "Weekends with my kids" not in body and "alcohol" not in body
    body = text(browse(lee).get(f"/clients/{care_team.pk}/"))
    # Family: what matching uses (the goal, paths), never her own words, clinical detail or who treats her.
    assert "Using less, more safely" in body and "Weekends with my kids" not in body and "alcohol" not in body
    assert "Dr. Ana Reyes" not in body and "Jordan" not in body
    assert "Check-in summary" in body
    assert AccessLog.objects.filter(client=care_team, resource="profile").count() == 4


def test_mentors_and_family_without_a_grant_see_the_limited_view_and_the_read_is_logged(browse, care_team, jordan, lee):
    ClientProfile.objects.filter(user=care_team).update(
        working_toward="Weekends with my kids", substances=["alcohol"], recovery_start="2026-01-01"
    )
    for viewer in (jordan, lee):
        r = browse(viewer).get(f"/clients/{care_team.pk}/")
        assert r.status_code == 200  # as GET /api/v1/clients/{id}/ answers
        body = text(r)
        assert "Using less, more safely" in body and "SMART Recovery" in body
        assert "Weekends with my kids" not in body and "alcohol" not in body and "Recovery start" not in body
        assert "Dr. Ana Reyes" not in body and "Treatment consent" not in body
        assert "Nothing of their records at the moment" in body
    assert AccessLog.objects.filter(client=care_team, resource="profile").count() == 2


def test_client_detail_outsiders_and_strangers_get_404(browse, care_team, omar, dr_kim, org):
    unrelated_mentor = UserFactory(role=Role.MENTOR, organization=org)
    for viewer in (omar, dr_kim, unrelated_mentor):
        r = browse(viewer).get(f"/clients/{care_team.pk}/")
        assert r.status_code == 404, viewer
        assert "We can't find that page" in text(r)
    assert browse(omar).get("/clients/99999999999999999999/").status_code == 404
    assert not AccessLog.objects.filter(client=care_team).exists()


def test_staff_adds_a_clinician_to_the_care_team(browse, maya, sam, org):
    okafor = UserFactory(display_name="Chidi Okafor", role=Role.CLINICIAN, organization=org)
    c = browse(sam)
    assert "Chidi Okafor" in text(c.get(f"/clients/{maya.pk}/"))
    r = c.post(f"/clients/{maya.pk}/", {"user": okafor.pk})  # joins in their own role
    assert r.status_code == 302
    assert maya.care_team.filter(member=okafor, ended_at__isnull=True, role="clinician").exists()
    r = c.post(f"/clients/{maya.pk}/", {"user": okafor.pk}, follow=True)
    assert "Chidi Okafor is already on this care team." in text(r)
    assert c.post(f"/clients/{maya.pk}/", {"user": "x"}).status_code == 200
    r = c.post(f"/clients/{maya.pk}/", {"user": okafor.pk, "role": "family"})
    assert "Choose a family member from this program." in text(r)


def test_clinician_removes_someone_from_the_care_team(browse, care_team, lee, dr_reyes, priya):
    c = browse(dr_reyes)
    membership = care_team.care_team.get(member=lee)
    r = c.post(f"/clients/{care_team.pk}/", {"action": "remove", "membership": membership.pk})
    assert r.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert c.post(f"/clients/{care_team.pk}/", {"action": "remove", "membership": "abc"}).status_code == 404
    other = priya.care_team.model.objects.create(organization=priya.organization, client=priya, member=priya, role="family")
    assert c.post(f"/clients/{care_team.pk}/", {"action": "remove", "membership": other.pk}).status_code == 404
    other.refresh_from_db()
    assert other.ended_at is None


def test_mentors_cannot_change_care_teams(browse, care_team, jordan, org):
    share(care_team, jordan, ["attendance"])
    other = UserFactory(role=Role.FAMILY, organization=org)
    assert browse(jordan).post(f"/clients/{care_team.pk}/", {"user": other.pk, "role": "family"}).status_code == 403


# --- staff pages ------------------------------------------------------------------------------


def test_staff_users_list_filter_add_and_deactivate(browse, sam, maya, jordan, omar):
    c = browse(sam)
    body = text(c.get("/staff/users/"))
    assert "maya@example.org" in body and "jordan@example.org" in body and "omar@example.org" not in body
    body = text(c.get("/staff/users/?role=mentor"))
    assert "jordan@example.org" in body and "maya@example.org" not in body
    assert c.get("/staff/users/?role=wizard").status_code == 200
    r = c.post("/staff/users/", {"action": "deactivate", "user": maya.pk})
    assert r.status_code == 302
    maya.refresh_from_db()
    assert not maya.is_active
    c.post("/staff/users/", {"action": "reactivate", "user": maya.pk})
    maya.refresh_from_db()
    assert maya.is_active


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"display_name": "A", "email": "maya@example.org", "role": "client"}, "An account with this email already exists."),
        ({"display_name": "A", "email": "a@example.org", "role": "wizard"}, "“wizard” is not a valid choice."),
        ({"display_name": "A", "email": "nope", "role": "client"}, "Enter a valid email address."),
        ({"display_name": "", "email": "a@example.org", "role": "client"}, "This field is required."),
    ],
)
def test_staff_add_user_errors(browse, sam, maya, data, message):
    r = browse(sam).post("/staff/users/", {"action": "add", **data})
    assert r.status_code == 200 and message in text(r)


def test_staff_cannot_touch_another_programs_people_or_themselves(browse, sam, priya):
    c = browse(sam)
    assert c.post("/staff/users/", {"action": "deactivate", "user": priya.pk}).status_code == 404
    priya.refresh_from_db()
    assert priya.is_active
    r = c.post("/staff/users/", {"action": "deactivate", "user": sam.pk}, follow=True)
    assert "You cannot deactivate yourself" in text(r)


def test_mentor_vetting_approve_and_suspend_with_reason(browse, sam, org):
    tyler = UserFactory(display_name="Tyler", role=Role.MENTOR, organization=org, profile__status=VettingStatus.PENDING)
    c = browse(sam)
    body = text(c.get("/staff/mentors/"))
    assert "Tyler" in body and "Pending review" in body
    r = c.post("/staff/mentors/", {"mentor": tyler.pk, "status": "approved"})
    assert r.status_code == 302
    assert MentorProfile.objects.get(user=tyler).status == VettingStatus.APPROVED
    assert Notification.objects.filter(recipient=tyler, kind="mentor_status").count() == 1
    r = c.post("/staff/mentors/?status=approved", {"mentor": tyler.pk, "status": "suspended", "reason": ""})
    assert r.status_code == 200 and "Say why the mentor is suspended" in text(r)
    assert MentorProfile.objects.get(user=tyler).status == VettingStatus.APPROVED
    c.post("/staff/mentors/", {"mentor": tyler.pk, "status": "suspended", "reason": "Missed training twice"})
    assert MentorProfile.objects.get(user=tyler).status == VettingStatus.SUSPENDED
    assert AuditEvent.objects.filter(action="mentor.vet_reason", changes__reason="Missed training twice").exists()
    note = Notification.objects.filter(recipient=tyler).order_by("-pk").first()
    assert note.body == "Missed training twice"


def test_mentor_vetting_of_another_programs_mentor_is_404(browse, sam, other_org):
    theirs = UserFactory(role=Role.MENTOR, organization=other_org, profile__status=VettingStatus.PENDING)
    assert browse(sam).post("/staff/mentors/", {"mentor": theirs.pk, "status": "approved"}).status_code == 404
    assert MentorProfile.objects.get(user=theirs).status == VettingStatus.PENDING


def test_staff_pages_are_for_staff(browse, dr_reyes, maya, jordan):
    for person in (dr_reyes, maya, jordan):
        assert browse(person).get("/staff/users/").status_code == 403
        assert browse(person).get("/staff/mentors/").status_code == 403


# --- error pages ------------------------------------------------------------------------------


def test_error_pages_are_friendly(browse, client, maya):
    r = client.get("/no-such-page/")
    assert r.status_code == 404 and "We can't find that page" in text(r)
    r = browse(maya).get("/staff/users/")
    assert r.status_code == 403 and "This page isn't available to you" in text(r)


def test_500_and_429_templates_render_without_a_request():
    from django.template.loader import render_to_string

    assert "Something went wrong on our side" in render_to_string("500.html")
    assert "Please wait a moment" in render_to_string("429.html")


def test_client_list_query_count_does_not_grow_with_members(browse, sam, org, django_assert_max_num_queries):
    c = browse(sam)
    UserFactory.create_batch(3, role=Role.CLIENT, organization=org)
    with django_assert_max_num_queries(20) as few:
        c.get("/clients/")
    UserFactory.create_batch(20, role=Role.CLIENT, organization=org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = c.get("/clients/")
    assert r.status_code == 200


def test_her_data_reads_as_a_page_with_the_notice_and_matches_the_download(browse, care_team):
    """Issue 13 (10): the export was raw JSON only."""
    from checkins.models import CheckIn

    c = browse(care_team)
    CheckIn.objects.create(
        client=care_team,
        organization=care_team.organization,
        local_date=date(2026, 11, 2),
        mood=4,
        craving=1,
        note="Walked by the river",
    )
    assert 'href="/account/data/"' in text(c.get("/profile/"))
    page = text(c.get("/account/data/"))
    assert "Everything Kinship holds about you" in page and "42 CFR part 2" in page
    assert "Check-ins" in page and "Walked by the river" in page and care_team.email in page
    assert "{&quot;" not in page and '{"' not in page  # written out, not JSON
    download = c.get("/account/export/").json()
    assert download["checkins"][0]["note"] == "Walked by the river"


def test_signing_in_half_way_through_onboarding_picks_it_up_again(client, maya):
    """Issue 13 (10): she landed on Home with no offer to resume."""
    from members.models import ClientProfile

    ClientProfile.objects.filter(user=maya).update(onboarded_at=None, languages=["en"], formats=[])
    r = client.post("/login/", {"email": maya.email, "password": "Sturdy-pass-2026"})
    assert r.status_code == 302 and r["Location"] == "/onboarding/3/"
    assert "pick up where you left off" in text(client.get(r["Location"]))
    client.logout()
    r = client.post("/login/?next=/groups/", {"email": maya.email, "password": "Sturdy-pass-2026"})
    assert r["Location"] == "/groups/"  # where she asked to go wins
    ClientProfile.objects.filter(user=maya).update(onboarded_at="2026-11-01T00:00:00Z")
    client.logout()
    assert client.post("/login/", {"email": maya.email, "password": "Sturdy-pass-2026"})["Location"] == "/home/"
