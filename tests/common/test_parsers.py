"""M1: a body nested 100,000 levels deep is a 400 with a message, not a 500, signed in or not."""

import pytest

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT])
def test_deeply_nested_json_is_a_400_for_a_signed_in_member(api, maya, body):
    r = api(maya).generic("POST", "/api/v1/checkins/", body, content_type="application/json")
    assert r.status_code == 400
    assert "nested too deeply" in r.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/signup/", "/api/v1/auth/token/"])
def test_deeply_nested_json_is_a_400_for_anyone(api, path):
    r = api().generic("POST", path, DEEP, content_type="application/json")
    assert r.status_code == 400
