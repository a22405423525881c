import pytest


@pytest.mark.django_db
def test_signup_then_profile_then_token(api, org):
    r = api().post(
        "/api/v1/signup/",
        {
            "organization": "riverbend",
            "email": "new@example.org",
            "password": "Long-enough-2026",
            "display_name": "Ren",
            "timezone": "America/Chicago",
        },
        format="json",
    )
    assert r.status_code == 201, r.content
    assert "token" not in r.json()  # M6: sign-up answers alike for a taken email; then sign in
    r = api().post("/api/v1/auth/token/", {"email": "new@example.org", "password": "Long-enough-2026"}, format="json")
    token = r.json()["token"]
    c = api()
    c.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    r = c.patch(
        "/api/v1/me/profile/",
        {"goal": "moderation", "pathways": ["smart"], "availability": [{"day": 2, "start": "18:00", "end": "20:00"}]},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["goal"] == "moderation"
    r = api().post("/api/v1/auth/token/", {"email": "new@example.org", "password": "Long-enough-2026"}, format="json")
    # Each sign-in gets its own token (H3); both work until they expire or end.
    assert r.status_code == 200 and r.json()["token"] != token
    c.credentials(HTTP_AUTHORIZATION=f"Token {r.json()['token']}")
    assert c.get("/api/v1/me/").status_code == 200
