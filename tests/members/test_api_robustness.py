"""Conventions of API.md that hold for every endpoint: JSON errors, no input produces a 500,
unknown paths are JSON 404s; and the schema, docs and health endpoints."""

import json

import pytest
import yaml
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def raw():
    """A Django test client that returns 500s instead of raising, like a real server."""
    return Client(raise_request_exception=False)


def token_header(user):
    from members.tokens import token_issue

    return {"HTTP_AUTHORIZATION": f"Token {token_issue(user=user).key}"}


@pytest.mark.parametrize(
    "path", ["/api/v1/nope/", "/api/v1/clients/1/nope/", "/api/nothing", "/api/v2/me/", "/api/v1/me/consents/x/revoke/"]
)
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_api_paths_are_json_404(raw, maya, path, method):
    r = getattr(raw, method)(path, **token_header(maya))
    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert "detail" in r.json()


def test_unknown_api_paths_are_json_404_with_debug_on(raw, settings):
    settings.DEBUG = True
    r = raw.get("/api/v1/does-not-exist/")
    assert r.status_code == 404 and r["Content-Type"] == "application/json"


def test_a_missing_trailing_slash_is_named_not_redirected(raw, maya, settings):
    settings.DEBUG = True  # Django's APPEND_SLASH raises (500) on a POST here with DEBUG on
    r = raw.post("/api/v1/auth/token", data=json.dumps({"email": "maya@example.org"}), content_type="application/json")
    assert r.status_code == 404
    assert "/api/v1/auth/token/" in r.json()["detail"]


AUTHED_WRITES = [
    ("patch", "/api/v1/me/"),
    ("patch", "/api/v1/me/profile/"),
    ("post", "/api/v1/me/consents/"),
    ("put", "/api/v1/me/reminders/"),
]
ANON_WRITES = [("post", "/api/v1/auth/token/"), ("post", "/api/v1/signup/")]


@pytest.mark.parametrize(
    "body,content_type",
    [
        ("{not json", "application/json"),
        ('{"display_name": "x"', "application/json"),
        ("\x00\x01\x02", "application/json"),
        ("just words", "text/plain"),
        ("<xml/>", "application/xml"),
        ("", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"a string"', "application/json"),
        ("null", "application/json"),
        ("42", "application/json"),
        ("\xff\xfe", "application/json"),
    ],
)
@pytest.mark.parametrize("method,path", AUTHED_WRITES + ANON_WRITES)
def test_malformed_bodies_are_400_never_500(raw, care_team, org, method, path, body, content_type):
    headers = token_header(care_team) if (method, path) in AUTHED_WRITES else {}
    r = getattr(raw, method)(path, data=body.encode("utf-8", "surrogatepass"), content_type=content_type, **headers)
    if body == "" and (method, path) in AUTHED_WRITES:
        assert r.status_code in (200, 400)  # an empty PATCH changes nothing
    else:
        assert r.status_code == 400, (r.status_code, r.content)
    assert r["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/?role=%00",
        "/api/v1/clients/?page=%00",
        "/api/v1/audit/?client=1%00",
        "/api/v1/notifications/?unread=%00",
    ],
)
def test_nul_bytes_in_query_strings_are_400(raw, sam, path):
    r = raw.get(path, **token_header(sam))
    assert r.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/users/?page=999",
        "/api/v1/users/?page=abc",
        "/api/v1/users/?page_size=100000",
        "/api/v1/clients/?page=0",
        "/api/v1/audit/?page=2",
        f"/api/v1/audit/?client={'9' * 40}",
        "/api/v1/notifications/?unread=perhaps",
    ],
)
def test_odd_query_strings_are_4xx_never_500(raw, sam, path):
    r = raw.get(path, **token_header(sam))
    assert r.status_code in (200, 400, 404)
    assert r["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("patch", "/api/v1/me/", {"display_name": "Ma\u0000ya"}),
        ("patch", "/api/v1/me/", {"timezone": "UTC\u0000"}),
        ("patch", "/api/v1/me/profile/", {"goal": "\u0000"}),
        ("patch", "/api/v1/me/profile/", {"experience_tags": ["a\u0000b"]}),
        ("patch", "/api/v1/me/profile/", {"working_toward": "\u0000"}),
        ("patch", "/api/v1/me/profile/", {"substances": ["al\u0000cohol"]}),
        ("post", "/api/v1/me/consents/", {"grantee": 1, "scopes": ["\u0000"]}),
        ("put", "/api/v1/me/reminders/", {"channels": ["in_app\u0000"]}),
        (
            "post",
            "/api/v1/signup/",
            {
                "organization": "riverbend",
                "email": "a@b.org",
                "password": "Long-enough-2026\u0000",
                "display_name": "A",
                "timezone": "UTC",
            },
        ),
    ],
)
def test_nul_characters_in_json_strings_are_400(raw, care_team, org, method, path, body):
    r = getattr(raw, method)(path, data=json.dumps(body), content_type="application/json", **token_header(care_team))
    assert r.status_code == 400, r.content


@pytest.mark.parametrize("value", ["-1", "0", "abc", "null", "1.5"])
def test_bad_page_size_is_400(raw, sam, value):
    r = raw.get(f"/api/v1/users/?page_size={value}", **token_header(sam))
    assert r.status_code == 400 and "page_size" in r.json()


def test_page_size_is_capped_not_refused(raw, sam):
    r = raw.get("/api/v1/users/?page_size=5000", **token_header(sam))
    assert r.status_code == 200


@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_form_bodies_are_refused_json_in_and_out(raw, maya, content_type):
    r = raw.patch("/api/v1/me/", data="display_name=Maya+F", content_type=content_type, **token_header(maya))
    assert r.status_code == 400 and "JSON" in r.json()["detail"]
    maya.refresh_from_db()
    assert maya.display_name == "Maya"


@pytest.mark.parametrize(
    "persona,method,path,body,field",
    [
        ("maya", "patch", "/api/v1/me/", {"display_name": 123}, "display_name"),
        ("maya", "patch", "/api/v1/me/", {"timezone": {"name": "UTC"}}, "timezone"),
        ("maya", "patch", "/api/v1/me/profile/", {"mentor_gender_required": "yes"}, "mentor_gender_required"),
        ("maya", "patch", "/api/v1/me/profile/", {"treatment_consent": 1}, "treatment_consent"),
        ("maya", "patch", "/api/v1/me/profile/", {"languages": [1]}, "languages"),
        ("maya", "patch", "/api/v1/me/profile/", {"working_toward": 5}, "working_toward"),
        ("maya", "patch", "/api/v1/me/profile/", {"recovery_start": 20260101}, "recovery_start"),
        (
            "maya",
            "patch",
            "/api/v1/me/profile/",
            {"availability": [{"day": "1", "start": "09:00", "end": "10:00"}]},
            "availability",
        ),
        (
            "maya",
            "patch",
            "/api/v1/me/profile/",
            {"availability": [{"day": True, "start": "09:00", "end": "10:00"}]},
            "availability",
        ),
        ("maya", "patch", "/api/v1/me/profile/", {"show_sober_days": "false"}, "show_sober_days"),
        ("jordan", "patch", "/api/v1/me/profile/", {"capacity": "3"}, "capacity"),
        ("jordan", "patch", "/api/v1/me/profile/", {"years_in_recovery": True}, "years_in_recovery"),
        ("jordan", "patch", "/api/v1/me/profile/", {"supports_harm_reduction": "true"}, "supports_harm_reduction"),
        ("sam", "post", "/api/v1/users/", {"email": "n@example.org", "display_name": "N", "role": 1}, "role"),
        ("sam", "post", "/api/v1/users/", {"email": "n@example.org", "display_name": ["N"], "role": "client"}, "display_name"),
        ("maya", "post", "/api/v1/me/consents/", {"grantee": "5", "scopes": ["attendance"]}, "grantee"),
        ("maya", "post", "/api/v1/me/consents/", {"grantee": 5.0, "scopes": ["attendance"]}, "grantee"),
        ("maya", "put", "/api/v1/me/reminders/", {"group_reminders": "yes"}, "group_reminders"),
        ("maya", "put", "/api/v1/me/reminders/", {"checkin_days": ["1"]}, "checkin_days"),
        ("maya", "put", "/api/v1/me/reminders/", {"checkin_time": 1930}, "checkin_time"),
        (None, "post", "/api/v1/auth/token/", {"email": 5, "password": "x"}, "email"),
        (
            None,
            "post",
            "/api/v1/signup/",
            {"organization": "riverbend", "email": "a@b.org", "password": 12345678901234, "display_name": "A", "timezone": "UTC"},
            "password",
        ),
    ],
)
def test_wrong_json_types_are_400_with_field_messages(raw, org, request, persona, method, path, body, field):
    headers = token_header(request.getfixturevalue(persona)) if persona else {}
    r = getattr(raw, method)(path, data=json.dumps(body), content_type="application/json", **headers)
    assert r.status_code == 400, r.content
    assert field in r.json(), r.json()


def test_type_errors_and_other_errors_are_reported_together(raw, sam):
    body = {"email": "not-an-email", "display_name": 7, "role": "wizard"}
    r = raw.post("/api/v1/users/", data=json.dumps(body), content_type="application/json", **token_header(sam))
    assert r.status_code == 400 and set(r.json()) == {"email", "display_name", "role"}


def test_wrong_verbs_are_405_json(raw, maya):
    r = raw.delete("/api/v1/me/profile/", **token_header(maya))
    assert r.status_code == 405 and r["Content-Type"] == "application/json"


def test_unauthenticated_requests_are_401_json(raw):
    for path in ("/api/v1/me/", "/api/v1/clients/", "/api/v1/notifications/", "/api/v1/me/export/"):
        r = raw.get(path)
        assert r.status_code == 401 and "detail" in r.json()


def test_a_bogus_token_is_401(raw, maya):
    r = raw.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")
    assert r.status_code == 401
    r = raw.get("/api/v1/me/", HTTP_AUTHORIZATION="Token " + "\x00" * 10)
    assert r.status_code in (400, 401)


def test_the_browser_session_works_and_needs_csrf_for_writes(maya):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(maya)
    assert browser.get("/api/v1/me/").status_code == 200
    r = browser.patch("/api/v1/me/", data=json.dumps({"display_name": "X"}), content_type="application/json")
    assert r.status_code == 403


# --- /api/schema/, /api/docs/, /healthz -------------------------------------------------------

CONTRACT_PATHS = [
    "/api/v1/auth/token/",
    "/api/v1/auth/logout/",
    "/api/v1/signup/",
    "/api/v1/me/",
    "/api/v1/me/profile/",
    "/api/v1/me/export/",
    "/api/v1/users/",
    "/api/v1/users/{user_id}/",
    "/api/v1/clients/",
    "/api/v1/clients/{client_id}/",
    "/api/v1/clients/{client_id}/care-team/",
    "/api/v1/me/consents/",
    "/api/v1/me/consents/{consent_id}/revoke/",
    "/api/v1/me/access-log/",
    "/api/v1/audit/",
    "/api/v1/notifications/",
    "/api/v1/notifications/{notification_id}/read/",
    "/api/v1/me/reminders/",
]


def test_schema_describes_every_endpoint_of_these_sections(raw):
    r = raw.get("/api/schema/")
    assert r.status_code == 200
    schema = yaml.safe_load(r.content)
    assert schema["openapi"].startswith("3.")
    missing = [p for p in CONTRACT_PATHS if p not in schema["paths"]]
    assert missing == []
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(token["responses"])
    assert "201" in schema["paths"]["/api/v1/signup/"]["post"]["responses"]
    assert "201" in schema["paths"]["/api/v1/me/consents/"]["post"]["responses"]


def test_schema_as_json(raw):
    r = raw.get("/api/schema/?format=json")
    assert r.status_code == 200 and "paths" in r.json()


def test_docs_page_serves_without_a_cdn(raw):
    r = raw.get("/api/docs/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger" in html.lower()
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()


def test_healthz_reports_each_dependency(raw):
    r = raw.get("/healthz")
    assert r.status_code == 200
    assert set(r.json()) == {"database", "cache", "broker", "beat"}
    assert r.json()["database"] == "ok" and r.json()["cache"] == "ok"
    assert set(r.json().values()) <= {"ok", "down"}


def test_healthz_says_down_for_a_broken_broker_and_stays_200(raw, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from recovery_site.celery import app

    # Celery reads the Django-namespaced key first.
    previous = app.conf.CELERY_BROKER_URL
    app.conf.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        r = raw.get("/healthz")
    finally:
        app.conf.CELERY_BROKER_URL = previous
    assert r.status_code == 200 and r.json()["broker"] == "down"


def test_healthz_is_503_when_the_database_is_down(raw, monkeypatch):
    from common import health

    monkeypatch.setattr(health, "_database", lambda: "down")
    r = raw.get("/healthz")
    assert r.status_code == 503 and r.json()["database"] == "down"


def test_schema_generates_without_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = yaml.safe_load((tmp_path / "schema.yml").read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "400" in operation["responses"] and "404" in operation["responses"], (method, path)
    assert "429" in schema["paths"]["/api/v1/signup/"]["post"]["responses"]
    assert "401" not in schema["paths"]["/api/v1/signup/"]["post"]["responses"]
    assert "401" in schema["paths"]["/api/v1/me/"]["get"]["responses"]
