"""Medications (beside the daily questions they add to): optional reminders at the member's
local times, and one optional check-in question, "took your medication?". MOUD is welcome here."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from members.models import Organization, User


class Medication(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(max_length=100)
    times = models.JSONField(default=list)  # ["HH:MM"], local to the member
    days = models.JSONField(default=list)  # 0 = Sunday … 6 = Saturday
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "checkins"
        ordering = ["pk"]


class MedicationAnswer(models.Model):
    """The check-in's optional question, one per member per local day."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="medication_answers")
    local_date = models.DateField()
    took = models.CharField(max_length=4)  # yes | no | skip
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "checkins"
        constraints = [models.UniqueConstraint(fields=["client", "local_date"], name="one_medication_answer_per_day")]
