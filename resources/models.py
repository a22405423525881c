"""Community resources, referrals with 30/60/90-day follow-ups, and the program's curriculum
(DESIGN.md "Resources, referrals and curriculum")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User


class Category(models.TextChoices):
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    LEGAL = "legal", _("Legal help")
    FOOD = "food", _("Food")
    HEALTH = "health", _("Health care")
    MEETINGS = "meetings", _("Meetings")
    NALOXONE = "naloxone", _("Naloxone")
    FAMILY = "family", _("Family support")
    OTHER = "other", _("Other")


class Resource(models.Model):
    """One entry of the organization's directory. `public` ones are listed on /o/{org}/."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.TextField(blank=True, max_length=2000)
    phone = models.CharField(max_length=32, blank=True)
    url = models.URLField(max_length=500, blank=True)
    address = models.CharField(max_length=300, blank=True)
    languages = models.JSONField(default=list, blank=True)
    hours = models.CharField(max_length=200, blank=True)
    public = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "category"])]
        ordering = ["category", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class ReferralStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CONNECTED = "connected", _("Connected")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    CONNECTED = "connected", _("Connected")
    NOT_YET = "not_yet", _("Not yet")
    DECLINED = "declined", _("Declined")
    UNREACHABLE = "unreachable", _("Unreachable")


class Referral(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="referrals")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="referrals")
    referrer = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="referrals_made")
    note = models.TextField(blank=True, max_length=2000)
    status = models.CharField(max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organization", "created_at"]), models.Index(fields=["client", "-created_at"])]
        ordering = ["-created_at", "-pk"]


class FollowUp(models.Model):
    """A follow-up due on a day (30, 60, 90 days after the referral); its outcome once recorded."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=Outcome.choices, null=True, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["due_on"], condition=Q(outcome__isnull=True), name="follow_up_open_due")]
        ordering = ["due_on", "pk"]


class Module(models.Model):
    """One week of the program's year-long curriculum. `body` is Markdown, rendered safely."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    week = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True, max_length=20000)
    activities = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "week"], name="one_module_per_week"),
            models.CheckConstraint(condition=Q(week__gte=1, week__lte=52), name="module_week_1_52"),
        ]
        ordering = ["week"]


class ModuleDone(models.Model):
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="modules_done")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="done_by")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "module"], name="module_done_once")]
