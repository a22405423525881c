"""The daily check-in: recorded for the member's *local* day (one per day, updated when sent
again), then the risk rules of DESIGN.md run on her recent history; a cry for help
(need_support) opens a crisis flag and alerts the care team in the same transaction."""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from common.daily_facts import daily_facts_changed
from common.errors import Invalid, NotAllowed
from members.choices import Goal, Role
from members.models import AuditEvent, ClientProfile, User
from members.services import audit_record

from ..models import CheckIn, FlagKind, RiskFlag, Used
from .crisis import crisis_alert_send, crisis_resources
from .flags import NOTE_MAX, mentor_notify_flag, risk_flag_open, risk_flag_resolve_auto
from .streaks import STREAK_WINDOW_DAYS, days_since_last_use, local_today, streak_from_dates

BACKFILL_DAYS = 7
AMOUNT_MAX = Decimal("999.9")
HIGH_CRAVING = 7  # craving >= 7 ...
HIGH_CRAVING_OF_LAST = (2, 3)  # ... on 2 of the last 3 check-ins
LOW_MOOD = 2  # mood <= 2 ...
LOW_MOOD_DAYS = 3  # ... three local days running


@dataclass
class CheckInResult:
    checkin: CheckIn
    created: bool
    streak: int
    days_since_last_use: int | None
    crisis: bool
    crisis_resources: list[dict[str, str]] = field(default_factory=list)
    opened_flags: list[str] = field(default_factory=list)


def _validate_checkin(
    *,
    client: User,
    mood: Any,
    craving: Any,
    used: Any,
    amount: Any,
    note: Any,
    day: date,
    today: date,
) -> Decimal | None:
    if isinstance(mood, bool) or not isinstance(mood, int) or not 1 <= mood <= 5:
        raise Invalid(gettext("Mood is a number from 1 (very low) to 5 (very good)."), field="mood")
    if isinstance(craving, bool) or not isinstance(craving, int) or not 0 <= craving <= 10:
        raise Invalid(gettext("Craving is a number from 0 (none) to 10 (the strongest)."), field="craving")
    if used not in Used.values:
        raise Invalid(gettext("Answer yes, no, or skip (skip is always fine)."), field="used")
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise Invalid(gettext("Keep the note to %(note_max)s characters or fewer.") % {"note_max": NOTE_MAX}, field="note")
    if day > today:
        raise Invalid(gettext("A check-in cannot be for a day that has not happened yet."), field="date")
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise Invalid(
            gettext("You can fill in a missed check-in for up to %(backfill_days)s days back.")
            % {"backfill_days": BACKFILL_DAYS},
            field="date",
        )
    if amount is None or amount == "":
        return None
    # Only a check-in with an amount needs the goal: one query on that path alone.
    goal = ClientProfile.objects.filter(user=client).values_list("goal", flat=True).first()
    if goal != Goal.MODERATION:
        raise Invalid(
            "An amount is recorded for moderation goals only; you can change your goal in your profile.", field="amount"
        )
    if used != Used.YES:
        raise Invalid(gettext("Record an amount only on a day you used."), field="amount")
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise Invalid(gettext("The amount is a number, like 2 or 1.5."), field="amount") from None
    if not value.is_finite() or value < 0 or value > AMOUNT_MAX:
        raise Invalid(gettext("The amount is a number from 0 to %(amount_max)s.") % {"amount_max": AMOUNT_MAX}, field="amount")
    return value


@dataclass
class _Written:
    pk: int
    created: bool
    created_at: datetime
    history: list[tuple[date, int, int]]  # (local_date, mood, craving), newest first
    show_sober_days: bool
    recovery_start: date | None


def checkin_record(
    *,
    actor: User,
    client: User,
    mood: Any,
    craving: Any,
    used: Any = Used.SKIP,
    amount: Any = None,
    connected: bool = False,
    note: Any = "",
    need_support: bool = False,
    local_date: date | None = None,
    now: datetime | None = None,
) -> CheckInResult:
    """Record the day's check-in (or update it: one per local day), then run the risk rules.

    A cry for help (need_support) is written in one transaction with its crisis flag and the
    alerts, so none of them can exist without the others. Otherwise, on PostgreSQL, the write is
    one statement (check-in, audit row, end of a `no_checkin_3d` flag, and the recent history
    read back) and any flags the rules call for follow in their own transaction; the rules run
    again on every check-in and opening a flag is idempotent, so nothing is lost between."""
    if actor.pk != client.pk or client.role != Role.CLIENT:
        raise NotAllowed(gettext("Only members record their own check-ins."))
    now = now or timezone.now()
    today = local_today(client, now)
    day = local_date or today
    value = _validate_checkin(
        client=client, mood=mood, craving=craving, used=used, amount=amount, note=note, day=day, today=today
    )
    fields = {
        "mood": mood,
        "craving": craving,
        "used": used,
        "amount": value,
        "connected": bool(connected),
        "note": note.strip(),
        "need_support": bool(need_support),
    }
    fast = connection.vendor == "postgresql"
    with transaction.atomic() if need_support or not fast else nullcontext():
        args: dict[str, Any] = {"actor": actor, "client": client, "day": day, "today": today, "fields": fields, "now": now}
        written = _checkin_write_one_statement(**args) if fast else _checkin_write_portable(**args)
        daily_facts_changed([(client.pk, day)])  # the dashboard rollups of her day
        rules = _risk_rules(written.history)
        opened: list[str] = []
        if rules or need_support:
            with transaction.atomic():
                for kind, reason in rules:
                    flag, was_opened = risk_flag_open(client=client, kind=kind, reason=reason, now=now)
                    if was_opened:
                        opened.append(kind)
                        mentor_notify_flag(client=client, flag=flag)
                if need_support:
                    flag, was_opened = risk_flag_open(
                        client=client,
                        kind=FlagKind.CRISIS,
                        reason=f"Asked for support in the check-in of {day.isoformat()}.",
                        now=now,
                    )
                    if was_opened:
                        opened.append(FlagKind.CRISIS)
                    crisis_alert_send(client=client, flag=flag, local_date=today, source="check-in")
    checkin = CheckIn(
        pk=written.pk,
        organization_id=client.org_id,
        client=client,
        local_date=day,
        created_at=written.created_at,
        updated_at=now,
        **fields,
    )
    return CheckInResult(
        checkin=checkin,
        created=written.created,
        streak=streak_from_dates((d for d, _, _ in written.history), today=today),
        days_since_last_use=days_since_last_use(
            client=client, show=written.show_sober_days, recovery_start=written.recovery_start, today=today
        ),
        crisis=bool(need_support),
        crisis_resources=crisis_resources(client.organization) if need_support else [],
        opened_flags=opened,
    )


_UPSERT_COLUMNS = ("mood", "craving", "used", "amount", "connected", "note", "need_support")


def _history_since(today: date) -> date:
    return today - timedelta(days=STREAK_WINDOW_DAYS)


def _checkin_write_one_statement(
    *, actor: User, client: User, day: date, today: date, fields: dict[str, Any], now: datetime
) -> _Written:
    """PostgreSQL: the whole write in one round trip, atomic as any single statement is.
    INSERT ... ON CONFLICT on the (client, local_date) constraint upserts the day (`xmax = 0`
    tells a new row), a second CTE writes the audit row, a third ends an open `no_checkin_3d`
    flag when the check-in is for today, and the main query reads the profile settings and the
    recent history. The history is read from the statement's snapshot, before the upsert, so the
    day's new values are merged in here."""
    meta = CheckIn._meta
    values = {
        "organization_id": client.org_id,
        "client_id": client.pk,
        "local_date": day,
        **fields,
        "created_at": now,
        "updated_at": now,
    }
    columns = list(values)
    # Column names are the model's attnames (no db_column anywhere); every value is a parameter.
    params: list[Any] = [meta.get_field(c).get_db_prep_save(values[c], connection) for c in columns]  # type: ignore[union-attr]
    names = ", ".join(f'"{c}"' for c in columns)
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in (*_UPSERT_COLUMNS, "updated_at"))
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"""
        WITH up AS (
            INSERT INTO "{meta.db_table}" ({names}) VALUES ({placeholders})
            ON CONFLICT ("client_id", "local_date") DO UPDATE SET {updates}
            RETURNING "id", (xmax = 0) AS fresh, "created_at"
        ), audit AS (
            INSERT INTO "{AuditEvent._meta.db_table}"
                ("organization_id", "actor_id", "action", "target_type", "target_id", "client_id", "changes", "at")
            SELECT %s, %s, CASE WHEN up.fresh THEN 'checkin.create' ELSE 'checkin.update' END, 'checkin', up.id, %s,
                   %s::jsonb, %s
            FROM up RETURNING 1
        ), resolved AS (
            UPDATE "{RiskFlag._meta.db_table}" SET "resolved_at" = %s, "resolution_note" = %s
            WHERE "client_id" = %s AND "kind" = %s AND "resolved_at" IS NULL AND %s
            RETURNING 1
        )
        SELECT up.id, up.fresh, up.created_at, (SELECT count(*) FROM audit), (SELECT count(*) FROM resolved),
               p."show_sober_days", p."recovery_start", h."local_date", h."mood", h."craving"
        FROM up
        LEFT JOIN "{ClientProfile._meta.db_table}" p ON p."user_id" = %s
        LEFT JOIN LATERAL (
            SELECT "local_date", "mood", "craving" FROM "{meta.db_table}"
            WHERE "client_id" = %s AND "local_date" > %s AND "local_date" <= %s AND "local_date" <> %s
            ORDER BY "local_date" DESC
        ) h ON true
    """  # noqa: S608 - identifiers are the models' own
    params += [client.org_id, actor.pk, client.pk, json.dumps({"local_date": day.isoformat()}), now]
    params += [now, "Checked in again.", client.pk, FlagKind.NO_CHECKIN_3D.value, day == today]
    params += [client.pk, client.pk, _history_since(today), today, day]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    pk, fresh, created_at, _, _, show, recovery_start = rows[0][:7]
    history = [(d, m, c) for *_, d, m, c in rows if d is not None]
    if day <= today:
        history.append((day, fields["mood"], fields["craving"]))
        history.sort(key=lambda row: row[0], reverse=True)
    return _Written(
        pk=int(pk),
        created=bool(fresh),
        created_at=created_at,
        history=history,
        show_sober_days=bool(show),
        recovery_start=recovery_start,
    )


def _checkin_write_portable(
    *, actor: User, client: User, day: date, today: date, fields: dict[str, Any], now: datetime
) -> _Written:
    """Any database (SQLite for development), inside the caller's transaction: UPDATE, then
    INSERT if there was nothing to update; the constraint decides between concurrent inserts."""
    created = False
    if not CheckIn.objects.filter(client=client, local_date=day).update(**fields, updated_at=now):
        try:
            with transaction.atomic():
                CheckIn.objects.create(
                    organization_id=client.org_id, client=client, local_date=day, created_at=now, updated_at=now, **fields
                )
            created = True
        except IntegrityError:
            # The same member's other tab or a double tap inserted this day a moment ago.
            CheckIn.objects.filter(client=client, local_date=day).update(**fields, updated_at=now)
    pk, created_at = CheckIn.objects.filter(client=client, local_date=day).values_list("pk", "created_at").get()
    audit_record(
        actor=actor,
        action="checkin.create" if created else "checkin.update",
        target=CheckIn(pk=pk),
        organization_id=client.org_id,
        client=client,
        changes={"local_date": day},
    )
    if day == today:
        risk_flag_resolve_auto(client=client, kind=FlagKind.NO_CHECKIN_3D, note="Checked in again.", now=now)
    history = list(
        CheckIn.objects.filter(client=client, local_date__gt=_history_since(today), local_date__lte=today)
        .order_by("-local_date")
        .values_list("local_date", "mood", "craving")
    )
    profile = ClientProfile.objects.filter(user=client).values_list("show_sober_days", "recovery_start").first()
    return _Written(
        pk=pk,
        created=created,
        created_at=created_at,
        history=history,
        show_sober_days=bool(profile and profile[0]),
        recovery_start=profile[1] if profile else None,
    )


def _risk_rules(recent: list[tuple[date, int, int]]) -> list[tuple[str, str]]:
    """recent: (local_date, mood, craving), newest first. Returns the flags the data calls for."""
    found: list[tuple[str, str]] = []
    need, of_last = HIGH_CRAVING_OF_LAST
    last = recent[:of_last]
    high = [c for _, _, c in last if c >= HIGH_CRAVING]
    if len(high) >= need:
        found.append(
            (FlagKind.HIGH_CRAVING, f"Craving of {HIGH_CRAVING} or more on {len(high)} of the last {len(last)} check-ins.")
        )
    run = recent[:LOW_MOOD_DAYS]
    if len(run) == LOW_MOOD_DAYS and all(m <= LOW_MOOD for _, m, _ in run) and (run[0][0] - run[-1][0]).days == LOW_MOOD_DAYS - 1:
        found.append(
            (FlagKind.LOW_MOOD, f"Mood of {LOW_MOOD} or lower {LOW_MOOD_DAYS} days running, to {run[0][0].isoformat()}.")
        )
    return found
