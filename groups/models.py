"""Recovery groups: a series (RecoveryGroup: wall-clock start + IANA zone + RRULE), its
materialized occurrences (Session), who is in it (Enrollment, with an ordered waitlist) and who
came (Attendance). Times are stored in UTC; the schedule is kept in local wall-clock terms so a
7 pm meeting stays at 7 pm across daylight-saving changes."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.timezone import now as _now
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User
from members.validators import validate_timezone


class Kind(models.TextChoices):
    PEER_SUPPORT = "peer_support", _("Peer support")
    TWELVE_STEP = "twelve_step", _("12-step")
    SMART = "smart", _("SMART Recovery")
    HARM_REDUCTION = "harm_reduction", _("Harm reduction")
    FAMILY = "family", _("Family & friends")
    CLINICAL_THERAPY = "clinical_therapy", _("Clinical therapy")
    SKILLS = "skills", _("Skills")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public (listed in the meetings feed)")
    ORGANIZATION = "organization", _("Everyone in the program")
    CLOSED = "closed", _("Closed (members are enrolled by staff)")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waitlisted")
    LEFT = "left", _("Left")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class MeetingType(models.Model):
    """A Meeting Guide type code (code4recovery spec: "O" open, "C" closed, "ONL" online, ...)."""

    code = models.CharField(max_length=12, unique=True)
    name = models.CharField(max_length=80)
    name_es = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def label(self) -> str:
        """The name in the language of the page (the spec ships both)."""
        return self.name_es if self.name_es and (get_language() or "").startswith("es") else self.name


class RecoveryGroup(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    facilitators = models.ManyToManyField(User, blank=True, related_name="facilitated_groups")
    # None: no limit.
    capacity = models.PositiveIntegerField(null=True, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.ORGANIZATION)
    attendance_mode = models.CharField(max_length=16, choices=AttendanceMode.choices, default=AttendanceMode.IN_PERSON)
    # The venue's name ("Riverside Recovery Collective") and its geocodable address ("1200 River
    # Rd, Springfield, IL 62701, USA"), as the Meeting Guide feed has them (API.md).
    location = models.CharField(max_length=300, blank=True, help_text="The venue's name, for in-person meetings.")
    address = models.CharField(max_length=300, blank=True, help_text="Street, city, state ZIP, country.")
    conference_url = models.URLField(max_length=500, blank=True)
    conference_phone = models.CharField(max_length=60, blank=True)
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    # RFC 5545 RRULE without DTSTART, expanded from start_local (wall clock) in `timezone`.
    rrule = models.CharField(max_length=500)
    # The first occurrence's local date and wall-clock time (no zone: `timezone` says where).
    start_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveIntegerField()
    meeting_types = models.ManyToManyField(MeetingType, blank=True, related_name="+")
    # When the current schedule took over (set by a schedule change): sessions before it were
    # made by an older rule, and the iCal feed lists them as single events.
    series_start = models.DateTimeField(null=True, blank=True)
    # Bumped on every schedule change: the iCal SEQUENCE.
    schedule_version = models.PositiveIntegerField(default=0)
    # Hands out waitlist positions; only changed under the group's row lock.
    waitlist_counter = models.PositiveIntegerField(default=0)
    # Sessions exist up to here; the horizon task extends it.
    materialized_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=_now)
    updated_at = models.DateTimeField(default=_now)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="group_slug_unique_in_org")]
        indexes = [models.Index(fields=["organization", "visibility"])]

    def __str__(self) -> str:
        return self.name

    @property
    def place(self) -> str:
        """Where it meets, for people: "Riverside Recovery Collective, 1200 River Rd, ..."."""
        return ", ".join(part for part in (self.location, self.address) if part)

    @property
    def start_local(self) -> datetime:
        """Naive local wall-clock datetime of the first occurrence."""
        return datetime.combine(self.start_date, self.start_time)

    @property
    def is_online(self) -> bool:
        return self.attendance_mode in (AttendanceMode.ONLINE, AttendanceMode.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.attendance_mode in (AttendanceMode.IN_PERSON, AttendanceMode.HYBRID)


class Session(models.Model):
    """One occurrence. `original_start` is where the rule put it: cancelling or moving keeps it,
    so regeneration recognises the occurrence and leaves it alone."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RecoveryGroup, on_delete=models.CASCADE, related_name="sessions")
    original_start = models.DateTimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    moved = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=_now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "original_start"], name="one_session_per_occurrence")]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["organization", "starts_at"]),
        ]

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED


class Enrollment(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(RecoveryGroup, on_delete=models.CASCADE, related_name="enrollments")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="group_enrollments")
    status = models.CharField(max_length=12, choices=EnrollmentStatus.choices)
    # Waitlist order: lower first. Set from a per-group counter when the member joins the list.
    waitlist_seq = models.PositiveIntegerField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=_now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="one_enrollment_per_member"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlist_seq__isnull=False), name="waitlisted_has_position"
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status", "waitlist_seq"]),
            models.Index(fields=["member", "status"]),
        ]


class Attendance(models.Model):
    """A recorded attendance. No row means not recorded."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="group_attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=_now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_session_member")]
        indexes = [models.Index(fields=["member", "session"])]


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A member's secret iCal URL. Rotating replaces the token; the old URL stops working."""

    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(default=_now)
    rotated_at = models.DateTimeField(null=True, blank=True)
