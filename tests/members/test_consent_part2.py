"""42 CFR Part 2 consent (§ 2.31) and the accounting of disclosures (§ 2.24), through the API.
H1: a consent that could not be revoked (far-future expiry)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from members.models import AccessLog, ConsentGrant

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def grant(api, client, grantee, **body):  # type: ignore[no-untyped-def]
    payload = {"grantee": grantee.pk, "scopes": ["checkin_summary"], **body}
    return api(client).post("/api/v1/me/consents/", payload, format="json")


@pytest.mark.parametrize("expires", ["9999-12-31T23:59:59Z", "2030-12-04T00:00:00Z", "2026-12-01T00:00:00Z"])
def test_expiry_must_be_in_the_future_and_at_most_three_years_ahead(api, care_team, jordan, expires):
    with time_machine.travel(NOW, tick=False):
        r = grant(api, care_team, jordan, expires_at=expires)
    assert r.status_code == 400 and "expires_at" in r.json()
    assert not ConsentGrant.objects.exists()


def test_a_consent_up_to_three_years_can_be_read_revoked_and_exported(api, care_team, jordan):
    with time_machine.travel(NOW, tick=False):
        r = grant(api, care_team, jordan, expires_at="2029-12-02T00:00:00Z")
        assert r.status_code == 201, r.content
        consent_id = r.json()["id"]
        assert api(jordan).get(f"/api/v1/checkins/?client={care_team.pk}").status_code == 200
        assert api(care_team).get("/api/v1/me/consents/").status_code == 200
        assert api(care_team).get("/api/v1/me/export/").status_code == 200
        r = api(care_team).post(f"/api/v1/me/consents/{consent_id}/revoke/")
        assert r.status_code == 200 and r.json()["active"] is False
        assert api(jordan).get(f"/api/v1/checkins/?client={care_team.pk}").status_code in (403, 404)


def test_a_consent_records_purpose_signature_date_and_version(api, care_team, jordan):
    with time_machine.travel(NOW, tick=False):
        first = grant(api, care_team, jordan).json()
        second = grant(
            api, care_team, jordan, scopes=["attendance"], purpose="so my mentor can cheer me on", signature="Maya R.",
            expiry_event="when I finish the program",
        ).json()  # fmt: skip
    assert first["purpose"] == "at the member's request" and first["signature"] == care_team.display_name
    assert first["signed_at"].startswith("2026-12-03") and first["version"] == 1
    assert second["purpose"] == "so my mentor can cheer me on" and second["signature"] == "Maya R."
    assert second["expiry_event"] == "when I finish the program" and second["version"] == 2


def test_the_accounting_of_disclosures_groups_reads_by_recipient_and_consent(api, care_team, jordan, dr_reyes, omar):
    with time_machine.travel(NOW, tick=False):
        consent = grant(api, care_team, jordan, scopes=["checkin_summary", "attendance"], purpose="peer support").json()
    for days in (1, 2):
        with time_machine.travel(NOW + timedelta(days=days), tick=False):
            assert api(jordan).get(f"/api/v1/checkins/?client={care_team.pk}").status_code == 200
            assert api(dr_reyes).get(f"/api/v1/clients/{care_team.pk}/").status_code == 200
    with time_machine.travel(NOW + timedelta(days=3), tick=False):
        r = api(care_team).get("/api/v1/me/disclosures/")
    assert r.status_code == 200
    rows = {row["recipient"]["id"]: row for row in r.json()["results"]}
    assert set(rows) == {jordan.pk, dr_reyes.pk}
    mentor = rows[jordan.pk]
    assert mentor["consent"] == consent["id"] and mentor["purpose"] == "peer support"
    assert mentor["count"] == 2 and mentor["resources"] == ["checkins"]
    assert mentor["recipient"] == {"id": jordan.pk, "display_name": "Jordan", "role": "mentor"}
    assert mentor["first_at"].startswith("2026-12-04") and mentor["last_at"].startswith("2026-12-05")
    assert rows[dr_reyes.pk]["consent"] is None and "treatment" in rows[dr_reyes.pk]["purpose"]
    # Nobody else reads it: it is the member's own accounting.
    assert api(jordan).get("/api/v1/me/disclosures/").status_code == 403
    assert api(omar).get("/api/v1/me/disclosures/").status_code == 403


def test_disclosures_filter_by_dates_and_reach_three_years_back_at_most(api, care_team, dr_reyes):
    AccessLog.objects.create(
        organization=care_team.organization, client=care_team, actor=dr_reyes, resource="old", at=NOW - timedelta(days=4 * 365)
    )
    AccessLog.objects.create(
        organization=care_team.organization, client=care_team, actor=dr_reyes, resource="recent", at=NOW - timedelta(days=10)
    )
    with time_machine.travel(NOW, tick=False):
        rows = api(care_team).get("/api/v1/me/disclosures/").json()["results"]
        assert [r["resources"] for r in rows] == [["recent"]]
        assert api(care_team).get("/api/v1/me/disclosures/?from=2026-12-01").json()["results"] == []
        assert api(care_team).get("/api/v1/me/disclosures/?from=2026-11-01&to=2026-11-30").json()["results"][0]["count"] == 1
        assert api(care_team).get("/api/v1/me/disclosures/?from=garbage").status_code == 400
        assert api(care_team).get("/api/v1/me/disclosures/?from=2026-12-02&to=2026-12-01").status_code == 400


def test_every_export_carries_the_redisclosure_notice(api, maya, client):
    body = api(maya).get("/api/v1/me/export/").json()
    assert next(iter(body)) == "redisclosure_notice" and "42 CFR part 2" in body["redisclosure_notice"]
    client.force_login(maya)
    page = client.get("/account/export/").json()
    assert "prohibit you from making any other use or disclosure" in page["redisclosure_notice"]


def test_the_program_csv_opens_with_the_redisclosure_notice(client, sam):
    import csv
    import io

    client.force_login(sam)
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/program.csv").content.decode())))
    assert len(rows[0]) == 1 and rows[0][0].startswith("# This record which has been disclosed to you")
    assert rows[1][0] != rows[0][0]  # the figures follow


def test_a_printed_timeline_carries_the_notice_in_its_footer(client, care_team, dr_reyes):
    """The footer paragraph is shown only in print (static/css/kinship.css @media print)."""
    client.force_login(dr_reyes)
    response = client.get(f"/clients/{care_team.pk}/checkins/")
    assert response.status_code == 200
    page = response.content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    assert 'class="print-notice"' in footer and "42 CFR part 2" in footer
    client.logout()
    assert "print-notice" not in client.get("/login/").content.decode()  # public pages hold no records
