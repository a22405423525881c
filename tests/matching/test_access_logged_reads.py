"""M4: staff and clinicians reading members' matching data leave a row in the member's access log."""

from __future__ import annotations

import pytest

from members.models import AccessLog

pytestmark = pytest.mark.django_db


def rows(member, resource):  # type: ignore[no-untyped-def]
    return AccessLog.objects.filter(client=member, resource=resource).count()


def test_suggestions_read_by_staff_are_logged(api, maya_ready, jordan, sam, open_request):
    assert api(maya_ready).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 200
    assert rows(maya_ready, "match_request") == 0  # her own read is not a disclosure
    assert api(sam).get(f"/api/v1/match-requests/{open_request}/suggestions/").status_code == 200
    assert rows(maya_ready, "match_request") == 1


def test_a_batch_run_logs_every_waiting_member(api, maya_ready, jordan, sam, open_request, client):
    assert api(sam).post("/api/v1/matching/runs/", {"dry_run": True}, format="json").status_code == 200
    assert rows(maya_ready, "matching_run") == 1
    client.force_login(sam)
    client.post("/staff/matching/", {"action": "preview"})
    assert rows(maya_ready, "matching_run") == 2


def test_the_match_list_read_by_staff_is_logged(api, maya_ready, jordan, sam, open_request):
    api(maya_ready).post(f"/api/v1/match-requests/{open_request}/choose/", {"mentor": jordan.pk}, format="json")
    assert api(maya_ready).get("/api/v1/matches/").status_code == 200
    assert rows(maya_ready, "matches") == 0
    assert api(sam).get("/api/v1/matches/").json()["results"]
    assert rows(maya_ready, "matches") == 1


def test_the_unfiltered_audit_trail_logs_the_members_it_shows(api, maya_ready, sam, open_request):
    assert api(sam).get("/api/v1/audit/").status_code == 200
    assert rows(maya_ready, "audit") == 1
