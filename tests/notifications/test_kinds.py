"""The outbox takes its vocabulary from the kinds registry (notifications.kinds), which each app
fills from its own AppConfig.ready(); notifications itself names no feature."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from notifications import kinds, services
from notifications.models import Notification

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def send(user, key, kind):  # type: ignore[no-untyped-def]
    return services.notification_create(recipient=user, kind=kind, title="Hello", dedupe_key=key)


def test_an_unregistered_kind_is_refused(maya):
    with pytest.raises(ValueError, match="unknown notification kind"):
        send(maya, "a", "carrier_pigeon")
    assert not Notification.objects.exists()


def test_sharing_changed_is_never_sent():
    assert not kinds.kind_known("consent_changed")


def test_the_daily_cap_counts_the_kinds_registered_as_capped(maya, settings):
    settings.NOTIFICATION_DAILY_CAP = 2
    kinds.notification_kind_register("test_tip", "Tip", capped=True)
    kinds.notification_kind_register("test_news", "News")
    assert "test_tip" in kinds.capped_kinds() and "test_news" not in kinds.capped_kinds()
    assert send(maya, "t1", "test_tip") is not None
    assert send(maya, "t2", "checkin_nudge") is not None  # capped too: counts toward the same cap
    assert send(maya, "t3", "test_tip") is None
    assert send(maya, "t4", "test_news") is not None  # never capped


def test_only_a_kind_registered_to_inactive_reaches_an_inactive_account(maya):
    kinds.notification_kind_register("test_welcome", "Welcome", to_inactive=True)
    maya.is_active = False
    maya.save()
    assert send(maya, "w", "test_welcome") is not None
    assert send(maya, "n", "checkin_nudge") is None


def test_notifications_code_names_no_feature_kind():
    # Each app registers its own kinds; notifications keeps no list of them.
    for path in (ROOT / "notifications").glob("*.py"):
        assert not re.search(r"\bKind\.|class Kind\b", path.read_text()), path
