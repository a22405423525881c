"""The member's own plan (SAMHSA peer recovery planning): goals in the four recovery-capital
domains with steps, owners and due dates, a backup plan, and the milestones that recognize her
engagement (DESIGN.md "The member's plan and what a check-in gives back")."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User


class Domain(models.TextChoices):
    SOCIAL = "social", _("Social: relationships and support")
    PHYSICAL = "physical", _("Physical: health, housing, money")
    HUMAN = "human", _("Human: skills, values, hope")
    CULTURAL = "cultural", _("Cultural: community and belonging")


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")


class Plan(models.Model):
    """One per member: the backup (relapse-prevention) plan; goals hang off the member."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(User, on_delete=models.CASCADE, related_name="recovery_plan")
    warning_signs = models.JSONField(default=list, blank=True)
    coping_steps = models.JSONField(default=list, blank=True)
    people = models.JSONField(default=list, blank=True)  # [{name, phone, user}]
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")


class Goal(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="plan_goals")
    title = models.CharField(max_length=200)
    domain = models.CharField(max_length=10, choices=Domain.choices)
    why = models.TextField(blank=True, max_length=1000)
    due = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=8, choices=GoalStatus.choices, default=GoalStatus.ACTIVE)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client", "status"])]
        ordering = ["status", "due", "pk"]


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]


class MilestoneKind(models.TextChoices):
    FIRST_CHECKIN = "first_checkin", _("Your first check-in")
    CHECKIN_DAYS_7 = "checkin_days_7", _("7 days with a check-in")
    CHECKIN_DAYS_30 = "checkin_days_30", _("30 days with a check-in")
    CHECKIN_DAYS_90 = "checkin_days_90", _("90 days with a check-in")
    CHECKIN_DAYS_180 = "checkin_days_180", _("180 days with a check-in")
    CHECKIN_DAYS_365 = "checkin_days_365", _("365 days with a check-in")
    FIRST_GROUP = "first_group", _("Your first group")
    FIRST_CONTACT = "first_contact", _("Your first talk with your mentor")
    GOAL_DONE = "goal_done", _("A goal done")
    BARC10_UP_5 = "barc10_up_5", _("Recovery strengths up 5 points or more")


class Milestone(models.Model):
    """Recognition from inside the program. `ref` tells apart milestones that can repeat (each
    goal done); the unique constraint makes the planner safe to run twice."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=20, choices=MilestoneKind.choices)
    ref = models.BigIntegerField(default=0)
    reached_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "kind", "ref"], name="one_milestone_per_kind_ref")]
        indexes = [models.Index(fields=["client", "-reached_on"])]
        ordering = ["-reached_on", "-pk"]
