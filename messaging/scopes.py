"""Messaging's words in the registries below it (notifications.kinds, members.access)."""

from __future__ import annotations

MESSAGE = "message"  # a new message (inbox; email/SMS carry only "New message from <first name> in Kinship")
MODERATION_NOTICE = "moderation_notice"  # staff warned or suspended the sender of a reported message
REPORT_RECEIVED = "message_report"  # staff: a message was reported
MESSAGES_RECORD = "messages"  # the access-log resource of a staff read of a reported conversation
