"""The family home (DESIGN.md "Family members' own recovery"): for each member a family member
supports, exactly what she shares with them, in plain words; one selector for the page and for
GET /api/v1/family/shared/ alike.

Constant queries whatever the number of members or the years of data: the memberships and
grants (members.access.family_circle), the week's check-ins and streaks (1), attendance, test
results and plan progress (1, a subquery per figure), and the access log (1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from checkins.models import CheckIn, TestingSchedule, TestOutcome, TestResult
from checkins.scopes import CHECKIN_DETAIL, CHECKIN_SUMMARY, CHECKINS, TEST_RESULTS
from checkins.services import STREAK_WINDOW_DAYS, local_today, streak_from_dates, within_goal, within_goal_condition
from common.sql import count_of
from groups.models import Attendance, AttendanceStatus
from groups.scopes import ATTENDANCE
from members.access import (
    ClientView,
    access_log_record_reads,
    consent_scope_choices,
    consent_scopes_shared,
    family_circle,
)
from members.models import User
from members.pronouns import pronouns_for
from plans.models import Goal, GoalStatus, Step
from plans.scopes import PLAN, PLAN_RECORD

# Marked for the catalogue here, translated where the sentence is built.
MOOD_WORDS = {
    1: gettext_noop("very low"),
    2: gettext_noop("low"),
    3: gettext_noop("okay"),
    4: gettext_noop("good"),
    5: gettext_noop("very good"),
}


def _checkin_part(view: ClientView, dates: list[tuple[date, int]], today: date) -> dict[str, Any]:
    week = [(d, mood) for d, mood in dates if d > today - timedelta(days=7)]
    streak = streak_from_dates((d for d, _ in dates), today=today)
    name = view.client.display_name
    _subject, possessive = pronouns_for(view.client)
    days = len(week)
    plain = [
        ngettext(
            "%(name)s checked in on %(n)d of the last 7 days.",
            "%(name)s checked in on %(n)d of the last 7 days.",
            days,
        )
        % {"name": name, "n": days}
        if days
        else _("%(name)s has not checked in in the last 7 days.") % {"name": name}
    ]
    if streak > 1:
        plain.append(_("%(possessive)s check-in streak is %(n)d days.") % {"possessive": possessive.capitalize(), "n": streak})
    part: dict[str, Any] = {
        "days_checked_in_7d": days,
        "streak": streak,
        "last_checkin_date": dates[0][0] if dates else None,
    }
    if view.can(CHECKIN_DETAIL) and week:
        average = round(sum(m for _, m in week) / len(week))
        part["mood_7d"] = average
        plain.append(
            _("%(possessive)s mood this week was mostly %(mood)s.")
            % {"possessive": possessive.capitalize(), "mood": _(MOOD_WORDS[average])}
        )
    part["plain"] = plain
    return part


def _attendance_part(view: ClientView, row: dict[str, int] | None) -> dict[str, Any]:
    attended = (row or {}).get("attended", 0)
    recorded = (row or {}).get("recorded", 0)
    name = view.client.display_name
    if recorded:
        plain = [
            _("%(name)s went to %(attended)d of %(recorded)d group sessions in the last 30 days.")
            % {"name": name, "attended": attended, "recorded": recorded}
        ]
    else:
        plain = [_("No group attendance was recorded for %(name)s in the last 30 days.") % {"name": name}]
    return {
        "sessions_attended_30d": attended,
        "sessions_recorded_30d": recorded,
        "attendance_rate_30d": round(attended / recorded, 2) if recorded else None,
        "plain": plain,
    }


def _tests_part(view: ClientView, row: dict[str, Any] | None) -> dict[str, Any]:
    row = row or {}
    taken, within, missed = row.get("tests_taken", 0), row.get("tests_within", 0), row.get("tests_missed", 0)
    name = view.client.display_name
    subject, _possessive = pronouns_for(view.client)
    if taken or missed:
        plain = [
            _("%(name)s took %(taken)d tests in the last 30 days; %(within)d were within the goal %(subject)s chose.")
            % {"name": name, "taken": taken, "within": within, "subject": subject}
        ]
        if missed:
            plain.append(ngettext("%(n)d test was missed.", "%(n)d tests were missed.", missed) % {"n": missed})
    else:
        plain = [_("No test results for %(name)s in the last 30 days.") % {"name": name}]
    latest = None
    if row.get("latest_taken_at") is not None:
        profile = getattr(view.client, "client_profile", None)
        latest = {
            "taken_at": row["latest_taken_at"],
            "result": row["latest_result"],
            "within_goal": within_goal(
                goal=profile.goal if profile is not None else None,
                result=row["latest_result"],
                value=row["latest_value"],
                limit=row["latest_limit"],
            ),
        }
    return {"tests_30d": taken, "within_goal_30d": within, "missed_30d": missed, "latest": latest, "plain": plain}


def _plan_part(name: str, counts: dict[str, Any] | None) -> dict[str, Any]:
    """Progress only, in plain words: how many goals and steps, never what they are."""
    row = {k: (counts or {}).get(k, 0) for k in ("goals", "goals_done", "steps", "steps_done")}
    if not row["goals"]:
        plain = [_("%(name)s has no goals in the plan yet.") % {"name": name}]
    else:
        plain = [
            ngettext(
                "%(name)s is working on %(n)d goal in the plan; %(done)d done.",
                "%(name)s is working on %(n)d goals in the plan; %(done)d done.",
                row["goals"],
            )
            % {"name": name, "n": row["goals"], "done": row["goals_done"]}
        ]
        if row["steps"]:
            plain.append(_("%(done)d of %(n)d steps are done.") % {"done": row["steps_done"], "n": row["steps"]})
    return {**row, "plain": plain}


def _counts(*, attendance_ids: list[int], test_ids: list[int], plan_ids: list[int], now: datetime) -> dict[int, dict[str, Any]]:
    """The last 30 days' attendance and test results and the plan's progress, each only for the
    members who share it: one query, a row per member with a subquery per figure."""
    ids = sorted(set(attendance_ids) | set(test_ids) | set(plan_ids))
    if not ids:
        return {}
    sessions = Attendance.objects.filter(
        member_id=OuterRef("pk"), session__starts_at__gte=now - timedelta(days=30), session__starts_at__lte=now
    )
    tests = TestResult.objects.filter(client_id=OuterRef("pk"), taken_at__gte=now - timedelta(days=30))
    latest = tests.order_by("-taken_at", "-pk")
    goals = Goal.objects.filter(client_id=OuterRef("pk"))
    steps = Step.objects.filter(goal__client_id=OuterRef("pk"))
    figures: dict[str, Any] = {}
    if attendance_ids:
        figures["attended"] = count_of(sessions.filter(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
        figures["recorded"] = count_of(
            sessions.filter(status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.ABSENT])
        )
    if test_ids:
        figures["tests_taken"] = count_of(tests.exclude(result=TestOutcome.MISSED))
        figures["tests_within"] = count_of(tests.filter(within_goal_condition()))
        figures["tests_missed"] = count_of(tests.filter(result=TestOutcome.MISSED))
        for field in ("taken_at", "result", "value"):
            figures[f"latest_{field}"] = Subquery(latest.values(field)[:1])
        figures["latest_limit"] = Subquery(TestingSchedule.objects.filter(client_id=OuterRef("pk")).values("limit")[:1])
    if plan_ids:
        figures["goals"] = count_of(goals)
        figures["goals_done"] = count_of(goals.filter(status=GoalStatus.DONE))
        figures["steps"] = count_of(steps)
        figures["steps_done"] = count_of(steps.filter(done_at__isnull=False))
    rows: Any = User.objects.filter(pk__in=ids).values("pk", **figures)
    return {row["pk"]: row for row in rows}


def _scope_labels(scopes: frozenset[str]) -> list[str]:
    return [str(label) for value, label in consent_scope_choices() if value in scopes]


def _shared_phrases(scopes: frozenset[str], client: User) -> list[str]:
    """What she shares, written for the family member reading it, with her own pronouns: "her
    check-in summary", not the "my streak" of the label she ticked."""
    return consent_scopes_shared(scopes, pronoun=pronouns_for(client)[0])


def family_shared(*, viewer: User) -> list[dict[str, Any]]:
    """Each member who has the viewer on her care team as family: `{client, scopes, summary}`,
    the summary holding only what her scopes allow, each part with its `plain` sentences. The
    reads are written to each member's access log."""
    circle = family_circle(viewer=viewer)
    views = circle.views
    if not views:
        return []
    checkin_ids = [v.client.pk for v in views if v.can(CHECKIN_SUMMARY) or v.can(CHECKIN_DETAIL)]
    attendance_ids = [v.client.pk for v in views if v.can(ATTENDANCE)]
    test_ids = [v.client.pk for v in views if v.sees(TEST_RESULTS)]
    plan_ids = [v.client.pk for v in views if v.can(PLAN)]
    now = timezone.now()
    todays = {v.client.pk: local_today(v.client, now) for v in views}

    dates: dict[int, list[tuple[date, int]]] = {pk: [] for pk in checkin_ids}
    if checkin_ids:
        oldest = min(todays[pk] for pk in checkin_ids)
        for client_id, day, mood in (
            CheckIn.objects.filter(client_id__in=checkin_ids, local_date__gt=oldest - timedelta(days=STREAK_WINDOW_DAYS))
            .order_by("client_id", "-local_date")
            .values_list("client_id", "local_date", "mood")
        ):
            if day <= todays[client_id]:
                dates[client_id].append((day, mood))
    counts = _counts(attendance_ids=attendance_ids, test_ids=test_ids, plan_ids=plan_ids, now=now)

    out: list[dict[str, Any]] = []
    reads: list[tuple[User, str]] = []
    for view in views:
        client = view.client
        summary: dict[str, Any] = {}
        reads.append((client, "summary"))
        if client.pk in dates:
            summary["checkins"] = _checkin_part(view, dates[client.pk], todays[client.pk])
            reads.append((client, CHECKINS))
        if client.pk in attendance_ids:
            summary["attendance"] = _attendance_part(view, counts.get(client.pk))
            reads.append((client, ATTENDANCE))
        if client.pk in test_ids:
            summary["test_results"] = _tests_part(view, counts.get(client.pk))
            reads.append((client, TEST_RESULTS))
        if client.pk in plan_ids:
            summary["plan"] = _plan_part(client.display_name, counts.get(client.pk))
            reads.append((client, PLAN_RECORD))
        subject, possessive = pronouns_for(client)
        out.append(
            {
                "client": {"id": client.pk, "display_name": client.display_name, "pronouns": client.pronouns},
                "scopes": sorted(view.scopes),
                "scope_labels": _scope_labels(view.scopes),
                "shared": _shared_phrases(view.scopes, client),
                "summary": summary,
                "pronoun": subject,
                "possessive": possessive,
            }
        )
    access_log_record_reads(viewer=viewer, reads=reads, bases=circle.bases)
    return out


__all__: Sequence[str] = ["family_shared", "pronouns_for"]
