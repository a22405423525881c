"""Daily rollups (DESIGN.md "Dashboards"): per member per local day (her own time zone), whether
she checked in, her mood and craving, sessions attended and missed, and mentor contacts; and per
organization per day, the number of check-ins. The dashboards read these instead of the source
tables; dashboard.rollups keeps them up to date (incrementally, and a rebuild command)."""

from __future__ import annotations

from django.db import models

from members.models import Organization, User


class DailyRollup(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    checked_in = models.BooleanField(default=False)
    mood = models.PositiveSmallIntegerField(null=True)
    craving = models.PositiveSmallIntegerField(null=True)
    attended = models.PositiveSmallIntegerField(default=0)  # present or late
    missed = models.PositiveSmallIntegerField(default=0)  # absent (excused counts neither way)
    contacts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "local_date"], name="one_rollup_per_client_per_day")]
        indexes = [models.Index(fields=["organization", "local_date", "client"], name="rollup_org_day_client")]


class ProgramDay(models.Model):
    """Check-ins of the organization's clients on one local day (their own local days)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    checkins = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "local_date"], name="one_program_day")]
