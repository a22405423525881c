"""Writes of the checkins app: every state change goes through a function here (STYLE.md).
One module per topic, re-exported here so callers keep importing `checkins.services`:

- streaks: the member's local day, her streak, days since last use (when she asks for it);
- checkin: the daily check-in and the risk rules it runs;
- flags: risk flags (open, auto-close, resolve by her treating clinician, the mentor's notice);
- crisis: the crisis resources and the critical alert to the care team;
- assessments: questionnaires, scored at once;
- planners: what beat runs (no check-in for 3 days, the check-in nudge);
- erasure: what goes with a closed account;
- family: a family member's own daily check-in;
- testing: testing results, the testing schedule and its planners.

A patch of a name here does not reach the modules that import it directly: patch it where it
is used (e.g. `checkins.services.flags.notification_create`)."""

from __future__ import annotations

from .assessments import AssessmentResult, assessment_record
from .checkin import (
    AMOUNT_MAX,
    BACKFILL_DAYS,
    HIGH_CRAVING,
    HIGH_CRAVING_OF_LAST,
    LOW_MOOD,
    LOW_MOOD_DAYS,
    CheckInResult,
    _risk_rules,
    checkin_record,
)
from .crisis import crisis_alert_send, crisis_resources
from .erasure import checkins_erase
from .family import FamilyCheckInResult, family_checkin_record, family_streak
from .flags import (
    MENTOR_NOTICE_KINDS,
    MENTOR_NOTICE_TEXT,
    NOTE_MAX,
    care_team_of,
    mentor_notify_flag,
    risk_flag_may_resolve,
    risk_flag_open,
    risk_flag_resolve,
    risk_flag_resolve_auto,
    risk_flags_open_for_missed_sessions,
    risk_flags_resolve_for_attendance,
)
from .planners import NO_CHECKIN_DAYS, checkin_nudges_plan, no_checkin_flags_plan
from .streaks import STREAK_WINDOW_DAYS, days_since_last_use, local_today, streak_from_dates
from .testing import (
    MISSED_AFTER,
    REMIND_BEFORE,
    TestRecordResult,
    missed_test_flags_plan,
    support_after_test,
    test_reminders_plan,
    test_result_record,
    testing_schedule_set,
    within_goal,
    within_goal_condition,
)

__all__ = [
    "AMOUNT_MAX",
    "BACKFILL_DAYS",
    "HIGH_CRAVING",
    "HIGH_CRAVING_OF_LAST",
    "LOW_MOOD",
    "LOW_MOOD_DAYS",
    "MENTOR_NOTICE_KINDS",
    "MENTOR_NOTICE_TEXT",
    "MISSED_AFTER",
    "NOTE_MAX",
    "NO_CHECKIN_DAYS",
    "REMIND_BEFORE",
    "STREAK_WINDOW_DAYS",
    "AssessmentResult",
    "CheckInResult",
    "FamilyCheckInResult",
    "TestRecordResult",
    "_risk_rules",
    "assessment_record",
    "care_team_of",
    "checkin_nudges_plan",
    "checkin_record",
    "checkins_erase",
    "crisis_alert_send",
    "crisis_resources",
    "days_since_last_use",
    "family_checkin_record",
    "family_streak",
    "local_today",
    "mentor_notify_flag",
    "missed_test_flags_plan",
    "no_checkin_flags_plan",
    "risk_flag_may_resolve",
    "risk_flag_open",
    "risk_flag_resolve",
    "risk_flag_resolve_auto",
    "risk_flags_open_for_missed_sessions",
    "risk_flags_resolve_for_attendance",
    "streak_from_dates",
    "support_after_test",
    "test_reminders_plan",
    "test_result_record",
    "testing_schedule_set",
    "within_goal",
    "within_goal_condition",
]
