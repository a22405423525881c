"""GET /api/v1/dashboard/program/ and /dashboard/program.csv: figures against hand-computed data."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import MatchRequest
from members.choices import Role
from tests.factories import UserFactory

from .conftest import attendance, checkins, contact, flag, group, local, make_client, match

URL = "/api/v1/dashboard/program/"
WINDOW = {"from": "2026-11-01", "to": "2026-11-20"}  # 20 days, Sunday to Friday


def days(start: date, n: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


@pytest.fixture
def program(frozen, org, jordan):
    """Four clients in the window 2026-11-01..20:
    Maya joined long before (20 client-days, 20 check-ins), Luis joined Nov 11 (10 days,
    8 check-ins), Ben (20 days, no check-ins, a mentor contact: active), Cara (20 days,
    nothing: not active, an open request). Adherence 28 / 70 = 0.4."""
    maya = make_client(org, "Maya", joined=date(2026, 1, 5))
    luis = make_client(org, "Luis", joined=date(2026, 11, 11))
    ben = make_client(org, "Ben", joined=date(2026, 1, 5))
    cara = make_client(org, "Cara", joined=date(2026, 1, 5))
    checkins(maya, [*days(date(2026, 11, 1), 20), date(2026, 10, 31)])  # one the day before: outside
    checkins(luis, days(date(2026, 11, 11), 8))
    MatchRequest.objects.create(organization=org, client=cara, created_at=local(date(2026, 11, 15)))
    # Time to match: 10 h, 20 h, 40 h → median 20 h (matches accepted in the window).
    ben_match = match(ben, jordan, requested=local(date(2026, 11, 2), 8), accepted=local(date(2026, 11, 2), 18))
    match(luis, jordan, requested=local(date(2026, 11, 11), 8), accepted=local(date(2026, 11, 12), 4))
    dee = make_client(org, "Dee", joined=date(2026, 1, 5))
    match(dee, jordan, requested=local(date(2026, 11, 16), 8), accepted=local(date(2026, 11, 18), 0))
    contact(ben_match, local(date(2026, 11, 10)))
    # Retention: 30-day marks in the window: one still active (kept), one ended after 15 days (lost),
    # one ended after 10 days "completed" (kept) → 2 / 3. 90-day mark: one, still going → 1.0.
    m1 = make_client(org, "Old1", joined=date(2025, 1, 1))
    m2 = make_client(org, "Old2", joined=date(2025, 1, 1))
    m3 = make_client(org, "Old3", joined=date(2025, 1, 1))
    m4 = make_client(org, "Old4", joined=date(2025, 1, 1))
    maya_match = match(maya, jordan, requested=local(date(2026, 10, 9)), accepted=local(date(2026, 10, 10)))
    match(m1, jordan, accepted=local(date(2026, 10, 5)), ended=local(date(2026, 10, 20)))
    match(m2, jordan, accepted=local(date(2026, 10, 15)), ended=local(date(2026, 10, 25)), reason="Completed: goals met")
    match(m3, jordan, accepted=local(date(2026, 8, 10)))
    match(m4, jordan, accepted=local(date(2026, 6, 1)))  # 30 and 90 day marks before the window
    contact(maya_match, local(date(2026, 9, 1)))
    # Attendance in the window: present, late, absent, excused ×2 → 2/3; a cancelled session is not counted.
    grp = group(org)
    attendance(
        grp,
        maya,
        [
            (date(2026, 11, 3), "present"),
            (date(2026, 11, 10), "late"),
            (date(2026, 11, 17), "absent"),
            (date(2026, 11, 4), "excused"),
        ],
    )
    attendance(grp, luis, [(date(2026, 11, 17), "excused")])
    attendance(group(org, "Closed"), luis, [(date(2026, 11, 5), "absent")], status="cancelled")
    flag(maya, "crisis")
    flag(luis, "crisis", resolved=True)
    flag(luis, "low_mood")
    return {"maya": maya, "luis": luis, "ben": ben, "cara": cara}


def test_program_figures_match_hand_computed_values(api, program, sam):
    response = api(sam).get(URL, WINDOW)
    assert response.status_code == 200
    body = response.json()
    # Old1-Old4 joined long ago and did nothing: they count in adherence's denominator too.
    # client-days: Maya 20 + Luis 10 + Ben, Cara, Dee 60 + Old1-4 80 = 170; check-in days 28.
    assert body["checkin_adherence"] == pytest.approx(28 / 170, abs=0.001)
    assert body["active_members"] == 3  # Maya, Luis (check-ins), Ben (contact)
    assert body["new_members"] == 1  # Luis
    assert body["open_requests"] == 1
    assert body["median_hours_to_match"] == 20.0
    assert body["match_retention_30d"] == pytest.approx(0.667, abs=0.001)
    assert body["match_retention_90d"] == 1.0
    assert body["attendance_rate"] == pytest.approx(0.667, abs=0.001)
    assert body["open_crisis_flags"] == 1
    weekly = body["weekly"]
    assert [w["week_start"] for w in weekly] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert [w["checkins"] for w in weekly] == [1, 7, 7 + 5, 5 + 3]
    assert sum(w["checkins"] for w in weekly) == 28
    assert [w["new_members"] for w in weekly] == [0, 0, 1, 0]
    assert [w["matches_started"] for w in weekly] == [0, 1, 1, 1]
    assert [w["attendance_rate"] for w in weekly] == [None, 1.0, 1.0, 0.0]


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(api, frozen, org, jordan, sam):
    for i, hours in enumerate((2, 4, 10, 30)):
        c = make_client(org, f"P{i}", joined=date(2026, 1, 1))
        match(c, jordan, requested=local(date(2026, 11, 5), 1), accepted=local(date(2026, 11, 5), 1) + timedelta(hours=hours))
    assert api(sam).get(URL, WINDOW).json()["median_hours_to_match"] == 7.0


def test_empty_program_has_nulls_not_errors(api, frozen, sam):
    body = api(sam).get(URL).json()
    assert body["median_hours_to_match"] is None and body["attendance_rate"] is None
    assert body["checkin_adherence"] is None and body["active_members"] == 0
    assert body["from"] == "2026-10-22" and body["to"] == "2026-11-20"  # last 30 days by default


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13-01"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"to": "2026-11-1"}, "to"),
        ({"from": "2026-11-20", "to": "2026-11-01"}, "from"),
        ({"from": "2020-01-01", "to": "2026-11-01"}, "to"),
    ],
)
def test_bad_windows_are_400_with_field_messages(api, frozen, sam, params, field):
    response = api(sam).get(URL, params)
    assert response.status_code == 400
    assert field in response.json() and response.json()[field]


def test_nul_bytes_are_a_400_not_a_500(api, frozen, sam):
    assert api(sam).get(URL, {"from": "\x00"}).status_code == 400


def test_only_staff(api, program, dr_reyes, jordan, lee):
    assert api(dr_reyes).get(URL).status_code == 403
    assert api(jordan).get(URL).status_code == 403
    assert api(lee).get(URL).status_code == 403
    assert api(program["maya"]).get(URL).status_code == 403
    assert api().get(URL).status_code == 401


def test_other_programs_staff_see_none_of_this_program(api, program, omar, priya):
    body = api(omar).get(URL, WINDOW).json()
    assert body["active_members"] == 0 and body["open_crisis_flags"] == 0 and body["open_requests"] == 0
    assert body["checkin_adherence"] == 0.0  # Priya, their only client, never checked in
    assert sum(w["checkins"] for w in body["weekly"]) == 0 and body["median_hours_to_match"] is None


def test_query_count_does_not_grow_with_clients(api, frozen, org, sam):
    def count() -> int:
        api(sam).get(URL, WINDOW)
        with CaptureQueriesContext(connection) as ctx:
            api(sam).get(URL, WINDOW)
        return len(ctx.captured_queries)

    def grow(n: int, start: int) -> None:
        mentor = UserFactory(role=Role.MENTOR, organization=org)
        grp = group(org, f"G{start}")
        for i in range(start, start + n):
            c = make_client(org, f"C{i}", joined=date(2026, 11, 2))
            checkins(c, days(date(2026, 11, 3), 5))
            attendance(grp, c, [(date(2026, 11, 4), "present")])
            match(c, mentor, requested=local(date(2026, 11, 3)), accepted=local(date(2026, 11, 4)))

    grow(2, 0)
    small = count()
    grow(10, 100)
    assert count() == small


def test_csv_download(client, program, sam):
    client.force_login(sam)
    response = client.get("/dashboard/program.csv", WINDOW)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="program-2026-11-01-to-2026-11-20.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    figures = {r[0]: r[1] for r in rows[: rows.index([])] if len(r) == 2}
    assert figures["median_hours_to_match"] == "20.0"
    assert figures["open_crisis_flags"] == "1"
    assert figures["match_retention_90d"] == "1.0"
    weekly = rows[rows.index([]) + 1 :]
    assert weekly[0] == ["week_start", "checkins", "attendance_rate", "new_members", "matches_started"]
    assert weekly[2] == ["2026-11-02", "7", "1.0", "0", "1"]


def test_csv_is_staff_only_and_validates(client, program, dr_reyes, sam):
    client.force_login(dr_reyes)
    assert client.get("/dashboard/program.csv").status_code == 403
    client.force_login(sam)
    bad = client.get("/dashboard/program.csv", {"from": "2026-11-30", "to": "2026-11-01"})
    assert bad.status_code == 400 and b"from" in bad.content


def test_open_requests_and_crisis_flags_are_as_of_the_end_of_the_window(api, frozen, org, jordan, sam):
    """A request matched after the window closed was still open then; a flag resolved after it too."""
    cara = make_client(org, "Cara", joined=date(2026, 1, 5))
    MatchRequest.objects.create(
        organization=org, client=cara, status="matched", created_at=local(date(2026, 10, 20)), closed_at=local(date(2026, 11, 5))
    )
    flag(cara, "crisis", resolved=True, opened=local(date(2026, 10, 25)))  # resolved an hour ago
    october = api(sam).get(URL, {"from": "2026-10-01", "to": "2026-10-31"}).json()
    assert october["open_requests"] == 1 and october["open_crisis_flags"] == 1
    november = api(sam).get(URL, WINDOW).json()
    assert november["open_requests"] == 0 and november["open_crisis_flags"] == 0


def test_csv_with_an_api_token(client, program, sam, dr_reyes, omar):
    """API clients fetch the CSV with their token, under the same role and organization rules."""
    from members.tokens import token_issue

    def get(user=None, token=None):  # type: ignore[no-untyped-def]
        key = token or token_issue(user=user).key
        return client.get("/dashboard/program.csv", WINDOW, HTTP_AUTHORIZATION=f"Token {key}")

    ok = get(sam)
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/csv")
    assert "open_crisis_flags,1" in ok.content.decode()
    assert get(dr_reyes).status_code == 403
    assert get(token="not-a-real-token").status_code == 401
    theirs = get(omar)  # another program's staff: their own (empty) program, never this one's
    assert theirs.status_code == 200 and "open_crisis_flags,0" in theirs.content.decode()
    assert client.get("/dashboard/program.csv", WINDOW).status_code == 302  # no token, no session: sign in


@pytest.mark.parametrize(
    "query", ["from=0001-01-01", "to=9999-12-31", "from=9999-12-31", "to=0001-01-01", "from=0001-01-01&to=9999-12-31"]
)
def test_dates_at_the_calendar_limits_are_a_400_not_a_500(api, sam, client, query):
    """M2: the API and the CSV answer 400 with a message for days no program could hold."""
    r = api(sam).get(f"/api/v1/dashboard/program/?{query}")
    assert r.status_code == 400 and ("from" in r.json() or "to" in r.json())
    client.force_login(sam)
    assert client.get(f"/dashboard/program.csv?{query}").status_code == 400
    assert client.get(f"/dashboard/program/?{query}").status_code in (200, 400)
