"""The feature kinds the outbox tests send. notifications knows no feature: checkins, groups and
matching register their kinds from their own apps.py. The outbox tests should not depend on
which of those apps happen to be installed, so each test gets a copy of the registry with the
kinds it uses added where missing (a feature's own registration wins), and the copy is thrown
away afterwards, so nothing leaks into other apps' tests."""

from __future__ import annotations

import pytest

from notifications import kinds

FEATURE_KINDS = {
    "checkin_nudge": {"capped": True},
    "session_reminder": {"capped": True},
    "match_accepted": {},
    "crisis_alert": {"unsubscribable": False},
}


def use_feature_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))
    for value, flags in FEATURE_KINDS.items():
        if not kinds.kind_known(value):
            kinds.notification_kind_register(value, value.replace("_", " ").capitalize(), **flags)
