"""Conversations and messages (DESIGN.md "Conversations", API.md "Conversations").

Who takes part is not stored: it follows the member's care team at every read
(selectors.participant_ids), so someone who leaves the team leaves its conversations at once
and nobody has to keep a copy in step. What is stored per person is only how far they have read
(ReadMark)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.models import Match
from members.models import Organization, User

BODY_MAX = 4000


class Kind(models.TextChoices):
    MATCH = "match", _("Mentor conversation")
    CARE_TEAM = "care_team", _("Care team")
    DIRECT = "direct", _("Direct")


class Conversation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The member the conversation is about: her care team decides who takes part.
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="conversations")
    match = models.OneToOneField(Match, null=True, blank=True, on_delete=models.CASCADE, related_name="conversation")
    # direct: the one person on her care team she talks with
    other = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # match: when the mentor first and last wrote (her messages are contact: matching.contact_sources)
    first_mentor_message_at = models.DateTimeField(null=True, blank=True)
    last_mentor_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(kind="care_team"), name="one_care_team_conversation"),
            models.UniqueConstraint(fields=["client", "other"], condition=Q(kind="direct"), name="one_direct_conversation"),
            models.CheckConstraint(
                condition=Q(kind="match", match__isnull=False) | ~Q(kind="match"), name="match_conversation_has_match"
            ),
            models.CheckConstraint(
                condition=Q(kind="direct", other__isnull=False) | ~Q(kind="direct"), name="direct_conversation_has_other"
            ),
        ]
        indexes = [models.Index(fields=["other", "kind"]), models.Index(fields=["client", "kind"])]


class Message(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    # SET_NULL: when the sender's account is erased, her words stay in the others' history as
    # "a former member" (the member's own conversations go with her, by CASCADE on client).
    sender = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)
    # A member's message that read as a crisis opened the crisis path.
    crisis = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "-id"], name="message_conversation_newest"),
            models.Index(fields=["sender", "sent_at"], name="message_sender_recent"),
        ]


class ReadMark(models.Model):
    """How far one person has read one conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="read_marks")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="one_read_mark")]


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DISMISSED = "dismissed", _("Dismissed")
    WARNED = "warned", _("Sender warned")
    SUSPENDED = "suspended", _("Sender suspended")


class Report(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "reporter"], condition=Q(status="open"), name="one_open_report_per_reporter"
            )
        ]
        indexes = [models.Index(fields=["organization", "status", "created_at"])]


class Suspension(models.Model):
    """Staff suspended this person from sending messages (a moderation outcome)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user"], condition=Q(lifted_at__isnull=True), name="suspension_active")]
