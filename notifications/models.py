from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Normal")
    HIGH = 1, _("High")
    # Crisis: bypasses quiet hours and opt-outs, goes out on every channel the person has.
    CRITICAL = 2, _("Critical")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In-app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Notification(models.Model):
    """One message to one person. Every notification is an in-app inbox item; email and SMS
    are extra channels, each a Delivery row in the outbox."""

    # No index: nothing reads a program's notifications by organization alone (the outbox view
    # starts from deliveries), and planners write 100,000 rows at a time.
    organization = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    # No index of its own: the (recipient, -created_at) index serves every lookup by recipient.
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications", db_index=False)
    # Validated against notifications.kinds (each app registers its own) in notification_create,
    # not as field choices: apps add kinds without a migration here.
    kind = models.CharField(max_length=32)
    priority = models.SmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    # The only words that leave Kinship by email or SMS: that there is something to see.
    outside_text = models.CharField(max_length=200, blank=True)
    url = models.CharField(max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # Who/what/when: a planner that runs twice inserts nothing the second time.
    dedupe_key = models.CharField(max_length=200)  # unique: Meta.constraints
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["recipient", "-created_at"])]
        # A constraint rather than unique=True: the same unique index for ON CONFLICT, without the
        # pattern-ops index PostgreSQL gets for a unique CharField (nothing searches keys by
        # prefix; every index costs each of a planner's 100,000 inserts).
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="notification_dedupe_key_unique")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.Model):
    """The outbox: one row per notification per extra channel, claimed by exactly one worker."""

    # Indexed by one_delivery_per_channel (notification, channel), which leads with it.
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries", db_index=False)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    status = models.CharField(max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    scheduled_for = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        indexes = [
            models.Index(fields=["scheduled_for"], condition=Q(status="pending"), name="delivery_pending_due"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="delivery_sending_claimed"),
        ]


class NotificationPreference(models.Model):
    """How and when a person wants to hear from Kinship (GET/PUT /api/v1/me/reminders/)."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="notification_preference")
    channels = models.JSONField(default=list)
    checkin_time = models.TimeField(null=True, blank=True)
    checkin_days = models.JSONField(default=list)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    group_reminders = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)


class EmailOptOut(models.Model):
    """A person asked for no more emails of one kind (the signed link at the foot of every
    email). The inbox still gets everything; crisis alerts cannot be unsubscribed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_opt_outs")
    kind = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out_per_kind")]


class PlannerRun(models.Model):
    """When each beat task last started in a worker: /healthz says `beat: down` when none ran
    in the last five minutes."""

    task = models.CharField(max_length=200, primary_key=True)
    last_run_at = models.DateTimeField()
