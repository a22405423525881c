"""Testing results (DESIGN.md "Testing results"): breath, urine or saliva tests, self-reported
by the member or recorded by staff or a clinician; read against the member's own goal (a
moderation goal is not a failure on a positive breath test within her limit); a testing
schedule with a reminder 15 minutes before and a `missed_test` flag 2 hours after.

A positive result on an abstinence goal answers with a gentle support path, never shame."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from common.errors import Invalid, NotAllowed
from members.access import client_get_for_viewer
from members.choices import CareRole, Goal, Role
from members.models import User
from members.services import audit_record
from notifications.services import NotificationSpec, notifications_create_many

from ..models import FlagKind, RiskFlag, TestingSchedule, TestKind, TestOutcome, TestResult
from ..providers import SupportContext, support_items
from ..scopes import TEST_REMINDER
from .crisis import crisis_resources
from .flags import NOTE_MAX, risk_flag_open, risk_flag_resolve_auto

REMIND_BEFORE = timedelta(minutes=15)
MISSED_AFTER = timedelta(hours=2)
# A result may be recorded a few minutes "ahead" of the server's clock (a phone's clock drifts).
CLOCK_SKEW = timedelta(minutes=5)
VALUE_MAX = Decimal("9999.999")


def within_goal(*, goal: str | None, result: str, value: Decimal | None, limit: Decimal | None) -> bool | None:
    """A result read against the member's own goal: True/False, or None when it says nothing
    about it (invalid or missed tests, a goal still being decided, a moderation goal without a
    limit set)."""
    if result not in (TestOutcome.NEGATIVE, TestOutcome.POSITIVE):
        return None
    if goal == Goal.ABSTINENCE:
        return result == TestOutcome.NEGATIVE
    if goal == Goal.MODERATION:
        if result == TestOutcome.NEGATIVE:
            return True
        if limit is None or value is None:
            return None
        return value <= limit
    return None


def within_goal_condition() -> Q:
    """within_goal's rule as a filter on TestResult rows, read against each row's own member
    (her goal and her schedule's limit): the results that are within her goal. For counting them
    in SQL beside other figures; tests hold it equal to within_goal over every case."""
    goal = "client__client_profile__goal"
    negative = Q(result=TestOutcome.NEGATIVE) & Q(**{f"{goal}__in": [Goal.ABSTINENCE, Goal.MODERATION]})
    under_limit = Q(
        result=TestOutcome.POSITIVE,
        value__isnull=False,
        client__testing_schedule__limit__isnull=False,
        value__lte=F("client__testing_schedule__limit"),
        **{goal: Goal.MODERATION},
    )
    return negative | under_limit


@dataclass
class TestRecordResult:
    __test__ = False  # not a pytest test class

    result: TestResult
    within_goal: bool | None
    support: list[dict[str, str]] = field(default_factory=list)


def _url(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def support_after_test(*, client: User) -> list[dict[str, str]]:
    """The gentle support path after a positive result on an abstinence goal: reach someone,
    check in, and the crisis lines if she needs them now. Never a lecture. Her own coping steps,
    people and her mentor's conversation come first, from the support providers (plans, messaging)."""
    context = SupportContext(mood=3, craving=0, used="yes", need_support=False, language=client.language)
    own = [{"kind": i.kind, "text": i.text, "url": i.url} for i in support_items(client, context) if i.kind != "crisis"]
    items = [
        *own,
        {
            "kind": "reach_mentor",
            "text": "A result like this is information, not a verdict. Talking it through with your mentor or someone "
            "you trust can help.",
            "url": _url("find-mentor"),
        },
        {"kind": "coping_step", "text": "A check-in today keeps your care team close.", "url": _url("checkin")},
    ]
    resources = crisis_resources(client.organization)
    if resources:
        items.append({"kind": "crisis", "text": "If you need support right now: call or text 988.", "url": ""})
    return items


def _parse_value(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.001"))
    except (InvalidOperation, ValueError):
        raise Invalid(gettext("The value is a number, like 0.02."), field="value") from None
    if not number.is_finite() or number < 0 or number > VALUE_MAX:
        raise Invalid(gettext("The value is a number from 0 to %(value_max)s.") % {"value_max": VALUE_MAX}, field="value")
    return number


def test_result_record(
    *,
    actor: User,
    client_id: int | None = None,
    taken_at: datetime,
    kind: str,
    result: str,
    value: Any = None,
    substance: str = "",
    note: str = "",
    now: datetime | None = None,
) -> TestRecordResult:
    """The member reports her own result, or her clinician or program staff record one for her
    (`client_id`). Mentors and family read results (with `test_results`) but never record them."""
    now = now or timezone.now()
    if client_id is None or client_id == actor.pk:
        if actor.role != Role.CLIENT:
            raise Invalid(gettext("Say whose result this is: {client: <id>}."), field="client")
        client = actor
    else:
        view = client_get_for_viewer(viewer=actor, client_id=client_id)  # 404 outside her visibility
        if view.relation not in ("staff", CareRole.CLINICIAN.value) or actor.role not in (Role.STAFF, Role.CLINICIAN):
            raise NotAllowed(gettext("Only the member, her clinicians and program staff record test results."))
        client = view.client
    if kind not in TestKind.values:
        raise Invalid(gettext("The kind is breath, urine, saliva or other."), field="kind")
    if result not in TestOutcome.values:
        raise Invalid(gettext("The result is negative, positive, invalid or missed."), field="result")
    if taken_at.tzinfo is None:
        raise Invalid(gettext("Give the time with its offset, like 2026-11-02T07:30:00-05:00."), field="taken_at")
    if taken_at > now + CLOCK_SKEW:
        raise Invalid(gettext("A test cannot be taken in the future."), field="taken_at")
    if not isinstance(substance, str) or len(substance) > 60:
        raise Invalid(gettext("Keep the substance to 60 characters or fewer."), field="substance")
    if not isinstance(note, str) or len(note) > NOTE_MAX:
        raise Invalid(gettext("Keep the note to %(note_max)s characters or fewer.") % {"note_max": NOTE_MAX}, field="note")
    number = _parse_value(value)
    with transaction.atomic():
        row = TestResult.objects.create(
            organization_id=client.org_id,
            client=client,
            taken_at=taken_at,
            kind=kind,
            result=result,
            value=number,
            substance=substance.strip(),
            note=note.strip(),
            recorded_by=actor,
            created_at=now,
        )
        audit_record(
            actor=actor, action="test_result.record", target=row, client=client, changes={"kind": kind, "fields": ["result"]}
        )
        if result != TestOutcome.MISSED:
            # A result came: the missed-test episode is over.
            risk_flag_resolve_auto(client=client, kind=FlagKind.MISSED_TEST, note="A test result was recorded.", now=now)
    goal, limit = goal_and_limit(client=client)
    reading = within_goal(goal=goal, result=result, value=number, limit=limit)
    support = (
        support_after_test(client=client)
        if goal == Goal.ABSTINENCE and result == TestOutcome.POSITIVE and actor.pk == client.pk
        else []
    )
    return TestRecordResult(result=row, within_goal=reading, support=support)


def goal_and_limit(*, client: User) -> tuple[str | None, Decimal | None]:
    profile = getattr(client, "client_profile", None)
    schedule = TestingSchedule.objects.filter(client=client).values_list("limit", flat=True).first()
    return (profile.goal if profile is not None else None), schedule


@transaction.atomic
def testing_schedule_set(*, client: User, days: list[int], at: time, limit: Any = None) -> TestingSchedule:
    """PUT /me/testing/: the member's testing days and local time (and, for a moderation goal,
    the limit a positive breath test is read against)."""
    if client.role != Role.CLIENT:
        raise NotAllowed(gettext("Only members set a testing schedule."))
    if not isinstance(days, list) or any(isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6 for d in days):
        raise Invalid(gettext("Days are numbers from 0 (Sunday) to 6 (Saturday)."), field="days")
    schedule, _ = TestingSchedule.objects.update_or_create(
        client=client,
        defaults={
            "organization_id": client.org_id,
            "days": sorted(set(days)),
            "time": at.replace(second=0, microsecond=0),
            "limit": _parse_value(limit),
            "updated_at": timezone.now(),
        },
    )
    audit_record(actor=client, action="testing_schedule.set", target=schedule, client=client, changes={"days": schedule.days})
    return schedule


# --- planners (beat) --------------------------------------------------------------------------


def _due_today(schedule: TestingSchedule, now: datetime) -> tuple[datetime, str] | None:
    """The moment of today's scheduled test in the member's zone, if today is a testing day."""
    zone = ZoneInfo(schedule.client.timezone)
    local = now.astimezone(zone)
    weekday = (local.weekday() + 1) % 7  # 0 = Sunday
    if weekday not in (schedule.days or []):
        return None
    at = datetime.combine(local.date(), schedule.time, tzinfo=zone)
    return at, local.date().isoformat()


def _schedules() -> Any:
    return TestingSchedule.objects.filter(client__is_active=True, client__role=Role.CLIENT).select_related("client")


def test_reminders_plan(*, now: datetime | None = None) -> int:
    """A reminder 15 minutes before each scheduled test (one query finds the schedules; the
    dedupe key holds the member and her local day, so a second run sends nothing twice)."""
    now = now or timezone.now()
    specs: list[NotificationSpec] = []
    for schedule in _schedules():
        due = _due_today(schedule, now)
        if due is None:
            continue
        at, day = due
        if not (at - REMIND_BEFORE <= now < at):
            continue
        with translation.override(schedule.client.language):
            title = gettext("Your test is at %(time)s") % {"time": f"{at:%H:%M}"}
            body = gettext("A reminder for your scheduled test. Record the result in Kinship when you have it.")
        specs.append(
            NotificationSpec(
                recipient_id=schedule.client_id,
                kind=TEST_REMINDER,
                title=title,
                body=body,
                url=_url("testing"),
                dedupe_key=f"test_reminder:{schedule.client_id}:{day}",
                stale_after=at,  # held past the test by quiet hours, an email would only confuse
            )
        )
    return len(notifications_create_many(specs, now=now))


def missed_test_flags_plan(*, now: datetime | None = None) -> int:
    """No result 2 hours after a scheduled test: open a `missed_test` flag (one open flag per
    member, a database constraint, so a second run opens nothing)."""
    now = now or timezone.now()
    opened = 0
    window = now - MISSED_AFTER - timedelta(hours=22)  # today's test, whatever the zone
    open_flag = RiskFlag.objects.filter(client=OuterRef("client_id"), kind=FlagKind.MISSED_TEST, resolved_at__isnull=True)
    candidates = _schedules().filter(~Exists(open_flag))
    last_result = dict(
        TestResult.objects.filter(client_id__in=candidates.values("client_id"), taken_at__gte=window)
        .exclude(result=TestOutcome.MISSED)
        .order_by("client_id", "taken_at")
        .values_list("client_id", "taken_at")
    )
    for schedule in candidates:
        due = _due_today(schedule, now)
        if due is None:
            continue
        at, day = due
        if now < at + MISSED_AFTER:
            continue
        taken = last_result.get(schedule.client_id)
        if taken is not None and taken >= at - MISSED_AFTER:
            continue  # a result came for this test (up to 2 hours early counts)
        _, was_opened = risk_flag_open(
            client=schedule.client,
            kind=FlagKind.MISSED_TEST,
            reason=f"No test result by {(at + MISSED_AFTER):%H:%M} on {day} (test scheduled at {at:%H:%M}).",
            now=now,
        )
        opened += was_opened
    return opened
