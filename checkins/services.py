"""Writes of the checkins app: every state change goes through a function here (STYLE.md).

A check-in is recorded for the member's *local* day; the risk rules of DESIGN.md run on the
member's recent history right after; a cry for help (need_support, PHQ-9 item 9 > 0) opens a
crisis flag and alerts the care team through the outbox at critical priority, once per day."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from common.errors import Conflict, Invalid, NotAllowed
from members.choices import CareRole, Goal, Role
from members.models import AuditEvent, CareTeamMember, ClientProfile, Organization, User
from members.services import audit_record
from notifications.models import Kind, Priority
from notifications.services import notification_create

from . import scoring
from .models import Assessment, CheckIn, FlagKind, Instrument, RiskFlag, Used

NOTE_MAX = 2000
BACKFILL_DAYS = 7
AMOUNT_MAX = Decimal("999.9")
HIGH_CRAVING = 7  # craving >= 7 ...
HIGH_CRAVING_OF_LAST = (2, 3)  # ... on 2 of the last 3 check-ins
LOW_MOOD = 2  # mood <= 2 ...
LOW_MOOD_DAYS = 3  # ... three local days running
NO_CHECKIN_DAYS = 3
# How far back a streak is counted in one query; a longer streak shows as at least this.
STREAK_WINDOW_DAYS = 400


def local_today(user: User, now: datetime | None = None) -> date:
    """The member's today: their time zone decides the day."""
    return (now or timezone.now()).astimezone(ZoneInfo(user.timezone)).date()


def crisis_resources(organization: Organization | None) -> list[dict[str, str]]:
    resources = [
        {
            "name": "988 Suicide & Crisis Lifeline",
            "how": "Call or text 988, any time",
            "call": "tel:988",
            "text": "sms:988",
            "call_label": "Call 988",
        },
        {
            "name": "SAMHSA National Helpline",
            "how": "Call 1-800-662-4357: free, confidential, 24/7, English and Spanish",
            "call": "tel:18006624357",
            "text": "",
            "call_label": "Call the Helpline",
        },
        {
            "name": "911",
            "how": "Call 911 if you are in immediate danger",
            "call": "tel:911",
            "text": "",
            "call_label": "Call 911",
        },
    ]
    if organization is not None and organization.crisis_resources.strip():
        resources.append(
            {"name": organization.name, "how": organization.crisis_resources.strip(), "call": "", "text": "", "call_label": ""}
        )
    return resources


# --- streak ----------------------------------------------------------------------------------


def streak_from_dates(dates_desc: Iterable[date], *, today: date) -> int:
    """Consecutive local days with a check-in, ending today, or yesterday when today's check-in
    is still to come. Counts engagement, never sober days: a day with use still counts."""
    streak = 0
    expected: date | None = None
    for day in dates_desc:
        if day > today:
            continue
        if expected is None:
            if day < today - timedelta(days=1):
                return 0
            expected = day
        if day != expected:
            break
        streak += 1
        expected = day - timedelta(days=1)
    return streak


def days_since_last_use(*, client: User, show: bool, recovery_start: date | None, today: date) -> int | None:
    """Only for members who asked to see it (ClientProfile.show_sober_days)."""
    if not show:
        return None
    last_use = (
        CheckIn.objects.filter(client=client, used=Used.YES, local_date__lte=today)
        .order_by("-local_date")
        .values_list("local_date", flat=True)
        .first()
    )
    start = last_use or recovery_start
    if start is None:
        return None
    return max((today - start).days, 0)


# --- check-ins -------------------------------------------------------------------------------


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
        raise Invalid("Mood is a number from 1 (very low) to 5 (very good).", field="mood")
    if isinstance(craving, bool) or not isinstance(craving, int) or not 0 <= craving <= 10:
        raise Invalid("Craving is a number from 0 (none) to 10 (the strongest).", field="craving")
    if used not in Used.values:
        raise Invalid("Answer yes, no, or skip (skip is always fine).", field="used")
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise Invalid(f"Keep the note to {NOTE_MAX} characters or fewer.", field="note")
    if day > today:
        raise Invalid("A check-in cannot be for a day that has not happened yet.", field="date")
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise Invalid(f"You can fill in a missed check-in for up to {BACKFILL_DAYS} days back.", field="date")
    if amount is None or amount == "":
        return None
    # Only a check-in with an amount needs the goal: one query on that path alone.
    goal = ClientProfile.objects.filter(user=client).values_list("goal", flat=True).first()
    if goal != Goal.MODERATION:
        raise Invalid(
            "An amount is recorded for moderation goals only; you can change your goal in your profile.", field="amount"
        )
    if used != Used.YES:
        raise Invalid("Record an amount only on a day you used.", field="amount")
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise Invalid("The amount is a number, like 2 or 1.5.", field="amount") from None
    if not value.is_finite() or value < 0 or value > AMOUNT_MAX:
        raise Invalid(f"The amount is a number from 0 to {AMOUNT_MAX}.", field="amount")
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
        raise NotAllowed("Only members record their own check-ins.")
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


# --- risk flags ------------------------------------------------------------------------------


def risk_flag_open(*, client: User, kind: str, reason: str, now: datetime | None = None) -> tuple[RiskFlag, bool]:
    """Open a flag unless one of this kind is already open for the client. (flag, opened?)"""
    if kind not in FlagKind.values:
        raise ValueError(f"unknown flag kind {kind!r}")
    existing = RiskFlag.objects.filter(client=client, kind=kind, resolved_at__isnull=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            flag = RiskFlag.objects.create(
                organization_id=client.org_id, client=client, kind=kind, reason=reason[:500], opened_at=now or timezone.now()
            )
    except IntegrityError:
        # Opened by a concurrent request a moment ago: the constraint keeps it to one.
        return RiskFlag.objects.get(client=client, kind=kind, resolved_at__isnull=True), False
    audit_record(actor=None, action="risk_flag.open", target=flag, client=client, changes={"kind": kind, "reason": reason})
    return flag, True


def risk_flag_resolve_auto(*, client: User, kind: str, note: str, now: datetime | None = None) -> int:
    """The condition is over (the member checked in, attended again): close the open flag."""
    return RiskFlag.objects.filter(client=client, kind=kind, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now(), resolution_note=note
    )


@transaction.atomic
def risk_flag_resolve(*, actor: User, flag: RiskFlag, note: str) -> RiskFlag:
    """A clinician on the care team closes a flag with a note on what was done."""
    if actor.role != Role.CLINICIAN:
        raise NotAllowed("Only the member's clinicians resolve risk flags.")
    note = (note or "").strip()
    if not note:
        raise Invalid("Say what was done (a call, a session, a referral) before resolving.", field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(f"Keep the note to {NOTE_MAX} characters or fewer.", field="note")
    now = timezone.now()
    # Conditional: another clinician may have resolved it a moment ago.
    if not RiskFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution_note=note
    ):
        raise Conflict("This flag is already resolved.")
    flag.refresh_from_db()
    audit_record(actor=actor, action="risk_flag.resolve", target=flag, client=flag.client, changes={"note": note})
    return flag


def _care_team(client: User, roles: Iterable[str]) -> list[User]:
    return [
        m.member
        for m in CareTeamMember.objects.filter(
            client=client, ended_at__isnull=True, role__in=list(roles), member__is_active=True
        ).select_related("member")
    ]


def crisis_alert_send(*, client: User, flag: RiskFlag, local_date: date, source: str) -> int:
    """Alert the client's clinicians and mentor at critical priority (quiet hours do not apply).
    One alert per recipient per crisis flag per local day: a re-sent check-in alerts nobody
    twice; a new cry for help on a later day, or after a clinician resolved the flag, alerts
    again. With no clinician on the care team, program staff are alerted: a cry for help is
    never lost."""
    recipients = _care_team(client, [CareRole.CLINICIAN, CareRole.MENTOR])
    if not any(r.role == Role.CLINICIAN for r in recipients):
        recipients += list(User.objects.filter(organization_id=client.org_id, role=Role.STAFF, is_active=True))
    url = reverse("client-timeline", kwargs={"client_id": client.pk})
    created = 0
    for recipient in recipients:
        notification = notification_create(
            recipient=recipient,
            kind=Kind.CRISIS_ALERT,
            priority=Priority.CRITICAL,
            title=f"Urgent: {client.display_name} asked for support",
            body=(
                f"{client.display_name} asked for support ({source}, {local_date.isoformat()}). Please reach out now. "
                "They were shown 988 (call or text), the SAMHSA Helpline 1-800-662-4357 and 911."
            ),
            url=url,
            payload={"client": client.pk, "flag": flag.pk, "kind": flag.kind},
            dedupe_key=f"crisis:{flag.pk}:{local_date.isoformat()}:{recipient.pk}",
        )
        created += notification is not None
    return created


FLAG_MENTOR_TEXT = {
    FlagKind.HIGH_CRAVING: "{name} may be going through a hard stretch. A call or a text from you could help.",
    FlagKind.LOW_MOOD: "{name} may be going through a hard stretch. A call or a text from you could help.",
    FlagKind.NO_CHECKIN_3D: "{name} has not checked in for 3 days. A friendly hello could help.",
    FlagKind.MISSED_2_SESSIONS: "{name} missed their last two group sessions. A friendly hello could help.",
}


def mentor_notify_flag(*, client: User, flag: RiskFlag) -> int:
    """Once per episode (per flag): the dedupe key carries the flag id."""
    text = FLAG_MENTOR_TEXT.get(FlagKind(flag.kind))
    if text is None:
        return 0
    created = 0
    for mentor in _care_team(client, [CareRole.MENTOR]):
        created += (
            notification_create(
                recipient=mentor,
                kind=Kind.DISENGAGEMENT,
                title=f"Check in with {client.display_name}",
                body=text.format(name=client.display_name),
                url=reverse("client-timeline", kwargs={"client_id": client.pk}),
                payload={"client": client.pk, "flag": flag.pk, "kind": flag.kind},
                dedupe_key=f"riskflag:{flag.pk}:{mentor.pk}",
            )
            is not None
        )
    return created


def risk_flags_open_for_missed_sessions(*, organization_id: int, client_ids: set[int]) -> int:
    """Open `missed_2_sessions` for these clients (the groups feature finds who missed their
    last two sessions in a row). Idempotent: clients with an open flag get no second one.
    Returns how many flags were opened."""
    clients = User.objects.filter(organization_id=organization_id, pk__in=client_ids, role=Role.CLIENT, is_active=True)
    already = set(
        RiskFlag.objects.filter(client_id__in=client_ids, kind=FlagKind.MISSED_2_SESSIONS, resolved_at__isnull=True).values_list(
            "client_id", flat=True
        )
    )
    opened = 0
    for client in clients.exclude(pk__in=already):
        with transaction.atomic():
            flag, was_opened = risk_flag_open(
                client=client, kind=FlagKind.MISSED_2_SESSIONS, reason="Missed the last two group sessions in a row."
            )
            if was_opened:
                opened += 1
                mentor_notify_flag(client=client, flag=flag)
    return opened


def risk_flags_resolve_for_attendance(*, organization_id: int, client_ids: set[int]) -> int:
    """These clients attended again: close their `missed_2_sessions` flags."""
    return RiskFlag.objects.filter(
        organization_id=organization_id, client_id__in=client_ids, kind=FlagKind.MISSED_2_SESSIONS, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolution_note="Attended a session again.")


# --- planners (beat) -------------------------------------------------------------------------


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
    from notifications.models import NotificationPreference

    now = now or timezone.now()
    created = 0
    for zone, ids in _clients_by_zone().items():
        local = now.astimezone(ZoneInfo(zone))
        today = local.date()
        weekday = (local.weekday() + 1) % 7  # 0 = Sunday, as everywhere in the API
        checked_in = CheckIn.objects.filter(client=OuterRef("user_id"), local_date=today)
        prefs = (
            NotificationPreference.objects.filter(user_id__in=ids, checkin_time__isnull=False, checkin_time__lte=local.time())
            .filter(~Exists(checked_in))
            .select_related("user")
        )
        for pref in prefs:
            if weekday not in (pref.checkin_days or []):
                continue
            created += (
                notification_create(
                    recipient=pref.user,
                    kind=Kind.CHECKIN_NUDGE,
                    title="How are you today? Your check-in takes 30 seconds",
                    body="A quick check-in keeps your care team in the loop. Skip any question you like.",
                    url=reverse("checkin"),
                    dedupe_key=f"checkin_nudge:{pref.user_id}:{today.isoformat()}",
                )
                is not None
            )
    return created


# --- assessments -----------------------------------------------------------------------------


@dataclass
class AssessmentResult:
    assessment: Assessment
    plain: str
    crisis: bool
    crisis_resources: list[dict[str, str]] = field(default_factory=list)


@transaction.atomic
def assessment_record(
    *, actor: User, client: User, instrument: Any, answers: Any, now: datetime | None = None
) -> AssessmentResult:
    if actor.pk != client.pk or client.role != Role.CLIENT:
        raise NotAllowed("Only members fill in their own questionnaires.")
    if not isinstance(instrument, str):
        raise Invalid("Choose one of BARC-10, PHQ-9, GAD-7, BAM.", field="instrument")
    result = scoring.score(instrument, answers)
    now = now or timezone.now()
    today = local_today(client, now)
    assessment = Assessment.objects.create(
        organization_id=client.org_id,
        client=client,
        instrument=instrument,
        answers=list(answers),
        score=result.score,
        band=result.band,
        flags=result.flags,
        subscores=result.subscores,
        local_date=today,
        taken_at=now,
    )
    audit_record(actor=actor, action="assessment.create", target=assessment, client=client, changes={"instrument": instrument})
    crisis = instrument == Instrument.PHQ9 and "phq9_item9" in result.flags
    if crisis:
        reason = (
            f"PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered {answers[8]} of 3 on {today.isoformat()}."
        )
        risk_flag_open(client=client, kind=FlagKind.PHQ9_ITEM9, reason=reason, now=now)
        flag, _ = risk_flag_open(client=client, kind=FlagKind.CRISIS, reason=reason, now=now)
        crisis_alert_send(client=client, flag=flag, local_date=today, source="PHQ-9")
    return AssessmentResult(
        assessment=assessment,
        plain=scoring.plain_result(instrument, result.band),
        crisis=crisis,
        crisis_resources=crisis_resources(client.organization) if crisis else [],
    )


# --- export and erasure ----------------------------------------------------------------------


def checkins_erase(user: User) -> None:
    """Erasure of a closed account: the member's check-ins, questionnaires and flags go."""
    CheckIn.objects.filter(client=user).delete()
    Assessment.objects.filter(client=user).delete()
    RiskFlag.objects.filter(client=user).delete()
