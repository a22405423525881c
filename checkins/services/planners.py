"""The planners beat runs (DESIGN.md "Reminders and nudges"): set-based, idempotent through
the outbox's unique dedupe key and the one-open-flag constraint, so a second run or a second
beat sends nothing twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from members.choices import Role
from members.models import User
from notifications.models import Notification
from notifications.selectors import checkin_time_preferences_in_zone
from notifications.services import NotificationSpec, notifications_create_many

from ..models import CheckIn, FlagKind, RiskFlag
from ..scopes import CHECKIN_NUDGE
from .flags import flags_notify, risk_flag_open

NO_CHECKIN_DAYS = 3


def _client_zones(organization_id: int | None = None) -> list[str]:
    qs = User.objects.filter(role=Role.CLIENT, is_active=True, organization__isnull=False)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    return sorted(set(qs.order_by().values_list("timezone", flat=True).distinct()))


def no_checkin_flags_plan(*, now: datetime | None = None, organization_id: int | None = None) -> int:
    """Open `no_checkin_3d` for members with no check-in on their last 3 local days (and who
    joined at least 3 days ago); once per episode this sends her a gentle note and tells her
    clinicians and (with her consent) her mentor, all in one batch (flags_notify). One query per
    time zone in use finds who is due."""
    now = now or timezone.now()
    opened = []
    with transaction.atomic():
        for zone in _client_zones(organization_id):
            today = now.astimezone(ZoneInfo(zone)).date()
            since = today - timedelta(days=NO_CHECKIN_DAYS - 1)
            recent = CheckIn.objects.filter(client=OuterRef("pk"), local_date__gte=since)
            open_flag = RiskFlag.objects.filter(client=OuterRef("pk"), kind=FlagKind.NO_CHECKIN_3D, resolved_at__isnull=True)
            due = User.objects.filter(
                role=Role.CLIENT,
                is_active=True,
                organization__isnull=False,
                timezone=zone,
                date_joined__lte=now - timedelta(days=NO_CHECKIN_DAYS),
            ).filter(~Exists(recent), ~Exists(open_flag))
            if organization_id is not None:
                due = due.filter(organization_id=organization_id)
            for client in due:
                flag, was_opened = risk_flag_open(
                    client=client,
                    kind=FlagKind.NO_CHECKIN_3D,
                    reason=f"No check-in since {(since - timedelta(days=1)).isoformat()} or earlier.",
                    now=now,
                )
                if was_opened:
                    opened.append(flag)
        flags_notify(flags=opened)
    return len(opened)


NUDGE_TITLE = gettext_lazy("How are you today? Your check-in takes 30 seconds")
NUDGE_BODY = gettext_lazy("A quick check-in keeps your care team in the loop. Skip any question you like.")


def checkin_nudge_key(user_id: int, day: date) -> str:
    return f"checkin_nudge:{user_id}:{day.isoformat()}"


def checkin_nudges_due(*, zone: str, now: datetime, with_language: bool = False) -> list[Any]:
    """Members in `zone` due a nudge now: their chosen local time has come today, today is one
    of their days, they have not checked in and have not been nudged today. One query."""
    local = now.astimezone(ZoneInfo(zone))
    today = local.date()
    weekday = (local.weekday() + 1) % 7  # 0 = Sunday, as everywhere in the API
    checked_in = CheckIn.objects.filter(client=OuterRef("user_id"), local_date=today)
    nudged = Notification.objects.filter(
        dedupe_key=Concat(Value("checkin_nudge:"), Cast(OuterRef("user_id"), CharField()), Value(f":{today.isoformat()}"))
    )
    due = (
        checkin_time_preferences_in_zone(zone=zone, at_or_before=local.time())
        .filter(user__role=Role.CLIENT, user__is_active=True, user__organization__isnull=False)
        .filter(~Exists(checked_in), ~Exists(nudged))
    )
    if connection.vendor == "postgresql":
        # Her days are a JSON list: PostgreSQL tests "today is one of them" (jsonb @>), so only
        # the members due travel back (SQLite has no JSON containment: Python tests it there).
        due = due.filter(checkin_days__contains=[weekday])
        rows: list[tuple[int, str]] = list(due.values_list("user_id", "user__language"))
    else:
        rows = [
            (pk, language)
            for pk, days, language in due.values_list("user_id", "checkin_days", "user__language")
            if weekday in (days or [])
        ]
    if with_language:
        return rows
    return [pk for pk, _language in rows]


def checkin_nudges_plan(*, now: datetime | None = None) -> int:
    """The check-in nudge: at the member's chosen local time, on their chosen days, only if
    they have not checked in yet that day ("remind me only when I missed it"). One query per
    time zone finds who is due; one batch creates every nudge (notifications_create_many).
    The dedupe key holds the local day, so a second run or a second beat sends nothing twice."""
    now = now or timezone.now()
    url = reverse("checkin")
    specs = []
    for zone in _client_zones():
        today = now.astimezone(ZoneInfo(zone)).date()
        by_language: dict[str, list[int]] = {}
        for pk, language in checkin_nudges_due(zone=zone, now=now, with_language=True):
            by_language.setdefault(language, []).append(pk)
        for language, pks in sorted(by_language.items()):
            # The nudge in each member's own language.
            with translation.override(language):
                title, body = str(NUDGE_TITLE), str(NUDGE_BODY)
            specs += [
                NotificationSpec(
                    recipient_id=pk, kind=CHECKIN_NUDGE, title=title, body=body, url=url, dedupe_key=checkin_nudge_key(pk, today)
                )
                for pk in pks
            ]
    return len(notifications_create_many(specs, now=now))
