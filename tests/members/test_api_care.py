"""API.md "Care team, consent, access log" and the audit trail: who may see a client, what
consent unlocks and how revoking ends it, and that every read lands in the client's access log."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from members.choices import CareRole, Role
from members.models import AccessLog, AuditEvent, CareTeamMember, ClientProfile, ConsentGrant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def access_log(api, client):
    r = api(client).get("/api/v1/me/access-log/")
    assert r.status_code == 200
    return r.json()["results"]


def grant(api, client, grantee, scopes=("checkin_summary",), **extra):
    return api(client).post("/api/v1/me/consents/", {"grantee": grantee.pk, "scopes": list(scopes), **extra}, format="json")


# --- GET /api/v1/clients/ --------------------------------------------------------------------


def test_staff_list_every_client_of_their_organization_only(api, sam, maya, priya, org):
    other = UserFactory(organization=org, role=Role.CLIENT, display_name="Zed")
    r = api(sam).get("/api/v1/clients/")
    assert r.status_code == 200
    assert ids(r) == [maya.pk, other.pk]
    row = r.json()["results"][0]
    assert {"id", "display_name"} <= set(row)
    assert "next" in r.json()


def test_clinician_lists_their_caseload_and_mentor_their_mentees(api, care_team, dr_reyes, jordan, org):
    not_mine = UserFactory(organization=org, role=Role.CLIENT)
    assert ids(api(dr_reyes).get("/api/v1/clients/")) == [care_team.pk]
    assert ids(api(jordan).get("/api/v1/clients/")) == [care_team.pk]
    assert not_mine.pk not in ids(api(dr_reyes).get("/api/v1/clients/"))


def test_clinician_without_caseload_lists_nobody(api, dr_reyes, maya):
    assert ids(api(dr_reyes).get("/api/v1/clients/")) == []


def test_client_list_is_403_for_clients_and_family(api, care_team, lee):
    assert api(care_team).get("/api/v1/clients/").status_code == 403
    assert api(lee).get("/api/v1/clients/").status_code == 403


def test_client_list_needs_authentication(api):
    assert api().get("/api/v1/clients/").status_code == 401


def test_outsiders_list_none_of_our_clients(api, omar, dr_kim, maya, priya):
    assert ids(api(omar).get("/api/v1/clients/")) == [priya.pk]
    assert ids(api(dr_kim).get("/api/v1/clients/")) == []


def test_listing_clients_is_in_each_clients_access_log(api, sam, maya):
    api(sam).get("/api/v1/clients/")
    entries = access_log(api, maya)
    assert [(e["actor"], e["actor_name"], e["resource"]) for e in entries] == [(sam.pk, "Sam", "summary")]


# --- GET /api/v1/clients/{id}/ ---------------------------------------------------------------


def test_treating_clinician_sees_the_clinical_profile(api, care_team, dr_reyes):
    ClientProfile.objects.filter(user=care_team).update(substances=["alcohol"], working_toward="Sleep through the night")
    r = api(dr_reyes).get(f"/api/v1/clients/{care_team.pk}/")
    assert r.status_code == 200
    body = r.json()
    assert body["id"] == care_team.pk and body["display_name"] == "Maya"
    assert body["relation"] == "clinician"
    assert body["profile"]["substances"] == ["alcohol"]
    assert body["profile"]["goal"] == "moderation"
    assert set(body["shared_with_you"]) == {
        "checkin_summary",
        "checkin_detail",
        "assessments",
        "attendance",
        "contact_log",
        "test_results",
        "plan",
    }
    assert {m["user"]["id"] for m in body["care_team"]} >= {dr_reyes.pk}


def test_clinician_without_treatment_consent_sees_no_profile(api, care_team, dr_reyes):
    ClientProfile.objects.filter(user=care_team).update(treatment_consent_at=None)
    r = api(dr_reyes).get(f"/api/v1/clients/{care_team.pk}/")
    assert r.status_code == 200
    # On the team but not yet consented to treatment: no profile, only that consent is missing.
    assert r.json()["profile"] == {"treatment_consent": False} and r.json()["shared_with_you"] == []


def test_mentor_sees_matching_fields_but_never_substances(api, care_team, jordan):
    ClientProfile.objects.filter(user=care_team).update(substances=["opioids"], recovery_start="2026-01-01")
    body = api(jordan).get(f"/api/v1/clients/{care_team.pk}/").json()
    assert body["relation"] == "mentor"
    assert "substances" not in body["profile"] and "recovery_start" not in body["profile"]
    assert body["profile"]["pathways"] == ["smart", "harm_reduction"]
    assert body["shared_with_you"] == []


@pytest.mark.parametrize("who", ["lee", "jordan"])
def test_family_or_mentor_without_a_grant_see_only_what_matching_uses(api, care_team, who, request):
    """API.md: her display name and goal, pathways, languages, formats; never working_toward,
    her recovery start or her care team. The page answers the same."""
    viewer = request.getfixturevalue(who)
    ClientProfile.objects.filter(user=care_team).update(working_toward="my kids", recovery_start="2026-01-01")
    r = api(viewer).get(f"/api/v1/clients/{care_team.pk}/")
    assert r.status_code == 200
    body = r.json()
    assert body["display_name"] == care_team.display_name and body["shared_with_you"] == []
    assert set(body["profile"]) == {"goal", "pathways", "languages", "formats"}
    assert body["care_team"] == []
    browser = Client()
    browser.force_login(viewer)
    page = browser.get(f"/clients/{care_team.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "my kids" not in text and care_team.display_name in text


def test_staff_see_program_fields_not_clinical_ones(api, maya, sam):
    ClientProfile.objects.filter(user=maya).update(substances=["alcohol"])
    body = api(sam).get(f"/api/v1/clients/{maya.pk}/").json()
    assert body["relation"] == "staff"
    assert "substances" not in body["profile"]
    assert set(body["shared_with_you"]) == {"checkin_summary", "attendance"}


def test_a_client_reads_their_own_record_without_logging_it(api, maya):
    r = api(maya).get(f"/api/v1/clients/{maya.pk}/")
    assert r.status_code == 200 and r.json()["relation"] == "self"
    assert access_log(api, maya) == []


@pytest.mark.parametrize("persona", ["omar", "dr_kim", "priya"])
def test_outsiders_get_404_for_our_client(api, care_team, persona, request):
    outsider = request.getfixturevalue(persona)
    r = api(outsider).get(f"/api/v1/clients/{care_team.pk}/")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found."}
    assert access_log(api, care_team) == []


def test_insiders_off_the_care_team_get_404(api, maya, dr_reyes, jordan, lee, org):
    other_client = UserFactory(organization=org, role=Role.CLIENT)
    for viewer in (dr_reyes, jordan, lee, other_client):
        assert api(viewer).get(f"/api/v1/clients/{maya.pk}/").status_code == 404


def test_non_clients_and_unknown_ids_are_404_not_500(api, sam, jordan):
    assert api(sam).get(f"/api/v1/clients/{jordan.pk}/").status_code == 404  # a mentor is not a client
    assert api(sam).get("/api/v1/clients/999999999/").status_code == 404
    r = api(sam).get("/api/v1/clients/9999999999999999999999999/")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    assert api(sam).get("/api/v1/clients/abc/").status_code == 404


def test_every_read_is_in_the_clients_access_log(api, care_team, dr_reyes, jordan, sam):
    api(dr_reyes).get(f"/api/v1/clients/{care_team.pk}/")
    api(jordan).get(f"/api/v1/clients/{care_team.pk}/")
    api(sam).get(f"/api/v1/clients/{care_team.pk}/")
    api(sam).get(f"/api/v1/clients/{care_team.pk}/care-team/")
    entries = access_log(api, care_team)
    assert [(e["actor"], e["resource"]) for e in entries] == [
        (sam.pk, "care_team"),
        (sam.pk, "profile"),
        (jordan.pk, "profile"),
        (dr_reyes.pk, "profile"),
    ]  # newest first
    assert entries[0]["actor_name"] == "Sam"
    assert set(entries[0]) == {"actor", "actor_name", "resource", "at"}


# --- POST /api/v1/clients/{id}/care-team/ and DELETE .../care-team/{membership}/ -------------


def test_staff_add_a_clinician_who_can_then_read(api, maya, sam, dr_reyes):
    assert api(dr_reyes).get(f"/api/v1/clients/{maya.pk}/").status_code == 404
    r = api(sam).post(f"/api/v1/clients/{maya.pk}/care-team/", {"user": dr_reyes.pk, "role": "clinician"}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["user"] == {"id": dr_reyes.pk, "display_name": "Dr. Ana Reyes"}
    assert body["role"] == "clinician" and body["ended_at"] is None and isinstance(body["id"], int)
    assert api(dr_reyes).get(f"/api/v1/clients/{maya.pk}/").status_code == 200
    event = AuditEvent.objects.get(action="care_team.add")
    assert event.actor == sam and event.client == maya and event.changes == {"member": dr_reyes.pk, "role": "clinician"}


def test_a_clinician_on_the_team_adds_family(api, care_team, dr_reyes, org):
    mom = UserFactory(organization=org, role=Role.FAMILY, display_name="Rosa")
    r = api(dr_reyes).post(f"/api/v1/clients/{care_team.pk}/care-team/", {"user": mom.pk, "role": "family"}, format="json")
    assert r.status_code == 201
    assert api(mom).get(f"/api/v1/clients/{care_team.pk}/").status_code == 200


def test_adding_someone_already_on_the_team_is_409(api, care_team, sam, dr_reyes):
    r = api(sam).post(f"/api/v1/clients/{care_team.pk}/care-team/", {"user": dr_reyes.pk, "role": "clinician"}, format="json")
    assert r.status_code == 409


@pytest.mark.parametrize(
    "body,field",
    [
        ({"role": "clinician"}, "user"),
        ({"user": None, "role": "clinician"}, "user"),
        ({"user": "dr", "role": "clinician"}, "user"),
        ({"user": 0, "role": "clinician"}, "user"),
        ({"user": 10**30, "role": "clinician"}, "user"),
        ({"user": 999999, "role": "clinician"}, "user"),
        ({"user": "DR", "role": "surgeon"}, "role"),
        ({"role": None}, "role"),
        ({"role": ["family"]}, "role"),
    ],
)
def test_care_team_add_validation(api, maya, sam, body, field):
    r = api(sam).post(f"/api/v1/clients/{maya.pk}/care-team/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()


def test_care_team_member_must_have_the_matching_role_and_program(api, maya, sam, jordan, dr_kim):
    r = api(sam).post(f"/api/v1/clients/{maya.pk}/care-team/", {"user": jordan.pk, "role": "clinician"}, format="json")
    assert r.status_code == 400 and "user" in r.json()
    r = api(sam).post(f"/api/v1/clients/{maya.pk}/care-team/", {"user": dr_kim.pk, "role": "clinician"}, format="json")
    assert r.status_code == 400 and "user" in r.json()
    assert not CareTeamMember.objects.filter(client=maya).exists()


def test_mentor_family_and_the_client_may_not_change_the_team(api, care_team, jordan, lee, org):
    new_doc = UserFactory(organization=org, role=Role.CLINICIAN)
    for user in (jordan, lee, care_team):
        r = api(user).post(f"/api/v1/clients/{care_team.pk}/care-team/", {"user": new_doc.pk, "role": "clinician"}, format="json")
        assert r.status_code == 403


def test_outsiders_and_off_team_clinicians_get_404_on_care_team(api, maya, omar, dr_reyes, org):
    new_doc = UserFactory(organization=org, role=Role.CLINICIAN)
    for user in (omar, dr_reyes):
        r = api(user).post(f"/api/v1/clients/{maya.pk}/care-team/", {"user": new_doc.pk, "role": "clinician"}, format="json")
        assert r.status_code == 404
        assert api(user).get(f"/api/v1/clients/{maya.pk}/care-team/").status_code == 404


def test_ending_a_membership_ends_access_and_consent_at_once(api, care_team, sam, jordan):
    grant(api, care_team, jordan)
    membership = CareTeamMember.objects.get(client=care_team, member=jordan)
    assert api(jordan).get(f"/api/v1/clients/{care_team.pk}/").status_code == 200
    r = api(sam).delete(f"/api/v1/clients/{care_team.pk}/care-team/{membership.pk}/")
    assert r.status_code == 204
    assert api(jordan).get(f"/api/v1/clients/{care_team.pk}/").status_code == 404
    assert jordan.pk not in ids(api(jordan).get("/api/v1/clients/"))
    assert api(sam).delete(f"/api/v1/clients/{care_team.pk}/care-team/{membership.pk}/").status_code == 404
    # Added back later, Jordan starts with nothing shared: the old consent stays revoked.
    api(sam).post(f"/api/v1/clients/{care_team.pk}/care-team/", {"user": jordan.pk, "role": "mentor"}, format="json")
    assert api(jordan).get(f"/api/v1/clients/{care_team.pk}/").json()["shared_with_you"] == []
    event = AuditEvent.objects.get(action="care_team.end")
    assert event.actor == sam and event.client == care_team and event.changes["consents_revoked"] == 1


def test_only_staff_and_clinicians_end_memberships(api, care_team, jordan, lee):
    membership = CareTeamMember.objects.get(client=care_team, member=lee)
    assert api(jordan).delete(f"/api/v1/clients/{care_team.pk}/care-team/{membership.pk}/").status_code == 403
    assert api(care_team).delete(f"/api/v1/clients/{care_team.pk}/care-team/{membership.pk}/").status_code == 403
    membership.refresh_from_db()
    assert membership.ended_at is None


def test_outsider_cannot_end_a_membership(api, care_team, omar):
    membership = CareTeamMember.objects.get(client=care_team, role=CareRole.MENTOR)
    assert api(omar).delete(f"/api/v1/clients/{care_team.pk}/care-team/{membership.pk}/").status_code == 404


# --- GET, POST /api/v1/me/consents/ and POST /api/v1/me/consents/{id}/revoke/ ----------------


def test_granting_consent_lets_the_mentor_read_and_revoking_ends_it_at_once(api, care_team, jordan):
    r = grant(api, care_team, jordan, scopes=["checkin_summary", "attendance"])
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["grantee"] == jordan.pk and body["grantee_name"] == "Jordan"
    assert body["scopes"] == ["attendance", "checkin_summary"]
    assert body["active"] is True and body["revoked_at"] is None and body["expires_at"] is None
    seen = api(jordan).get(f"/api/v1/clients/{care_team.pk}/").json()
    assert seen["shared_with_you"] == ["attendance", "checkin_summary"]

    r = api(care_team).post(f"/api/v1/me/consents/{body['id']}/revoke/")
    assert r.status_code == 200
    assert r.json()["active"] is False and r.json()["revoked_at"] is not None
    assert api(jordan).get(f"/api/v1/clients/{care_team.pk}/").json()["shared_with_you"] == []
    # Revoking again changes nothing and is not an error.
    assert api(care_team).post(f"/api/v1/me/consents/{body['id']}/revoke/").status_code == 200
    actions = list(
        AuditEvent.objects.filter(client=care_team, action__startswith="consent.")
        .order_by("at", "pk")
        .values_list("action", "actor")
    )
    assert actions == [("consent.grant", care_team.pk), ("consent.revoke", care_team.pk)]


def test_consent_with_an_end_date_lapses_by_itself(api, care_team, lee):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        r = grant(api, care_team, lee, scopes=["checkin_summary"], expires_at=(start + timedelta(days=7)).isoformat())
        assert r.status_code == 201 and r.json()["expires_at"]
    with time_machine.travel(start + timedelta(days=6), tick=False):
        assert api(lee).get(f"/api/v1/clients/{care_team.pk}/").json()["shared_with_you"] == ["checkin_summary"]
    with time_machine.travel(start + timedelta(days=8), tick=False):
        assert api(lee).get(f"/api/v1/clients/{care_team.pk}/").json()["shared_with_you"] == []
        listed = api(care_team).get("/api/v1/me/consents/").json()["results"]
        assert listed[0]["active"] is False


def test_consent_list_shows_mine_only_newest_first(api, care_team, jordan, lee, priya, dr_kim):
    ConsentGrant.objects.create(organization=priya.organization, client=priya, grantee=dr_kim, scopes=["assessments"])
    first = grant(api, care_team, jordan).json()["id"]
    second = grant(api, care_team, lee, scopes=["attendance"]).json()["id"]
    r = api(care_team).get("/api/v1/me/consents/")
    assert r.status_code == 200
    assert ids(r) == [second, first]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"scopes": ["checkin_summary"]}, "grantee"),
        ({"grantee": None, "scopes": ["checkin_summary"]}, "grantee"),
        ({"grantee": "jordan", "scopes": ["checkin_summary"]}, "grantee"),
        ({"grantee": 10**25, "scopes": ["checkin_summary"]}, "grantee"),
        ({"grantee": "JORDAN", "scopes": ["everything"]}, "scopes"),
        ({"grantee": "JORDAN", "scopes": []}, "scopes"),
        ({"grantee": "JORDAN", "scopes": "checkin_summary"}, "scopes"),
        ({"grantee": "JORDAN", "scopes": None}, "scopes"),
        ({"grantee": "JORDAN", "scopes": [1]}, "scopes"),
        ({"grantee": "JORDAN", "scopes": ["checkin_summary"], "expires_at": "next week"}, "expires_at"),
        ({"grantee": "JORDAN", "scopes": ["checkin_summary"], "expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
        ({"grantee": "JORDAN", "scopes": ["checkin_summary"], "expires_at": 1234}, "expires_at"),
    ],
)
def test_consent_validation(api, care_team, jordan, body, field):
    if body.get("grantee") == "JORDAN":
        body = {**body, "grantee": jordan.pk}
    r = api(care_team).post("/api/v1/me/consents/", body, format="json")
    assert r.status_code == 400, r.content
    assert field in r.json()
    assert not ConsentGrant.objects.exists()


@pytest.mark.parametrize("persona", ["sam", "priya", "dr_kim", "maya"])
def test_consent_only_to_someone_on_my_care_team(api, care_team, persona, request):
    grantee = request.getfixturevalue(persona)
    r = grant(api, care_team, grantee)
    assert r.status_code == 400 and "grantee" in r.json()


@pytest.mark.parametrize("persona", ["jordan", "dr_reyes", "sam", "lee"])
def test_consents_and_access_log_are_for_clients_only(api, persona, request, care_team):
    user = request.getfixturevalue(persona)
    assert api(user).get("/api/v1/me/consents/").status_code == 403
    assert (
        api(user).post("/api/v1/me/consents/", {"grantee": care_team.pk, "scopes": ["attendance"]}, format="json").status_code
        == 403
    )
    assert api(user).get("/api/v1/me/access-log/").status_code == 403


def test_nobody_revokes_someone_elses_consent(api, care_team, jordan, priya, org):
    consent_id = grant(api, care_team, jordan).json()["id"]
    other_client = UserFactory(organization=org, role=Role.CLIENT)
    assert api(other_client).post(f"/api/v1/me/consents/{consent_id}/revoke/").status_code == 404
    assert api(priya).post(f"/api/v1/me/consents/{consent_id}/revoke/").status_code == 404
    assert api(jordan).post(f"/api/v1/me/consents/{consent_id}/revoke/").status_code == 403
    assert api(care_team).post("/api/v1/me/consents/987654321/revoke/").status_code == 404
    assert ConsentGrant.objects.get(pk=consent_id).revoked_at is None


def test_consents_need_authentication(api):
    assert api().get("/api/v1/me/consents/").status_code == 401
    assert api().get("/api/v1/me/access-log/").status_code == 401


# --- GET /api/v1/audit/ ----------------------------------------------------------------------


def test_audit_shows_who_changed_what_and_who_read_what(api, sam, maya, dr_reyes):
    api(sam).post(f"/api/v1/clients/{maya.pk}/care-team/", {"user": dr_reyes.pk, "role": "clinician"}, format="json")
    api(dr_reyes).get(f"/api/v1/clients/{maya.pk}/")
    r = api(sam).get(f"/api/v1/audit/?client={maya.pk}")
    assert r.status_code == 200
    entries = r.json()["results"]
    assert [(e["type"], e["actor"], e["action"]) for e in entries[:2]] == [
        ("read", sam.pk, "read.audit"),  # this very request
        ("read", dr_reyes.pk, "read.profile"),
    ]
    change = next(e for e in entries if e["action"] == "care_team.add")
    assert change["actor"] == sam.pk and change["actor_name"] == "Sam" and change["client"] == maya.pk
    r = api(sam).get(f"/api/v1/audit/?actor={dr_reyes.pk}")
    assert {e["actor"] for e in r.json()["results"]} == {dr_reyes.pk}
    # Staff reading a client's audit trail is itself a read of that client's record.
    assert access_log(api, maya)[0] == {**access_log(api, maya)[0], "actor": sam.pk, "resource": "audit"}


def test_audit_is_staff_only_and_scoped(api, sam, omar, maya, dr_reyes, priya):
    assert api(dr_reyes).get("/api/v1/audit/").status_code == 403
    assert api(maya).get("/api/v1/audit/").status_code == 403
    assert api(sam).get(f"/api/v1/audit/?client={priya.pk}").status_code == 404
    assert api(sam).get(f"/api/v1/audit/?actor={omar.pk}").status_code == 404
    assert api(omar).get(f"/api/v1/audit/?client={maya.pk}").status_code == 404
    api(sam).patch(f"/api/v1/users/{maya.pk}/", {"display_name": "Maya Z"}, format="json")
    assert all(e["actor"] != sam.pk for e in api(omar).get("/api/v1/audit/").json()["results"])


@pytest.mark.parametrize("query", ["client=abc", "client=0", "actor=-4", f"client={10**30}"])
def test_audit_bad_filters_are_400(api, sam, query):
    r = api(sam).get(f"/api/v1/audit/?{query}")
    assert r.status_code == 400
    assert set(r.json()) <= {"client", "actor"}


def test_no_access_log_row_for_refused_reads(api, maya, omar):
    api(omar).get(f"/api/v1/clients/{maya.pk}/")
    assert not AccessLog.objects.filter(client=maya).exists()


# --- query counts stay constant in the number of rows -----------------------------------------


def count_queries(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "persona,path",
    [
        ("sam", "/api/v1/clients/"),
        ("sam", "/api/v1/users/"),
        ("sam", "/api/v1/mentors/"),
        ("sam", "/api/v1/audit/"),
        ("maya", "/api/v1/me/access-log/"),
        ("maya", "/api/v1/me/consents/"),
        ("maya", "/api/v1/clients/{maya}/care-team/"),
    ],
)
def test_list_endpoints_use_a_constant_number_of_queries(api, request, care_team, sam, org, persona, path):
    viewer = request.getfixturevalue(persona)
    client = api(viewer)
    path = path.format(maya=care_team.pk)

    def add_rows(n):
        for _ in range(n):
            other = UserFactory(organization=org, role=Role.CLIENT)
            mentor = UserFactory(organization=org, role=Role.MENTOR)
            member = UserFactory(organization=org, role=Role.FAMILY)
            CareTeamMember.objects.create(organization=org, client=care_team, member=member, role=CareRole.FAMILY)
            ConsentGrant.objects.create(organization=org, client=care_team, grantee=member, scopes=["attendance"])
            AccessLog.objects.create(organization=org, client=care_team, actor=member, resource="profile")
            api(sam).get(f"/api/v1/clients/{other.pk}/")
            api(sam).patch(f"/api/v1/mentors/{mentor.pk}/", {"capacity": 2}, format="json")

    add_rows(2)
    small = count_queries(client, path)
    add_rows(8)
    assert count_queries(client, path) == small


def test_audit_trail_notes_clinical_changes_without_their_values(api, maya, sam):
    api(maya).patch(
        "/api/v1/me/profile/",
        {"substances": ["opioids"], "working_toward": "Stay clean for my daughter", "goal": "abstinence"},
        format="json",
    )
    entries = api(sam).get(f"/api/v1/audit/?client={maya.pk}").json()["results"]
    change = next(e for e in entries if e["action"] == "client_profile.update")
    assert change["changes"]["substances"] == "changed" and change["changes"]["working_toward"] == "changed"
    assert change["changes"]["goal"] == ["moderation", "abstinence"]
    assert "opioids" not in str(entries) and "daughter" not in str(entries)


def test_family_do_not_see_who_else_treats_the_member(api, care_team, lee, jordan):
    grant(api, care_team, lee)
    assert api(lee).get(f"/api/v1/clients/{care_team.pk}/").json()["care_team"] == []
    assert api(lee).get(f"/api/v1/clients/{care_team.pk}/care-team/").status_code == 403
    # A mentor sees who else treats the member only once the member shares something with her.
    assert api(jordan).get(f"/api/v1/clients/{care_team.pk}/").json()["care_team"] == []
    assert api(jordan).get(f"/api/v1/clients/{care_team.pk}/care-team/").status_code == 403
    grant(api, care_team, jordan, scopes=["attendance"])
    assert len(api(jordan).get(f"/api/v1/clients/{care_team.pk}/care-team/").json()) == 3
    assert len(api(care_team).get(f"/api/v1/clients/{care_team.pk}/care-team/").json()) == 3
    assert not AccessLog.objects.filter(client=care_team, actor=lee, resource="care_team").exists()


def test_list_rows_carry_the_goal_only_where_her_page_shows_it(api, care_team, dr_reyes, jordan, sam):
    """GET /clients/ and the list pages build their rows from one place, with the profile rule
    of the member's page: a clinician without treatment consent sees no goal there either."""
    rows = {who: api(who).get("/api/v1/clients/").json()["results"][0] for who in (dr_reyes, jordan, sam)}
    assert rows[jordan]["profile"] == {"goal": "moderation"} and rows[jordan]["shared_with_you"] == []
    assert rows[sam]["profile"] == {"goal": "moderation"}
    assert rows[dr_reyes]["profile"] == {"goal": "moderation"}
    ClientProfile.objects.filter(user=care_team).update(treatment_consent_at=None)
    row = api(dr_reyes).get("/api/v1/clients/").json()["results"][0]
    assert row["profile"] == {} and row["shared_with_you"] == []
