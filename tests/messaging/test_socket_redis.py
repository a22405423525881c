"""The socket through the real Redis channel layer (CI: REDIS_URL; fails, not skips, there)."""

from __future__ import annotations

import os

import pytest
from django.test import override_settings

from members.tokens import token_issue
from tests.messaging.test_socket import _receives, _refused, run

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def redis_layer() -> dict:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [url], "prefix": "kinship-test"}}}


def test_live_delivery_and_refusal_through_redis(api, maya, jordan, omar, match_conv):
    with override_settings(CHANNEL_LAYERS=redis_layer()):
        from channels.layers import channel_layers

        channel_layers.backends.clear()

        def post() -> None:
            response = api(jordan).post(f"/api/v1/conversations/{match_conv.pk}/messages/", {"body": "via Redis"}, format="json")
            assert response.status_code == 201

        frame = run(_receives, match_conv.pk, token_issue(user=maya).key, post)
        assert frame["message"]["body"] == "via Redis"
        assert run(_refused, match_conv.pk, token_issue(user=omar).key)
        channel_layers.backends.clear()
