"""The planners beat runs (DESIGN.md "Reminders and nudges"): set-based, idempotent through
the outbox's unique dedupe key and the one-open-flag constraint, so a second run or a second
beat sends nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from members.choices import Role
from members.models import User
from notifications.selectors import checkin_time_preferences
from notifications.services import notification_create

from ..models import CheckIn, FlagKind, RiskFlag
from ..scopes import CHECKIN_NUDGE
from .flags import mentor_notify_flag, risk_flag_open

NO_CHECKIN_DAYS = 3


def _clients_by_zone(organization_id: int | None = None) -> dict[str, list[int]]:
    qs = User.objects.filter(role=Role.CLIENT, is_active=True, organization__isnull=False)
    if organization_id is not None:
        qs = qs.filter(organization_id=organization_id)
    zones: dict[str, list[int]] = {}
    for pk, zone in qs.values_list("pk", "timezone"):
        zones.setdefault(zone, []).append(pk)
    return zones


def no_checkin_flags_plan(*, now: datetime | None = None, organization_id: int | None = None) -> int:
    """Open `no_checkin_3d` for members with no check-in on their last 3 local days (and who
    joined at least 3 days ago), and tell their mentor once. One query per time zone in use."""
    now = now or timezone.now()
    opened = 0
    for zone, ids in _clients_by_zone(organization_id).items():
        today = now.astimezone(ZoneInfo(zone)).date()
        since = today - timedelta(days=NO_CHECKIN_DAYS - 1)
        recent = CheckIn.objects.filter(client=OuterRef("pk"), local_date__gte=since)
        open_flag = RiskFlag.objects.filter(client=OuterRef("pk"), kind=FlagKind.NO_CHECKIN_3D, resolved_at__isnull=True)
        due = User.objects.filter(pk__in=ids, date_joined__lte=now - timedelta(days=NO_CHECKIN_DAYS)).filter(
            ~Exists(recent), ~Exists(open_flag)
        )
        for client in due:
            with transaction.atomic():
                flag, was_opened = risk_flag_open(
                    client=client,
                    kind=FlagKind.NO_CHECKIN_3D,
                    reason=f"No check-in since {(since - timedelta(days=1)).isoformat()} or earlier.",
                    now=now,
                )
                if was_opened:
                    opened += 1
                    mentor_notify_flag(client=client, flag=flag)
    return opened


def checkin_nudges_plan(*, now: datetime | None = None) -> int:
    """The check-in nudge: at the member's chosen local time, on their chosen days, only if
    they have not checked in yet that day ("remind me only when I missed it"). The dedupe key
    holds the local day, so a second run or a second beat sends nothing twice."""
    now = now or timezone.now()
    created = 0
    for zone, ids in _clients_by_zone().items():
        local = now.astimezone(ZoneInfo(zone))
        today = local.date()
        weekday = (local.weekday() + 1) % 7  # 0 = Sunday, as everywhere in the API
        checked_in = CheckIn.objects.filter(client=OuterRef("user_id"), local_date=today)
        prefs = checkin_time_preferences(user_ids=ids, at_or_before=local.time()).filter(~Exists(checked_in))
        for pref in prefs:
            if weekday not in (pref.checkin_days or []):
                continue
            created += (
                notification_create(
                    recipient=pref.user,
                    kind=CHECKIN_NUDGE,
                    title="How are you today? Your check-in takes 30 seconds",
                    body="A quick check-in keeps your care team in the loop. Skip any question you like.",
                    url=reverse("checkin"),
                    dedupe_key=f"checkin_nudge:{pref.user_id}:{today.isoformat()}",
                )
                is not None
            )
    return created
