"""Writes of the groups app: every state change goes through a function here (STYLE.md), and
each one checks who may make it. One module per topic; callers keep importing
`groups.services`."""

from .attendance import NOT_RECORDED, attendance_record
from .enrollment import (
    ENROLLABLE_ROLES,
    EnrollmentResult,
    enrollment_join,
    enrollment_leave,
    enrollment_member_for,
)
from .groups import GROUP_FIELDS, SCHEDULE_FIELDS, group_archive, group_create, group_update
from .planners import SESSION_REMINDER_OFFSETS, missed_sessions_flags_plan, session_reminders_plan
from .records import calendar_feed_get_or_create, calendar_feed_rotate, group_personal_data_erase
from .sessions import (
    HORIZON_DAYS,
    session_cancel,
    session_move,
    sessions_extend_horizon,
    sessions_materialize,
    sessions_regenerate,
)

__all__ = [
    "ENROLLABLE_ROLES",
    "GROUP_FIELDS",
    "HORIZON_DAYS",
    "NOT_RECORDED",
    "SCHEDULE_FIELDS",
    "SESSION_REMINDER_OFFSETS",
    "EnrollmentResult",
    "attendance_record",
    "calendar_feed_get_or_create",
    "calendar_feed_rotate",
    "enrollment_join",
    "enrollment_leave",
    "enrollment_member_for",
    "group_archive",
    "group_create",
    "group_personal_data_erase",
    "group_update",
    "missed_sessions_flags_plan",
    "session_cancel",
    "session_move",
    "session_reminders_plan",
    "sessions_extend_horizon",
    "sessions_materialize",
    "sessions_regenerate",
]
