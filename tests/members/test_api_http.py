"""One story over real HTTP against a running server, the way an outside client sees it:
sign up, build a care team, share, revoke, read the access log."""

import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command


@pytest.fixture
def http(live_server):
    def call(method, path, body=None, token=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(live_server.url + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Token {token}")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                raw, status, ctype = resp.read(), resp.status, resp.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            raw, status, ctype = err.read(), err.code, err.headers.get("Content-Type", "")
        assert ctype.startswith("application/json"), (status, ctype, raw[:200])
        return status, (json.loads(raw) if raw else None)

    return call


def test_care_team_and_consent_story_over_http(http, transactional_db):
    call_command(
        "create_organization", "lakeside", "--name", "Lakeside", "--admin-email", "boss@lakeside.org",
        "--admin-password", "Sturdy-admin-2026", "--self-signup", "--timezone", "America/Chicago",
    )  # fmt: skip
    status, body = http("POST", "/api/v1/auth/token/", {"email": "boss@lakeside.org", "password": "Sturdy-admin-2026"})
    assert status == 200
    staff = body["token"]

    status, body = http(
        "POST",
        "/api/v1/signup/",
        {
            "organization": "lakeside",
            "email": "kai@example.org",
            "password": "Kai-long-pass-2026",
            "display_name": "Kai",
            "timezone": "America/Chicago",
        },
    )
    assert status == 201 and body["role"] == "client"
    status, body = http("POST", "/api/v1/auth/token/", {"email": "kai@example.org", "password": "Kai-long-pass-2026"})
    kai = body["token"]
    kai_id = http("GET", "/api/v1/me/", None, kai)[1]["id"]
    assert (
        http(
            "POST",
            "/api/v1/signup/",
            {
                "organization": "lakeside",
                "email": "KAI@example.org",
                "password": "Kai-long-pass-2026",
                "display_name": "K",
                "timezone": "UTC",
            },
        )[0]
        == 201  # M6: a taken email answers like a new one (its owner is emailed)
    )

    people = {}
    for email, role in (("mo@example.org", "mentor"), ("dr@example.org", "clinician")):
        status, body = http(
            "POST",
            "/api/v1/users/",
            {"email": email, "display_name": email[:2], "role": role, "password": "Team-pass-2026x"},
            staff,
        )
        assert status == 201
        people[role] = body["id"]
        status, body = http("POST", f"/api/v1/clients/{kai_id}/care-team/", {"user": body["id"], "role": role}, staff)
        assert status == 201
    mentor = http("POST", "/api/v1/auth/token/", {"email": "mo@example.org", "password": "Team-pass-2026x"})[1]["token"]

    assert (
        http("PATCH", "/api/v1/me/profile/", {"goal": "undecided", "pathways": ["smart"], "treatment_consent": True}, kai)[0]
        == 200
    )
    status, body = http("GET", f"/api/v1/clients/{kai_id}/", token=mentor)
    assert status == 200 and body["shared_with_you"] == []

    status, grant = http("POST", "/api/v1/me/consents/", {"grantee": people["mentor"], "scopes": ["checkin_summary"]}, kai)
    assert status == 201
    assert http("GET", f"/api/v1/clients/{kai_id}/", token=mentor)[1]["shared_with_you"] == ["checkin_summary"]
    assert http("POST", f"/api/v1/me/consents/{grant['id']}/revoke/", token=kai)[0] == 200
    assert http("GET", f"/api/v1/clients/{kai_id}/", token=mentor)[1]["shared_with_you"] == []

    status, log = http("GET", "/api/v1/me/access-log/", token=kai)
    assert status == 200
    assert [e["actor"] for e in log["results"]].count(people["mentor"]) == 3

    assert http("GET", "/api/v1/no/such/thing/", token=kai)[0] == 404
    assert http("GET", "/api/v1/me/")[0] == 401
    for _ in range(5):
        assert http("POST", "/api/v1/auth/token/", {"email": "kai@example.org", "password": "not-it-at-all"})[0] == 400
    assert http("POST", "/api/v1/auth/token/", {"email": "kai@example.org", "password": "Kai-long-pass-2026"})[0] == 429
    status, body = http("GET", "/healthz")
    assert status == 200 and body["database"] == "ok"
