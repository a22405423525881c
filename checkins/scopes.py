"""The consent scopes and record kinds checkins registers with members.access (apps.py), and
the notification kinds it registers with notifications: the base apps name none of them."""

from __future__ import annotations

# Consent scopes a member can grant.
CHECKIN_SUMMARY = "checkin_summary"  # which days she checked in, her streak
CHECKIN_DETAIL = "checkin_detail"  # mood, cravings, use, notes
ASSESSMENTS = "assessments"  # questionnaire results

# Record kinds (members.access.record_kind_register): who reads which records.
CHECKINS = "checkins"
RISK_FLAGS = "risk_flags"
RISK_FLAG_DETAIL = "risk_flag_detail"  # the reason and the resolution note

# Notification kinds (notifications.kinds.notification_kind_register).
CHECKIN_NUDGE = "checkin_nudge"
CRISIS_ALERT = "crisis_alert"
DISENGAGEMENT = "disengagement"
DIGEST = "digest"

# Testing results (DESIGN.md "Testing results"): a scope, a record kind, a reminder kind.
TEST_RESULTS = "test_results"
TEST_REMINDER = "test_reminder"
CHECKIN_PAUSED = "checkin_paused"  # the member's own gentle note after 3 days without a check-in
