"""H2 and H4: what raised a risk flag, and how a clinician resolved it, are clinical. Staff see a
flag's kind and dates; the audit trail says that a field changed, not its text; a crisis alert
names the member and says she needs support now, never the questionnaire or answer."""

from __future__ import annotations

import pytest

from members.models import AuditEvent
from notifications.models import Notification

pytestmark = pytest.mark.django_db

PHQ9_ITEM9 = [0, 0, 0, 0, 0, 0, 0, 0, 2]


@pytest.fixture
def flagged(api, care_team):  # type: ignore[no-untyped-def]
    r = api(care_team).post("/api/v1/assessments/", {"instrument": "PHQ-9", "answers": PHQ9_ITEM9}, format="json")
    assert r.status_code == 201
    return care_team


def test_staff_see_kinds_and_dates_not_reasons_or_notes(api, flagged, dr_reyes, sam):
    flags = api(dr_reyes).get(f"/api/v1/risk-flags/?client={flagged.pk}").json()["results"]
    assert flags and all(f["reason"] for f in flags)  # the treating clinician reads why
    flag = next(f for f in flags if f["kind"] == "phq9_item9")
    r = api(dr_reyes).post(
        f"/api/v1/risk-flags/{flag['id']}/resolve/", {"note": "Called her; started sertraline 50 mg"}, format="json"
    )
    assert r.status_code == 200 and r.json()["resolution_note"].startswith("Called her")
    for path in (f"/api/v1/risk-flags/?client={flagged.pk}&open=false", "/api/v1/risk-flags/?open=false"):
        rows = api(sam).get(path).json()["results"]
        assert rows and {f["kind"] for f in rows} >= {"phq9_item9", "crisis"}
        assert all(f["reason"] is None and f["resolution_note"] is None for f in rows)
        assert all(f["opened_at"] for f in rows)


def test_the_timeline_page_shows_staff_no_reason_or_note(api, flagged, dr_reyes, sam, client):
    flag = next(
        f for f in api(dr_reyes).get(f"/api/v1/risk-flags/?client={flagged.pk}").json()["results"] if f["kind"] == "crisis"
    )
    api(dr_reyes).post(f"/api/v1/risk-flags/{flag['id']}/resolve/", {"note": "sertraline 50 mg"}, format="json")
    client.force_login(sam)
    page = client.get(f"/clients/{flagged.pk}/checkins/").content.decode()
    assert "sertraline" not in page and "What was done?" not in page  # kinds and dates only; no resolving either
    client.force_login(dr_reyes)
    assert "sertraline" in client.get(f"/clients/{flagged.pk}/checkins/").content.decode()


def test_the_audit_trail_records_that_fields_changed_not_their_text(api, flagged, dr_reyes, sam):
    flag = api(dr_reyes).get(f"/api/v1/risk-flags/?client={flagged.pk}").json()["results"][0]
    api(dr_reyes).post(f"/api/v1/risk-flags/{flag['id']}/resolve/", {"note": "sertraline 50 mg"}, format="json")
    for event in AuditEvent.objects.filter(action__startswith="risk_flag"):
        text = str(event.changes).lower()
        assert "sertraline" not in text and "item 9" not in text  # the kind (phq9_item9) is not clinical text
    body = str(api(sam).get("/api/v1/audit/").json()).lower()
    assert "sertraline" not in body and "item 9" not in body


def test_a_crisis_alert_never_names_the_questionnaire(flagged, dr_reyes):
    alerts = Notification.objects.filter(kind="crisis_alert", recipient=dr_reyes)
    assert alerts.exists()
    for n in alerts:
        text = f"{n.title} {n.body} {n.payload}".lower()
        assert "phq" not in text and "item" not in text and "questionnaire" not in text
        assert flagged.display_name in n.title and "needs support now" in n.title
        assert not n.title.lower().startswith("urgent")  # the inbox badge says it: no "Urgent Urgent:"
