"""Match requests, matches (proposals that mentors accept) and the mentor's contact log.

Integrity lives in the database as well as in the services: at most one open request and at
most one proposed-or-active match per client are partial unique constraints, so two
simultaneous requests cannot both win even if a service check is bypassed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Looking for a mentor")
    MATCHED = "matched", _("Matched")
    CANCELLED = "cancelled", _("Cancelled")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the mentor")
    ACTIVE = "active", _("Active")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    ENDED = "ended", _("Ended")


class ContactMode(models.TextChoices):
    CALL = "call", _("Phone call")
    TEXT = "text", _("Text messages")
    VIDEO = "video", _("Video call")
    IN_PERSON = "in_person", _("In person")


# Statuses that hold one of the mentor's capacity slots and block the client from another match.
OPEN_MATCH_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACTIVE)


class MatchRequest(models.Model):
    """A client asking for a mentor. Stays open through declined or expired proposals, so the
    client can choose again; becomes `matched` when a mentor accepts."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="match_requests")
    status = models.CharField(max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    # Optional overrides of the client's profile for this request (languages, formats, ...).
    preferences = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client"], condition=Q(status="open"), name="one_open_match_request_per_client"),
        ]
        indexes = [models.Index(fields=["organization", "status", "created_at"])]


class Match(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="matches_as_client")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="matches_as_mentor")
    request = models.ForeignKey(MatchRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="matches")
    status = models.CharField(max_length=16, choices=MatchStatus.choices, default=MatchStatus.PROPOSED)
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=16, default="client")  # "client" chose, or "batch" run
    proposed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    end_reason = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(status__in=["proposed", "active"]), name="one_open_match_per_client"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="match_rating_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"]),
            models.Index(fields=["client", "status"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["expires_at"], condition=Q(status="proposed"), name="match_proposed_expiry"),
        ]


class ContactLog(models.Model):
    """A mentor's record of one contact with a mentee. The care team reads it only with the
    client's `contact_log` consent (members.access.client_get_for_viewer)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="contacts")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    occurred_at = models.DateTimeField()
    mode = models.CharField(max_length=16, choices=ContactMode.choices)
    duration_minutes = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client", "-occurred_at"]), models.Index(fields=["match", "-occurred_at"])]
