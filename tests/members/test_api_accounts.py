"""API.md "Accounts": sign-in, sign-out, sign-up, my account, my profile, export, closing an
account, and staff managing users. Every endpoint: happy path, validation, wrong role, outsider."""

import pytest

from members.choices import Role
from members.models import ApiToken, AuditEvent, ClientProfile, ConsentGrant, MentorProfile, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Sturdy-pass-2026"


def signup_body(**overrides):
    body = {
        "organization": "riverbend",
        "email": "ren@example.org",
        "password": "Long-enough-2026",
        "display_name": "Ren",
        "timezone": "America/Chicago",
    }
    body.update(overrides)
    return body


# --- POST /api/v1/auth/token/ ----------------------------------------------------------------


def test_token_for_right_credentials_authenticates_later_requests(api, maya):
    r = api().post("/api/v1/auth/token/", {"email": "maya@example.org", "password": PASSWORD}, format="json")
    assert r.status_code == 200
    assert set(r.json()) == {"token", "expires_at"}
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200 and me.json()["email"] == "maya@example.org"


def test_token_email_is_case_insensitive(api, maya):
    r = api().post("/api/v1/auth/token/", {"email": "  Maya@Example.ORG ", "password": PASSWORD}, format="json")
    assert r.status_code == 200


def test_token_bad_credentials_same_message_whether_or_not_email_exists(api, maya):
    wrong_password = api().post("/api/v1/auth/token/", {"email": "maya@example.org", "password": "nope-nope-nope"}, format="json")
    no_such_email = api().post("/api/v1/auth/token/", {"email": "ghost@example.org", "password": "nope-nope-nope"}, format="json")
    assert wrong_password.status_code == no_such_email.status_code == 400
    assert wrong_password.json() == no_such_email.json()
    assert "detail" in wrong_password.json()


def test_token_refused_for_deactivated_account(api, maya):
    User.objects.filter(pk=maya.pk).update(is_active=False)
    r = api().post("/api/v1/auth/token/", {"email": "maya@example.org", "password": PASSWORD}, format="json")
    assert r.status_code == 400


@pytest.mark.parametrize(
    "body,field",
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "maya@example.org"}, "password"),
        ({"email": None, "password": PASSWORD}, "email"),
        ({"email": ["maya@example.org"], "password": PASSWORD}, "email"),
        ({"email": "maya@example.org", "password": {"x": 1}}, "password"),
        ({"email": "a" * 300 + "@example.org", "password": PASSWORD}, "email"),
        ({"email": "maya\x00@example.org", "password": PASSWORD}, "email"),
    ],
)
def test_token_malformed_requests_are_400_with_field_messages(api, maya, body, field):
    r = api().post("/api/v1/auth/token/", body, format="json")
    assert r.status_code == 400
    assert field in r.json()


# --- POST /api/v1/auth/logout/ ---------------------------------------------------------------


def test_logout_revokes_the_token(api, maya):
    token = api().post("/api/v1/auth/token/", {"email": "maya@example.org", "password": PASSWORD}, format="json").json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    r = client.post("/api/v1/auth/logout/")
    assert r.status_code == 204
    assert client.get("/api/v1/me/").status_code == 401


def test_logout_needs_a_signed_in_caller(api):
    assert api().post("/api/v1/auth/logout/").status_code == 401


# --- POST /api/v1/signup/ --------------------------------------------------------------------


def test_signup_creates_a_client_in_the_organization(api, org):
    r = api().post("/api/v1/signup/", signup_body(email="Ren@Example.org"), format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["email"] == "ren@example.org"
    assert body["role"] == "client"
    assert body["organization"] == {"slug": "riverbend", "name": "Riverbend Recovery"}
    assert body["timezone"] == "America/Chicago"
    assert body["display_name"] == "Ren"
    assert "id" not in body and "token" not in body  # M6: the same body whether or not the email was taken
    user = User.objects.get(email="ren@example.org")
    assert user.organization == org and user.role == Role.CLIENT
    assert ClientProfile.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="user.signup", actor=user).exists()
    # The new member can sign in with the password they chose.
    r = api().post("/api/v1/auth/token/", {"email": "ren@example.org", "password": "Long-enough-2026"}, format="json")
    assert r.status_code == 200


def test_signup_403_when_organization_has_no_self_signup(api, org):
    org.allow_self_signup = False
    org.save()
    r = api().post("/api/v1/signup/", signup_body(), format="json")
    assert r.status_code == 403
    assert not User.objects.filter(email="ren@example.org").exists()
    # L6: an unknown program code answers exactly like a closed one, so codes cannot be probed.
    unknown = api().post("/api/v1/signup/", {**signup_body(), "organization": "no-such-program"}, format="json")
    assert (unknown.status_code, unknown.json()) == (r.status_code, r.json())


@pytest.mark.parametrize("taken", ["MAYA@example.org", "priya@example.org"])  # this program, and another one
def test_signup_never_tells_whether_an_email_has_an_account(api, maya, priya, org, taken, django_capture_on_commit_callbacks):
    """M6: same status, same body; nothing is created; the owner of the address is told by email."""
    from django.core import mail

    fresh = api().post("/api/v1/signup/", signup_body(email="brand-new@example.org"), format="json")
    before = User.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = api().post("/api/v1/signup/", signup_body(email=taken), format="json")
    assert r.status_code == fresh.status_code == 201
    a, b = r.json(), fresh.json()
    assert set(a) == set(b) and a["detail"] == b["detail"] and a["organization"] == b["organization"]
    assert User.objects.count() == before
    assert [m.to for m in mail.outbox] == [[taken.lower()]]
    assert "Someone tried to create a Kinship account with your email" in mail.outbox[0].subject
    # A weak password is refused alike for a taken email and a new one.
    weak = api().post("/api/v1/signup/", signup_body(email=taken, password="short"), format="json")
    assert weak.status_code == 400 and "password" in weak.json()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"timezone": ""}, "timezone"),
        ({"timezone": None}, "timezone"),
        ({"timezone": 5}, "timezone"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),  # too common
        ({"password": "12345678901234"}, "password"),  # all digits
        ({"email": "not-an-email"}, "email"),
        ({"email": None}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "x" * 81}, "display_name"),
        ({"display_name": "Ren\x00"}, "display_name"),
        ({"display_name": ["Ren"]}, "display_name"),
        ({"organization": "not a slug!"}, "organization"),
        ({"organization": 12}, "organization"),
    ],
)
def test_signup_validation_errors(api, org, overrides, field):
    r = api().post("/api/v1/signup/", signup_body(**overrides), format="json")
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()
    assert not User.objects.filter(email="ren@example.org").exists()


def test_signup_missing_fields_each_named(api, org):
    r = api().post("/api/v1/signup/", {}, format="json")
    assert r.status_code == 400
    assert set(r.json()) >= {"organization", "email", "password", "display_name", "timezone"}


def test_signup_ignores_a_requested_role(api, org):
    r = api().post("/api/v1/signup/", signup_body(role="staff"), format="json")
    assert r.status_code == 201
    assert User.objects.get(email="ren@example.org").role == Role.CLIENT


# --- GET, PATCH, DELETE /api/v1/me/ ----------------------------------------------------------


def test_me_returns_the_contract_fields(api, maya):
    r = api(maya).get("/api/v1/me/")
    assert r.status_code == 200
    body = r.json()
    assert {"id", "email", "display_name", "role", "organization", "timezone"} <= set(body)
    assert body["id"] == maya.pk
    assert body["organization"] == {"slug": "riverbend", "name": "Riverbend Recovery"}
    assert body["role"] == "client"


def test_me_needs_authentication(api):
    assert api().get("/api/v1/me/").status_code == 401


def test_me_patch_changes_name_and_timezone_and_is_audited(api, maya):
    r = api(maya).patch(
        "/api/v1/me/", {"display_name": "Maya R.", "timezone": "Europe/Madrid", "pronouns": "she/her"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["display_name"] == "Maya R." and r.json()["timezone"] == "Europe/Madrid"
    maya.refresh_from_db()
    assert maya.timezone == "Europe/Madrid"
    event = AuditEvent.objects.get(action="user.update", target_id=maya.pk)
    assert event.actor == maya
    assert event.changes["timezone"] == ["America/Chicago", "Europe/Madrid"]


def test_me_patch_cannot_change_role_email_or_organization(api, maya, other_org):
    r = api(maya).patch(
        "/api/v1/me/", {"role": "staff", "email": "boss@example.org", "organization": {"slug": "harbor"}}, format="json"
    )
    assert r.status_code == 200
    maya.refresh_from_db()
    assert maya.role == Role.CLIENT and maya.email == "maya@example.org" and maya.organization.slug == "riverbend"


@pytest.mark.parametrize(
    "body,field",
    [
        ({"timezone": "Not/AZone"}, "timezone"),
        ({"timezone": None}, "timezone"),
        ({"timezone": ["UTC"]}, "timezone"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "y" * 81}, "display_name"),
        ({"display_name": None}, "display_name"),
        ({"display_name": "a\x00b"}, "display_name"),
        ({"pronouns": "p" * 41}, "pronouns"),
        ({"phone": "555-1234"}, "phone"),
        ({"phone": 15551234567}, "phone"),
    ],
)
def test_me_patch_validation(api, maya, body, field):
    r = api(maya).patch("/api/v1/me/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    maya.refresh_from_db()
    assert maya.timezone == "America/Chicago" and maya.display_name == "Maya"


@pytest.mark.parametrize("persona", ["maya", "lee"])
def test_delete_me_deactivates_and_schedules_erasure(api, persona, request, care_team, jordan):
    user = request.getfixturevalue(persona)
    client = api(user)
    if persona == "maya":
        ConsentGrant.objects.create(organization=user.organization, client=user, grantee=jordan, scopes=["checkin_summary"])
    r = client.delete("/api/v1/me/")
    assert r.status_code == 204
    user.refresh_from_db()
    assert user.is_active is False and user.erasure_due_at is not None
    assert not ApiToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    assert client.get("/api/v1/me/").status_code == 401
    assert not ConsentGrant.objects.filter(client=user, revoked_at__isnull=True).exists()
    r = api().post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert r.status_code == 400
    assert AuditEvent.objects.filter(action="user.delete", actor=user).exists()


@pytest.mark.parametrize("persona", ["jordan", "dr_reyes", "sam"])
def test_delete_me_is_403_for_program_roles(api, persona, request):
    user = request.getfixturevalue(persona)
    r = api(user).delete("/api/v1/me/")
    assert r.status_code == 403
    user.refresh_from_db()
    assert user.is_active


def test_a_deleted_client_disappears_from_their_care_team(api, care_team, dr_reyes):
    api(care_team).delete("/api/v1/me/")
    assert api(dr_reyes).get(f"/api/v1/clients/{care_team.pk}/").status_code == 404


# --- GET, PATCH /api/v1/me/profile/ ----------------------------------------------------------

CLIENT_PROFILE_FIELDS = {
    "goal",
    "pathways",
    "languages",
    "gender",
    "mentor_gender",
    "mentor_gender_required",
    "formats",
    "availability",
    "experience_tags",
    "working_toward",
    "recovery_start",
    "treatment_consent",
}
MENTOR_PROFILE_FIELDS = {
    "pathways",
    "languages",
    "gender",
    "formats",
    "availability",
    "experience_tags",
    "years_in_recovery",
    "supports_harm_reduction",
    "capacity",
    "bio",
    "status",
}


def test_client_profile_has_the_contract_fields(api, maya):
    r = api(maya).get("/api/v1/me/profile/")
    assert r.status_code == 200
    assert set(r.json()) >= CLIENT_PROFILE_FIELDS
    assert r.json()["goal"] == "moderation"
    assert r.json()["treatment_consent"] is False


def test_client_profile_patch_roundtrip(api, maya, settings):
    body = {
        "goal": "abstinence",
        "pathways": ["twelve_step", "moud", "twelve_step"],
        "languages": ["es"],
        "gender": "woman",
        "mentor_gender": "woman",
        "mentor_gender_required": True,
        "formats": ["in_person", "text"],
        "availability": [{"day": 0, "start": "09:00", "end": "11:30"}, {"day": 6, "start": "18:00", "end": "24:00"}],
        "experience_tags": ["parent", "veteran"],
        "working_toward": "Getting my kids back for weekends.",
        "recovery_start": "2026-01-15",
        "treatment_consent": True,
    }
    r = api(maya).patch("/api/v1/me/profile/", body, format="json")
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["pathways"] == ["twelve_step", "moud"]  # duplicates dropped, order kept
    assert got["availability"] == body["availability"]
    assert got["recovery_start"] == "2026-01-15"
    assert got["treatment_consent"] is True
    assert got["treatment_consent_version"] == settings.TREATMENT_CONSENT_VERSION
    again = api(maya).get("/api/v1/me/profile/").json()
    for name in ("goal", "languages", "formats", "experience_tags", "working_toward", "mentor_gender_required"):
        assert again[name] == body[name]
    event = AuditEvent.objects.filter(action="client_profile.update", client=maya).latest("at")
    assert event.actor == maya and event.changes["goal"] == ["moderation", "abstinence"]


def test_client_can_withdraw_treatment_consent(api, care_team):
    r = api(care_team).patch("/api/v1/me/profile/", {"treatment_consent": False}, format="json")
    assert r.status_code == 200 and r.json()["treatment_consent"] is False


def test_recovery_start_may_be_cleared(api, maya):
    api(maya).patch("/api/v1/me/profile/", {"recovery_start": "2025-05-01"}, format="json")
    r = api(maya).patch("/api/v1/me/profile/", {"recovery_start": None}, format="json")
    assert r.status_code == 200 and r.json()["recovery_start"] is None


@pytest.mark.parametrize(
    "body,field",
    [
        ({"goal": "sobriety"}, "goal"),
        ({"goal": None}, "goal"),
        ({"goal": ["abstinence"]}, "goal"),
        ({"pathways": ["smart", "astrology"]}, "pathways"),
        ({"pathways": "smart"}, "pathways"),
        ({"pathways": None}, "pathways"),
        ({"pathways": [None]}, "pathways"),
        ({"languages": ["english"]}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"gender": "robot"}, "gender"),
        ({"mentor_gender": "other"}, "mentor_gender"),
        ({"mentor_gender_required": "maybe"}, "mentor_gender_required"),
        ({"mentor_gender_required": None}, "mentor_gender_required"),
        ({"formats": ["carrier_pigeon"]}, "formats"),
        ({"availability": [{"day": 7, "start": "09:00", "end": "10:00"}]}, "availability"),
        ({"availability": [{"day": 1, "start": "10:00", "end": "09:00"}]}, "availability"),
        ({"availability": [{"day": 1, "start": "9am", "end": "10:00"}]}, "availability"),
        ({"availability": [{"day": "monday", "start": "09:00", "end": "10:00"}]}, "availability"),
        ({"availability": [{"day": 1}]}, "availability"),
        ({"availability": {"day": 1}}, "availability"),
        ({"availability": [[1, "09:00", "10:00"]]}, "availability"),
        ({"availability": [{"day": 1, "start": "09:00", "end": "10:00"}] * 43}, "availability"),
        ({"experience_tags": ["Has Spaces"]}, "experience_tags"),
        ({"experience_tags": ["x" * 41]}, "experience_tags"),
        ({"working_toward": "w" * 1001}, "working_toward"),
        ({"working_toward": None}, "working_toward"),
        ({"working_toward": "nul\x00byte"}, "working_toward"),
        ({"recovery_start": "2999-01-01"}, "recovery_start"),
        ({"recovery_start": "yesterday"}, "recovery_start"),
        ({"treatment_consent": "sure"}, "treatment_consent"),
        ({"treatment_consent": None}, "treatment_consent"),
    ],
)
def test_client_profile_validation(api, maya, body, field):
    before = api(maya).get("/api/v1/me/profile/").json()
    r = api(maya).patch("/api/v1/me/profile/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()
    assert api(maya).get("/api/v1/me/profile/").json() == before


def test_mentor_profile_has_the_contract_fields_and_status_is_read_only(api, jordan):
    MentorProfile.objects.filter(user=jordan).update(status="pending")
    r = api(jordan).get("/api/v1/me/profile/")
    assert r.status_code == 200
    assert set(r.json()) >= MENTOR_PROFILE_FIELDS
    body = {
        "pathways": ["smart"],
        "languages": ["en", "es"],
        "formats": ["video"],
        "availability": [{"day": 2, "start": "18:00", "end": "21:00"}],
        "experience_tags": ["parent"],
        "years_in_recovery": 6,
        "supports_harm_reduction": True,
        "capacity": 4,
        "bio": "Six years in SMART; I like evening calls.",
        "status": "approved",
    }
    r = api(jordan).patch("/api/v1/me/profile/", body, format="json")
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["status"] == "pending"  # set by staff only
    for name in (
        "pathways",
        "languages",
        "formats",
        "availability",
        "years_in_recovery",
        "supports_harm_reduction",
        "capacity",
        "bio",
    ):
        assert got[name] == body[name]
    assert AuditEvent.objects.filter(action="mentor_profile.update", actor=jordan).exists()


@pytest.mark.parametrize(
    "body,field",
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": "lots"}, "capacity"),
        ({"capacity": None}, "capacity"),
        ({"capacity": 10**20}, "capacity"),
        ({"years_in_recovery": -3}, "years_in_recovery"),
        ({"years_in_recovery": 1.5}, "years_in_recovery"),
        ({"supports_harm_reduction": "kinda"}, "supports_harm_reduction"),
        ({"bio": "b" * 2001}, "bio"),
        ({"pathways": ["unknown"]}, "pathways"),
        ({"formats": "video"}, "formats"),
    ],
)
def test_mentor_profile_validation(api, jordan, body, field):
    r = api(jordan).patch("/api/v1/me/profile/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()


@pytest.mark.parametrize("persona", ["dr_reyes", "sam", "lee"])
def test_profile_is_403_for_roles_without_one(api, persona, request):
    user = request.getfixturevalue(persona)
    assert api(user).get("/api/v1/me/profile/").status_code == 403
    assert api(user).patch("/api/v1/me/profile/", {"goal": "abstinence"}, format="json").status_code == 403


def test_profile_needs_authentication(api):
    assert api().get("/api/v1/me/profile/").status_code == 401


# --- GET /api/v1/me/export/ ------------------------------------------------------------------


def test_export_holds_all_of_my_data(api, care_team, jordan, dr_reyes):
    maya = care_team
    api(maya).patch("/api/v1/me/profile/", {"working_toward": "Run a 10k"}, format="json")
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=jordan, scopes=["checkin_summary"])
    api(dr_reyes).get(f"/api/v1/clients/{maya.pk}/")
    r = api(maya).get("/api/v1/me/export/")
    assert r.status_code == 200
    data = r.json()
    assert data["account"]["email"] == "maya@example.org"
    assert data["account"]["organization"] == "riverbend"
    assert data["profile"]["working_toward"] == "Run a 10k"
    assert {m["member"] for m in data["care_team"]} == {jordan.pk, dr_reyes.pk, care_team.care_team.get(role="family").member_id}
    assert [c["grantee"] for c in data["consents"]] == [jordan.pk]
    assert any(a["actor"] == dr_reyes.pk and a["resource"] == "profile" for a in data["access_log"])
    assert any(e["action"] == "client_profile.update" for e in data["audit"])
    assert "notifications" in data and "notification_preferences" in data


def test_export_includes_changes_others_made_to_my_account(api, maya, sam):
    api(sam).patch(f"/api/v1/users/{maya.pk}/", {"display_name": "Maya Q."}, format="json")
    data = api(maya).get("/api/v1/me/export/").json()
    assert any(e["action"] == "user.update" and e["actor"] == sam.pk for e in data["audit"])


@pytest.mark.parametrize("persona", ["jordan", "dr_reyes", "sam", "lee"])
def test_export_works_for_every_role(api, persona, request):
    user = request.getfixturevalue(persona)
    r = api(user).get("/api/v1/me/export/")
    assert r.status_code == 200
    assert r.json()["account"]["id"] == user.pk


def test_export_needs_authentication(api):
    assert api().get("/api/v1/me/export/").status_code == 401


# --- POST /api/v1/users/, GET /api/v1/users/?role=, PATCH /api/v1/users/{id}/ -----------------


def test_staff_adds_a_user_with_a_password(api, sam, org):
    r = api(sam).post(
        "/api/v1/users/",
        {"email": "Casey@Example.org", "display_name": "Casey", "role": "mentor", "password": "Another-long-2026"},
        format="json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["email"] == "casey@example.org" and body["role"] == "mentor" and body["is_active"] is True
    user = User.objects.get(pk=body["id"])
    assert user.organization == org
    assert MentorProfile.objects.filter(user=user, status="pending").exists()
    assert AuditEvent.objects.filter(action="user.create", actor=sam, target_id=user.pk).exists()
    r = api().post("/api/v1/auth/token/", {"email": "casey@example.org", "password": "Another-long-2026"}, format="json")
    assert r.status_code == 200


def test_staff_adds_a_user_without_password_and_an_invitation_goes_out(api, sam, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = api(sam).post(
            "/api/v1/users/", {"email": "dana@example.org", "display_name": "Dana", "role": "clinician"}, format="json"
        )
    assert r.status_code == 201
    assert [m.to for m in mailoutbox] == [["dana@example.org"]]
    assert "/reset/" in mailoutbox[0].body


@pytest.mark.parametrize(
    "body,field",
    [
        ({"role": "superhero"}, "role"),
        ({"role": None}, "role"),
        ({"email": "bad"}, "email"),
        ({"display_name": ""}, "display_name"),
        ({"display_name": "z" * 81}, "display_name"),
        ({"password": "short"}, "password"),
        ({"timezone": "Nowhere/Land"}, "timezone"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_staff_add_user_validation(api, sam, body, field):
    data = {"email": "new@example.org", "display_name": "New", "role": "client"}
    data.update(body)
    r = api(sam).post("/api/v1/users/", data, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert not User.objects.filter(email="new@example.org").exists()


def test_staff_add_user_duplicate_email_is_409(api, sam, maya):
    r = api(sam).post("/api/v1/users/", {"email": "maya@example.org", "display_name": "M", "role": "client"}, format="json")
    assert r.status_code == 409


@pytest.mark.parametrize("persona", ["maya", "jordan", "dr_reyes", "lee"])
def test_only_staff_manage_users(api, persona, request, sam):
    user = request.getfixturevalue(persona)
    assert api(user).get("/api/v1/users/").status_code == 403
    r = api(user).post("/api/v1/users/", {"email": "x@example.org", "display_name": "X", "role": "client"}, format="json")
    assert r.status_code == 403
    assert api(user).patch(f"/api/v1/users/{sam.pk}/", {"is_active": False}, format="json").status_code == 403


def test_users_list_is_the_staff_organization_only_and_filters_by_role(api, sam, maya, jordan, dr_reyes, priya, omar):
    r = api(sam).get("/api/v1/users/")
    assert r.status_code == 200
    ids = {u["id"] for u in r.json()["results"]}
    assert {sam.pk, maya.pk, jordan.pk, dr_reyes.pk} <= ids
    assert priya.pk not in ids and omar.pk not in ids
    assert "next" in r.json()
    r = api(sam).get("/api/v1/users/?role=mentor")
    assert [u["id"] for u in r.json()["results"]] == [jordan.pk]


def test_users_list_unknown_role_filter_is_400(api, sam):
    r = api(sam).get("/api/v1/users/?role=wizard")
    assert r.status_code == 400 and "role" in r.json()


def test_users_list_paginates(api, sam, org):
    for i in range(55):
        UserFactory(organization=org, email=f"bulk{i}@example.org", role=Role.FAMILY)
    r = api(sam).get("/api/v1/users/")
    assert len(r.json()["results"]) == 50 and r.json()["next"]
    r2 = api(sam).get(r.json()["next"])
    assert r2.status_code == 200 and len(r2.json()["results"]) == 6 and r2.json()["next"] is None


def test_staff_deactivates_and_reactivates_a_user(api, sam, maya):
    token_client = api(maya)
    r = api(sam).patch(f"/api/v1/users/{maya.pk}/", {"is_active": False}, format="json")
    assert r.status_code == 200 and r.json()["is_active"] is False
    assert token_client.get("/api/v1/me/").status_code == 401
    r = api(sam).patch(f"/api/v1/users/{maya.pk}/", {"is_active": True}, format="json")
    assert r.status_code == 200 and r.json()["is_active"] is True
    event = AuditEvent.objects.filter(action="user.update", target_id=maya.pk, actor=sam).first()
    assert event is not None and event.changes["is_active"] == [True, False]


def test_staff_changes_a_role_and_the_new_role_gets_its_profile(api, sam, lee):
    r = api(sam).patch(f"/api/v1/users/{lee.pk}/", {"role": "mentor"}, format="json")
    assert r.status_code == 200 and r.json()["role"] == "mentor"
    assert MentorProfile.objects.filter(user=lee).exists()


def test_staff_cannot_lock_themselves_out(api, sam):
    assert api(sam).patch(f"/api/v1/users/{sam.pk}/", {"is_active": False}, format="json").status_code == 409
    assert api(sam).patch(f"/api/v1/users/{sam.pk}/", {"role": "client"}, format="json").status_code == 409


@pytest.mark.parametrize(
    "body,field",
    [({"role": "overlord"}, "role"), ({"is_active": "perhaps"}, "is_active"), ({"display_name": ""}, "display_name")],
)
def test_staff_update_user_validation(api, sam, maya, body, field):
    r = api(sam).patch(f"/api/v1/users/{maya.pk}/", body, format="json")
    assert r.status_code == 400 and field in r.json()


def test_outsider_staff_cannot_see_or_change_our_users(api, omar, maya):
    assert api(omar).get(f"/api/v1/users/{maya.pk}/").status_code == 404
    assert api(omar).patch(f"/api/v1/users/{maya.pk}/", {"is_active": False}, format="json").status_code == 404
    maya.refresh_from_db()
    assert maya.is_active
    assert maya.pk not in {u["id"] for u in api(omar).get("/api/v1/users/").json()["results"]}


def test_unknown_and_huge_user_ids_are_404(api, sam):
    assert api(sam).patch("/api/v1/users/999999/", {"is_active": False}, format="json").status_code == 404
    r = api(sam).patch("/api/v1/users/99999999999999999999999/", {"is_active": False}, format="json")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"


def test_a_field_of_the_other_roles_profile_is_400_not_silently_dropped(api, maya, jordan):
    r = api(maya).patch("/api/v1/me/profile/", {"capacity": 3, "goal": "abstinence"}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"capacity"}
    r = api(jordan).patch("/api/v1/me/profile/", {"goal": "abstinence", "treatment_consent": True}, format="json")
    assert r.status_code == 400 and set(r.json()) == {"goal", "treatment_consent"}
    # Fields both profiles have are fine for both.
    assert api(jordan).patch("/api/v1/me/profile/", {"languages": ["es"]}, format="json").status_code == 200


def test_signup_is_throttled_per_address_with_a_json_429(api, org, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {**ScopedRateThrottle.THROTTLE_RATES, "signup": "3/hour"})
    statuses = [
        api().post("/api/v1/signup/", signup_body(email=f"s{i}@example.org"), format="json").status_code for i in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    r = api().post("/api/v1/signup/", signup_body(email="s9@example.org"), format="json")
    assert r.status_code == 429 and "detail" in r.json()
