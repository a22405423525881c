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
    """The organization's day: the sums of its clients' DailyRollup rows of that local day (their
    own local days), so a program figure over a window is a sum over at most one row per day."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    local_date = models.DateField()
    checkins = models.PositiveIntegerField(default=0)
    mood_sum = models.PositiveIntegerField(default=0)  # over the day's check-ins with a mood
    mood_count = models.PositiveIntegerField(default=0)
    craving_sum = models.PositiveIntegerField(default=0)
    craving_count = models.PositiveIntegerField(default=0)
    attended = models.PositiveIntegerField(default=0)
    missed = models.PositiveIntegerField(default=0)
    contacts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "local_date"], name="one_program_day")]


class ActiveSpan(models.Model):
    """A client counts as active on a day when she checked in, attended (present/late) or had a
    mentor contact on one of her 30 local days ending that day. Her active days, each covering
    itself and the 29 days after, merge into spans [first_day, last_day]; "active members on day
    D" is then the number of spans holding D (a member's spans never overlap): one indexed
    count instead of a distinct count over 30 days of rollups."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField()
    last_day = models.DateField()  # the last active day + 29

    class Meta:
        indexes = [models.Index(fields=["organization", "last_day", "first_day"], name="span_org_last_first")]
