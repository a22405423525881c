"""What "all of my data" means, app by app. Each app registers an exporter (and, if it holds
personal data, an eraser) in its AppConfig.ready(), so /me/export/ and erasure stay complete as
apps are added without members knowing about them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import User

_exporters: dict[str, Callable[[User], Any]] = {}
_erasers: list[Callable[[User], None]] = []


def register_exporter(name: str, fn: Callable[[User], Any]) -> None:
    _exporters[name] = fn


def register_eraser(fn: Callable[[User], None]) -> None:
    _erasers.append(fn)


def export_everything(user: User) -> dict[str, Any]:
    return {name: fn(user) for name, fn in sorted(_exporters.items())}


def erase_everywhere(user: User) -> None:
    for fn in _erasers:
        fn(user)
