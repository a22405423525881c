"""The notification kinds. Each app registers its own from its AppConfig.ready()
(`notification_kind_register`), so notifications names no feature: it only knows how to
deliver a kind, whether the daily cap counts it, and whether its emails can be unsubscribed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class KindInfo:
    value: str
    label: str | Promise
    capped: bool  # counts toward the per-member daily cap on routine nudges and reminders
    unsubscribable: bool  # crisis alerts cannot be unsubscribed
    to_inactive: bool  # may go to an account that is not active yet (an invitation)
    # What an email subject or a text message says for this kind: that there is something to
    # see, never what (DESIGN.md "Trust"). A notification may pass its own, equally bare line.
    outside: str | Promise


GENERIC_OUTSIDE = _("You have a new notification in Kinship.")

_kinds: dict[str, KindInfo] = {}


def notification_kind_register(
    value: str,
    label: str | Promise,
    *,
    capped: bool = False,
    unsubscribable: bool = True,
    to_inactive: bool = False,
    outside: str | Promise = "",
) -> None:
    _kinds[value] = KindInfo(
        value=value,
        label=label,
        capped=capped,
        unsubscribable=unsubscribable,
        to_inactive=to_inactive,
        outside=outside or GENERIC_OUTSIDE,
    )


def kind_known(value: str) -> bool:
    return value in _kinds


def kind_info(value: str) -> KindInfo:
    return _kinds[value]


def kinds() -> list[KindInfo]:
    return sorted(_kinds.values(), key=lambda k: k.value)


def capped_kinds() -> tuple[str, ...]:
    return tuple(sorted(k.value for k in _kinds.values() if k.capped))
