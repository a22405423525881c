"""GET /api/v1/dashboard/caseload/: who sees whom, the figures, the order, consent, the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.choices import CareRole, Role
from members.models import AccessLog, CareTeamMember, User
from tests.factories import UserFactory

from .conftest import NOW, TODAY, attendance, checkins, contact, flag, grant, group, make_client, match

URL = "/api/v1/dashboard/caseload/"


def days_back(*offsets: int):
    return [TODAY - timedelta(days=n) for n in offsets]


@pytest.fixture
def caseload(frozen, org, care_team, dr_reyes, jordan):
    """Dr. Reyes treats Maya (crisis flag), Ana (high cravings), Ben (no check-in for a week)
    and Luis (checked in today, nothing open)."""
    maya = care_team
    User.objects.filter(pk=maya.pk).update(date_joined=NOW - timedelta(days=60))
    maya.refresh_from_db()
    ana = make_client(org, "Ana", joined=TODAY - timedelta(days=90), treating=dr_reyes)
    ben = make_client(org, "Ben", joined=TODAY - timedelta(days=90), treating=dr_reyes)
    luis = make_client(org, "Luis", joined=TODAY - timedelta(days=90), treating=dr_reyes)
    # Maya: 15 of the last 30 local days (every other day), and one older check-in.
    checkins(maya, days_back(*range(0, 30, 2), 40))
    checkins(ana, days_back(0, 1))
    checkins(ben, days_back(7))
    checkins(luis, days_back(0))
    flag(maya, "crisis")
    flag(maya, "low_mood")
    flag(maya, "high_craving", resolved=True)
    flag(ana, "high_craving")
    # Attendance in the last 30 days: present, late, absent, 2 excused → 2/3; an older absence.
    grp = group(org)
    attendance(
        grp,
        maya,
        [
            (TODAY - timedelta(days=3), "present"),
            (TODAY - timedelta(days=10), "late"),
            (TODAY - timedelta(days=17), "absent"),
            (TODAY - timedelta(days=24), "excused"),
            (TODAY - timedelta(days=26), "excused"),
            (TODAY - timedelta(days=45), "absent"),
        ],
    )
    m = match(maya, jordan, accepted=NOW - timedelta(days=20))
    contact(m, NOW - timedelta(days=2))
    contact(m, NOW - timedelta(days=5))
    return {"maya": maya, "ana": ana, "ben": ben, "luis": luis}


def test_clinician_sees_caseload_most_at_risk_first_with_hand_computed_figures(api, caseload, dr_reyes, jordan):
    response = api(dr_reyes).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"results", "next"}
    names = [r["client"]["display_name"] for r in body["results"]]
    assert names == ["Maya", "Ana", "Ben", "Luis"]
    maya = body["results"][0]
    assert maya["client"] == {"id": caseload["maya"].pk, "display_name": "Maya"}
    assert maya["flags"] == ["crisis", "low_mood"]  # the resolved high-craving flag is gone
    assert maya["checkin_adherence_30d"] == 0.5  # 15 / 30
    assert maya["attendance_rate_30d"] == pytest.approx(0.667, abs=0.001)  # (1 + 1) / 3, excused left out
    assert maya["mentor"] == {"id": jordan.pk, "display_name": "Jordan"}
    assert maya["last_contact_at"].startswith((NOW - timedelta(days=2)).date().isoformat())
    assert maya["last_checkin_at"] is not None
    ben = body["results"][2]
    assert ben["flags"] == [] and ben["checkin_adherence_30d"] == pytest.approx(1 / 30, abs=0.001)
    assert ben["mentor"] is None and ben["attendance_rate_30d"] is None
    assert ben["last_checkin_days_ago"] == 7 and ben["last_checkin_date"] == (TODAY - timedelta(days=7)).isoformat()


def test_adherence_counts_only_days_since_joining(api, frozen, org, dr_reyes):
    newcomer = make_client(org, "Nia", joined=TODAY - timedelta(days=3), treating=dr_reyes)
    checkins(newcomer, days_back(0, 2))
    row = api(dr_reyes).get(URL).json()["results"][0]
    assert row["checkin_adherence_30d"] == 0.5  # 2 check-in days of 4 days since joining


def test_only_flagged_filter(api, caseload, dr_reyes):
    names = [r["client"]["display_name"] for r in api(dr_reyes).get(URL, {"flagged": "true"}).json()["results"]]
    assert names == ["Maya", "Ana"]
    assert api(dr_reyes).get(URL, {"flagged": "maybe"}).status_code == 400
    assert "flagged" in api(dr_reyes).get(URL, {"flagged": "maybe"}).json()


def test_client_filter_and_outsider_sees_nothing(api, caseload, dr_reyes, dr_kim, omar, priya):
    maya = caseload["maya"]
    one = api(dr_reyes).get(URL, {"client": maya.pk}).json()["results"]
    assert [r["client"]["id"] for r in one] == [maya.pk]
    # Another program's clinician and staff: empty lists, and a 404 for our client.
    assert api(dr_kim).get(URL).json()["results"] == []
    assert api(dr_kim).get(URL, {"client": maya.pk}).status_code == 404
    staff_rows = api(omar).get(URL).json()["results"]
    assert [r["client"]["id"] for r in staff_rows] == [priya.pk]
    assert api(omar).get(URL, {"client": maya.pk}).status_code == 404
    # A clinician filtering on a client of the same program who is not on their caseload: 404.
    other = make_client(maya.organization, "Zed")
    assert api(dr_reyes).get(URL, {"client": other.pk}).status_code == 404
    assert api(dr_reyes).get(URL, {"client": "abc"}).status_code == 404


def test_roles_that_have_no_caseload_dashboard(api, caseload, lee):
    assert api(caseload["maya"]).get(URL).status_code == 403
    assert api(lee).get(URL).status_code == 403
    assert api().get(URL).status_code == 401


def test_staff_see_the_organization(api, caseload, sam):
    rows = api(sam).get(URL).json()["results"]
    assert [r["client"]["display_name"] for r in rows] == ["Maya", "Ana", "Ben", "Luis"]
    assert rows[0]["checkin_adherence_30d"] == 0.5 and rows[0]["flags"] == ["crisis", "low_mood"]


def test_mentor_without_consent_sees_nulls_and_no_flags(api, caseload, jordan):
    rows = api(jordan).get(URL).json()["results"]
    assert [r["client"]["display_name"] for r in rows] == ["Maya"]
    row = rows[0]
    assert row["last_checkin_at"] is None
    assert row["checkin_adherence_30d"] is None
    assert row["attendance_rate_30d"] is None
    assert row["flags"] == []
    assert row["shared"] == {"checkins": False, "attendance": False, "flags": False}
    assert row["mentor"] == {"id": jordan.pk, "display_name": "Jordan"}


def test_mentor_with_consent_sees_what_was_shared(api, caseload, jordan):
    maya = caseload["maya"]
    grant(maya, jordan, "checkin_summary", "attendance")
    row = api(jordan).get(URL).json()["results"][0]
    assert row["checkin_adherence_30d"] == 0.5 and row["last_checkin_at"] is not None
    assert row["attendance_rate_30d"] == pytest.approx(0.667, abs=0.001)
    assert row["flags"] == []  # flags need check-in detail
    grant(maya, jordan, "checkin_detail")
    assert api(jordan).get(URL).json()["results"][0]["flags"] == ["crisis", "low_mood"]


def test_mentor_order_does_not_reveal_hidden_flags(api, frozen, org, jordan):
    """A mentee whose flags the mentor may not see is not moved up by them."""
    alpha = make_client(org, "Alpha", joined=TODAY - timedelta(days=60))
    zoe = make_client(org, "Zoe", joined=TODAY - timedelta(days=60))
    for c in (alpha, zoe):
        CareTeamMember.objects.create(organization=org, client=c, member=jordan, role=CareRole.MENTOR)
    flag(zoe, "crisis")
    names = [r["client"]["display_name"] for r in api(jordan).get(URL).json()["results"]]
    assert names == ["Alpha", "Zoe"]
    grant(zoe, jordan, "checkin_detail")
    names = [r["client"]["display_name"] for r in api(jordan).get(URL).json()["results"]]
    assert names == ["Zoe", "Alpha"]


def test_reads_are_logged_in_one_insert(api, caseload, dr_reyes):
    with CaptureQueriesContext(connection) as ctx:
        api(dr_reyes).get(URL)
    inserts = [q["sql"] for q in ctx.captured_queries if "access" in q["sql"].lower() and q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    logged = set(AccessLog.objects.filter(actor=dr_reyes, resource="dashboard").values_list("client_id", flat=True))
    assert logged == {c.pk for c in caseload.values()}


def test_pagination(api, caseload, dr_reyes):
    first = api(dr_reyes).get(URL, {"page_size": 2}).json()
    assert [r["client"]["display_name"] for r in first["results"]] == ["Maya", "Ana"]
    assert first["next"]
    second = api(dr_reyes).get(first["next"]).json()
    assert [r["client"]["display_name"] for r in second["results"]] == ["Ben", "Luis"]
    assert second["next"] is None


def _queries_for(api, viewer) -> int:
    api(viewer).get(URL)  # warm up: the first request of a token loads things once (not per client)
    with CaptureQueriesContext(connection) as ctx:
        assert api(viewer).get(URL).status_code == 200
    return len(ctx.captured_queries)


def _grow_caseload(org, clinician, mentor, n: int, start: int) -> None:
    grp = group(org, f"Group {start}")
    for i in range(start, start + n):
        c = make_client(org, f"Client{i}", joined=TODAY - timedelta(days=90), treating=clinician)
        CareTeamMember.objects.create(organization=org, client=c, member=mentor, role=CareRole.MENTOR)
        grant(c, mentor, "checkin_detail", "attendance")
        checkins(c, days_back(0, 1, 5))
        flag(c, "low_mood")
        attendance(grp, c, [(TODAY - timedelta(days=2), "present")])
        contact(match(c, mentor, accepted=NOW - timedelta(days=10)), NOW - timedelta(days=1))


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.MENTOR, Role.STAFF])
def test_query_count_does_not_grow_with_clients(api, frozen, org, role):
    clinician = UserFactory(role=Role.CLINICIAN, organization=org)
    mentor = UserFactory(role=Role.MENTOR, organization=org)
    viewer = {Role.CLINICIAN: clinician, Role.MENTOR: mentor, Role.STAFF: UserFactory(role=Role.STAFF, organization=org)}[role]
    _grow_caseload(org, clinician, mentor, 2, 0)
    small = _queries_for(api, viewer)
    _grow_caseload(org, clinician, mentor, 10, 100)
    large = _queries_for(api, viewer)
    assert len(api(viewer).get(URL).json()["results"]) == 12
    assert small == large


@pytest.mark.parametrize("bad", ["99999999999999999999999", "-1", "1.5", "%00"])
def test_odd_client_ids_are_not_found_never_500(api, caseload, dr_reyes, bad):
    assert api(dr_reyes).get(URL, {"client": bad}).status_code in (400, 404)


def test_page_size_must_be_a_number(api, caseload, dr_reyes):
    assert api(dr_reyes).get(URL, {"page_size": "lots"}).status_code == 400
