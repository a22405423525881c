"""The dashboard pages: what a clinician, a mentor and staff see in the browser's HTML."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import NOW, TODAY, attendance, checkins, flag, grant, group, make_client

CASELOAD, PROGRAM = "/dashboard/", "/dashboard/program/"


@pytest.fixture
def flagged_caseload(frozen, org, care_team, dr_reyes):
    maya = care_team
    luis = make_client(org, "Luis", joined=TODAY - timedelta(days=60), treating=dr_reyes)
    ana = make_client(org, "Ana", joined=TODAY - timedelta(days=60), treating=dr_reyes)
    checkins(maya, [TODAY - timedelta(days=2)])
    checkins(luis, [TODAY])
    checkins(ana, [TODAY])
    flag(maya, "crisis")
    flag(ana, "low_mood")
    return maya


def names_in_order(html: str) -> list[str]:
    return re.findall(r'class="dash-row__name">(?:<a [^>]*>)?([^<]+)<', html)


def test_clinician_sees_flagged_client_first_with_a_danger_badge(client, flagged_caseload, dr_reyes):
    client.force_login(dr_reyes)
    response = client.get(CASELOAD)
    assert response.status_code == 200
    html = response.content.decode()
    assert names_in_order(html) == ["Maya", "Ana", "Luis"]
    assert 'class="badge badge--danger" data-flag="crisis">Crisis<' in html
    assert 'data-flag="low_mood">Low mood<' in html
    assert "2 days ago" in html
    assert f'href="/clients/{flagged_caseload.pk}/"' in html
    assert 'href="/dashboard/" aria-current="page"' in html or "Caseload dashboard" in html


def test_only_flagged_filter(client, flagged_caseload, dr_reyes):
    client.force_login(dr_reyes)
    html = client.get(CASELOAD, {"flagged": "1"}).content.decode()
    assert names_in_order(html) == ["Maya", "Ana"]
    assert "<strong>2</strong> with an open flag" in html


def test_mentor_sees_not_shared_and_no_link_without_consent(client, flagged_caseload, jordan):
    client.force_login(jordan)
    html = client.get(CASELOAD).content.decode()
    assert names_in_order(html) == ["Maya"]
    assert "not shared" in html and "Crisis" not in html
    assert f'href="/clients/{flagged_caseload.pk}/"' not in html  # no page to open without a grant
    grant(flagged_caseload, jordan, "checkin_detail")
    html = client.get(CASELOAD).content.decode()
    assert "Crisis" in html and f'href="/clients/{flagged_caseload.pk}/"' in html


def test_page_roles(client, flagged_caseload, lee, dr_reyes, sam):
    assert client.get(CASELOAD).status_code == 302  # to sign-in
    client.force_login(lee)
    assert client.get(CASELOAD).status_code == 403
    client.force_login(flagged_caseload)
    assert client.get(CASELOAD).status_code == 403
    client.force_login(dr_reyes)
    assert client.get(PROGRAM).status_code == 403
    client.force_login(sam)
    assert client.get(CASELOAD).status_code == 200


def test_caseload_page_queries_do_not_grow(client, frozen, org, dr_reyes):
    client.force_login(dr_reyes)

    def count() -> int:
        client.get(CASELOAD)
        with CaptureQueriesContext(connection) as ctx:
            client.get(CASELOAD)
        return len(ctx.captured_queries)

    grp = group(org)
    for i in range(2):
        c = make_client(org, f"A{i}", joined=TODAY - timedelta(days=40), treating=dr_reyes)
        checkins(c, [TODAY])
        attendance(grp, c, [(TODAY - timedelta(days=1), "present")])
    small = count()
    for i in range(10):
        c = make_client(org, f"B{i}", joined=TODAY - timedelta(days=40), treating=dr_reyes)
        checkins(c, [TODAY])
        flag(c, "high_craving")
        attendance(grp, c, [(TODAY - timedelta(days=1), "late")])
    assert count() == small


def test_program_page_has_tiles_chart_table_and_csv_link(client, flagged_caseload, sam):
    client.force_login(sam)
    response = client.get(PROGRAM, {"from": "2026-11-01", "to": "2026-11-20"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "open crisis flags" in html and "stat--danger" in html
    assert html.count("<svg") == 2 and "<script" not in html.split("<main", 1)[1]
    assert 'href="/dashboard/program.csv?from=2026-11-01&amp;to=2026-11-20"' in html
    assert "Nov 16" in html  # the weekly table
    assert 'href="/dashboard/program/" aria-current="page"' in html
    assert 'href="/dashboard/" aria-current="page"' not in html


def test_program_page_bad_dates_show_field_errors(client, frozen, sam):
    client.force_login(sam)
    response = client.get(PROGRAM, {"from": "2026-11-30", "to": "2026-11-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="from-error"' in html and "on or before" in html
    response = client.get(PROGRAM, {"to": "soon"})
    assert response.status_code == 400 and 'id="to-error"' in response.content.decode()


def test_program_page_defaults_to_last_30_days(client, frozen, sam):
    client.force_login(sam)
    html = client.get(PROGRAM).content.decode()
    assert 'value="2026-10-22"' in html and 'value="2026-11-20"' in html
    assert date(2026, 11, 20) == NOW.date()


def test_opening_the_page_is_in_each_members_access_log(client, flagged_caseload, dr_reyes):
    from members.models import AccessLog

    client.force_login(dr_reyes)
    client.get(CASELOAD)
    assert AccessLog.objects.filter(actor=dr_reyes, resource="dashboard").count() == 3
    assert AccessLog.objects.filter(actor=dr_reyes, client=flagged_caseload, resource="dashboard").exists()


def test_clinicians_reach_the_timeline_and_its_flags_from_the_caseload_and_the_client_page(
    client, flagged_caseload, dr_reyes, jordan
):
    """Issue 13 (1): only a notification's "Open" led to the timeline; a flag that sent no
    notification (high cravings) could not be resolved at all."""
    maya = flagged_caseload
    client.force_login(dr_reyes)
    html = client.get(CASELOAD).content.decode()
    assert f'href="/clients/{maya.pk}/checkins/">Timeline and flags to resolve<' in html
    page = client.get(f"/clients/{maya.pk}/").content.decode()
    assert f'href="/clients/{maya.pk}/checkins/"' in page
    assert client.get(f"/clients/{maya.pk}/checkins/").status_code == 200
    client.force_login(jordan)  # her mentor, without a grant: no link to what he may not read
    assert f"/clients/{maya.pk}/checkins/" not in client.get(CASELOAD).content.decode()
    assert f"/clients/{maya.pk}/checkins/" not in client.get(f"/clients/{maya.pk}/").content.decode()
