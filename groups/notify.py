"""The notification kinds groups sends, registered with notifications.kinds in apps.py."""

SESSION_REMINDER = "session_reminder"
SESSION_CANCELLED = "session_cancelled"
WAITLIST_PROMOTED = "waitlist_promoted"
