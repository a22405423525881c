from __future__ import annotations

import pytest

from .feature_kinds import use_feature_kinds


@pytest.fixture(autouse=True)
def _feature_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    use_feature_kinds(monkeypatch)
