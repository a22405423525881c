"""Daily check-ins, recovery questionnaires and risk flags (DESIGN.md "Check-ins, risk and crisis")."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User


class Used(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    # Always allowed: nobody has to answer a use question.
    SKIP = "skip", _("I'd rather not say")


class Instrument(models.TextChoices):
    BARC10 = "BARC-10", _("Recovery capital (BARC-10)")
    PHQ9 = "PHQ-9", _("Mood (PHQ-9)")
    GAD7 = "GAD-7", _("Worry and anxiety (GAD-7)")
    BAM = "BAM", _("Recovery check (BAM)")


class FlagKind(models.TextChoices):
    CRISIS = "crisis", _("Asked for support (crisis)")
    NO_CHECKIN_3D = "no_checkin_3d", _("No check-in for 3 days")
    MISSED_2_SESSIONS = "missed_2_sessions", _("Missed 2 group sessions in a row")
    HIGH_CRAVING = "high_craving", _("High cravings")
    LOW_MOOD = "low_mood", _("Low mood")
    PHQ9_ITEM9 = "phq9_item9", _("PHQ-9 item 9 (thoughts of self-harm)")
    MISSED_TEST = "missed_test", _("No test result 2 hours after a scheduled test")


class CheckIn(models.Model):
    """One per client per local day (the member's time zone decides the day)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="checkins")
    local_date = models.DateField()
    mood = models.PositiveSmallIntegerField()
    craving = models.PositiveSmallIntegerField()
    used = models.CharField(max_length=4, choices=Used.choices, default=Used.SKIP)
    # Moderation goals: how much, in the member's own unit (e.g. standard drinks).
    amount = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    connected = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)
    need_support = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "local_date"], name="one_checkin_per_client_per_local_day"),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="checkin_mood_1_5"),
            models.CheckConstraint(condition=Q(craving__gte=0, craving__lte=10), name="checkin_craving_0_10"),
        ]
        indexes = [models.Index(fields=["organization", "local_date"])]
        ordering = ["-local_date"]


class Assessment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assessments")
    instrument = models.CharField(max_length=8, choices=Instrument.choices)
    answers = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    band = models.CharField(max_length=32)
    flags = models.JSONField(default=list, blank=True)
    subscores = models.JSONField(default=dict, blank=True)
    local_date = models.DateField()
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client", "instrument", "-taken_at"])]
        ordering = ["-taken_at", "-pk"]


class RiskFlag(models.Model):
    """Something the care team should look at. Opened and resolved by services only; at most one
    open flag of a kind per client (a database constraint), so an episode is one flag."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="risk_flags")
    kind = models.CharField(max_length=24, choices=FlagKind.choices)
    reason = models.CharField(max_length=500)
    opened_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolution_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "kind"], condition=Q(resolved_at__isnull=True), name="one_open_risk_flag_per_kind"
            )
        ]
        indexes = [models.Index(fields=["organization", "resolved_at"])]
        ordering = ["-opened_at", "-pk"]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


# --- family members' own recovery (DESIGN.md "Family members' own recovery") -------------------


class FamilyCheckIn(models.Model):
    """A family member's own daily check-in: one per local day (her time zone decides it)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="family_checkins")
    local_date = models.DateField()
    mood = models.PositiveSmallIntegerField()
    stress = models.PositiveSmallIntegerField()
    took_time_for_myself = models.BooleanField(default=False)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "local_date"], name="one_family_checkin_per_local_day"),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="family_checkin_mood_1_5"),
            models.CheckConstraint(condition=Q(stress__gte=0, stress__lte=10), name="family_checkin_stress_0_10"),
        ]
        ordering = ["-local_date"]


# --- testing results (DESIGN.md "Testing results") ---------------------------------------------


class TestKind(models.TextChoices):
    BREATH = "breath", _("Breath test")
    URINE = "urine", _("Urine test")
    SALIVA = "saliva", _("Saliva test")
    OTHER = "other", _("Other test")


class TestOutcome(models.TextChoices):
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid")
    MISSED = "missed", _("Missed")


class TestResult(models.Model):
    """A breath, urine or saliva test: self-reported by the member or recorded by staff or a
    clinician. Read against her own goal at read time (checkins.services.testing.within_goal)."""

    __test__ = False  # not a pytest test class

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="test_results")
    taken_at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=TestKind.choices)
    result = models.CharField(max_length=8, choices=TestOutcome.choices)
    # e.g. a breath alcohol concentration (0.020); for moderation goals read against her limit.
    value = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    substance = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["client", "-taken_at"])]
        ordering = ["-taken_at", "-pk"]


class TestingSchedule(models.Model):
    """When the member tests (PUT /me/testing/): a reminder 15 minutes before, and a
    `missed_test` flag when no result came 2 hours after."""

    __test__ = False  # not a pytest test class

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.OneToOneField(User, on_delete=models.CASCADE, related_name="testing_schedule")
    days = models.JSONField(default=list)  # 0 = Sunday … 6 = Saturday
    time = models.TimeField()  # local, in the member's time zone
    # Moderation goals: the highest value (e.g. breath alcohol 0.020) that is within her own limit.
    limit = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)


# Medications live in their own module (another topic, beside the daily questions they add to).
from .medication_models import Medication, MedicationAnswer  # noqa: E402

__all__ = [
    "Assessment",
    "CheckIn",
    "FamilyCheckIn",
    "FlagKind",
    "Instrument",
    "Medication",
    "MedicationAnswer",
    "RiskFlag",
    "TestKind",
    "TestOutcome",
    "TestResult",
    "TestingSchedule",
    "Used",
]
