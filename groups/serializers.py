"""Shapes of the groups API. Field-level checks only (types, lengths, vocabularies); the rules
(valid RRULE, known zone, duration > 0, capacity >= 0, who may do what) live in services."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from rest_framework import serializers

from . import recurrence
from .models import AttendanceMode, Kind, RecoveryGroup, Session, Visibility
from .selectors import RosterRow, SheetRow
from .services import NOT_RECORDED


def local_iso(value: Any, zone: str) -> str | None:
    return value.astimezone(ZoneInfo(zone)).isoformat() if value is not None else None


class GroupWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=Kind.choices)
    description = serializers.CharField(allow_blank=True, required=False, max_length=4000)
    facilitators = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=20)
    capacity = serializers.IntegerField(allow_null=True, required=False, help_text="Seats; null for no limit.")
    visibility = serializers.ChoiceField(choices=Visibility.choices, required=False)
    attendance_mode = serializers.ChoiceField(choices=AttendanceMode.choices, required=False)
    location = serializers.CharField(
        allow_blank=True, required=False, max_length=300, help_text="The venue's name, e.g. Riverside Recovery Collective."
    )
    address = serializers.CharField(
        allow_blank=True, required=False, max_length=300, help_text="Street, city, state ZIP, country (in-person and hybrid)."
    )
    conference_url = serializers.URLField(allow_blank=True, required=False, max_length=500)
    conference_phone = serializers.RegexField(r"^[0-9+,*# ()-]*$", allow_blank=True, required=False, max_length=60)
    timezone = serializers.CharField(max_length=64, help_text="IANA zone, e.g. America/Chicago")
    rrule = serializers.CharField(max_length=500, help_text="RFC 5545 RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO,TH")
    start_local = serializers.CharField(max_length=32, help_text="First meeting, local wall clock: YYYY-MM-DDTHH:MM")
    duration_minutes = serializers.IntegerField()
    meeting_types = serializers.ListField(child=serializers.CharField(max_length=12), required=False, max_length=30)


class PersonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField()


class SessionSerializer(serializers.ModelSerializer):
    starts_at = serializers.SerializerMethodField()
    ends_at = serializers.SerializerMethodField()
    original_start = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="scheduled or cancelled")

    class Meta:
        model = Session
        fields = ["id", "starts_at", "ends_at", "status", "original_start", "moved", "cancel_reason"]

    def _zone(self, obj: Session) -> str:
        return self.context.get("zone") or obj.group.timezone

    def get_starts_at(self, obj: Session) -> str | None:
        return local_iso(obj.starts_at, self._zone(obj))

    def get_ends_at(self, obj: Session) -> str | None:
        return local_iso(obj.ends_at, self._zone(obj))

    def get_original_start(self, obj: Session) -> str | None:
        return local_iso(obj.original_start, self._zone(obj))


class GroupSerializer(serializers.ModelSerializer):
    facilitators = PersonBriefSerializer(many=True, read_only=True)
    meeting_types = serializers.SerializerMethodField()
    start_local = serializers.SerializerMethodField()
    schedule = serializers.SerializerMethodField(help_text="The schedule in words")
    enrolled_count = serializers.SerializerMethodField()
    waitlist_count = serializers.SerializerMethodField()
    my_status = serializers.SerializerMethodField(help_text="enrolled, waitlisted, left or null")
    next_sessions = serializers.SerializerMethodField()

    class Meta:
        model = RecoveryGroup
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "description",
            "facilitators",
            "capacity",
            "visibility",
            "attendance_mode",
            "location",
            "address",
            "conference_url",
            "conference_phone",
            "timezone",
            "rrule",
            "start_local",
            "duration_minutes",
            "meeting_types",
            "schedule",
            "enrolled_count",
            "waitlist_count",
            "my_status",
            "next_sessions",
        ]

    def get_meeting_types(self, obj: RecoveryGroup) -> list[str]:
        return sorted(t.code for t in obj.meeting_types.all())

    def get_start_local(self, obj: RecoveryGroup) -> str:
        return obj.start_local.strftime("%Y-%m-%dT%H:%M")

    def get_schedule(self, obj: RecoveryGroup) -> str:
        return recurrence.describe(obj.rrule, obj.start_local)

    def get_enrolled_count(self, obj: RecoveryGroup) -> int | None:
        return getattr(obj, "seated", None)

    def get_waitlist_count(self, obj: RecoveryGroup) -> int | None:
        return getattr(obj, "waiting", None)

    def get_my_status(self, obj: RecoveryGroup) -> str | None:
        return getattr(obj, "my_status", None)

    def get_next_sessions(self, obj: RecoveryGroup) -> list[dict[str, Any]]:
        upcoming = getattr(obj, "upcoming", [])
        return [
            {"id": s.pk, "starts_at": local_iso(s.starts_at, obj.timezone), "ends_at": local_iso(s.ends_at, obj.timezone)}
            for s in upcoming
        ]


class GroupQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    attendance_mode = serializers.ChoiceField(choices=AttendanceMode.choices, required=False)
    day = serializers.IntegerField(min_value=0, max_value=6, required=False, help_text="0 = Sunday … 6 = Saturday")


class MemberRefSerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1, required=False, help_text="Clinicians/staff: the member's user id")


class EnrollmentResultSerializer(serializers.Serializer):
    status = serializers.CharField()
    position = serializers.IntegerField(allow_null=True, required=False)
    group = serializers.IntegerField()
    member = serializers.IntegerField()


class RosterRowSerializer(serializers.Serializer):
    member = serializers.SerializerMethodField()
    status = serializers.CharField()
    position = serializers.IntegerField(allow_null=True)
    attendance_rate = serializers.FloatField(allow_null=True, help_text="null when none recorded or not shared with you")
    present = serializers.IntegerField(allow_null=True)
    late = serializers.IntegerField(allow_null=True)
    absent = serializers.IntegerField(allow_null=True)
    excused = serializers.IntegerField(allow_null=True)
    attendance_shared = serializers.BooleanField(source="shared", help_text="false: the member does not share attendance")

    def get_member(self, obj: RosterRow) -> dict[str, Any]:
        return {"id": obj.member.pk, "display_name": obj.member.display_name}


class AttendanceEntrySerializer(serializers.Serializer):
    member = serializers.IntegerField(min_value=1)
    # A plain string checked by the service: an enum here would collide with other `status` enums.
    status = serializers.CharField(max_length=20, help_text="present, late, absent, excused (or not_recorded to clear)")
    note = serializers.CharField(allow_blank=True, required=False, max_length=500)


class AttendanceSheetRowSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    display_name = serializers.CharField(source="member.display_name")
    status = serializers.SerializerMethodField(help_text="present, late, absent, excused, not_recorded; null if not shared")
    note = serializers.CharField()
    shared = serializers.BooleanField()

    def get_status(self, obj: SheetRow) -> str | None:
        if not obj.shared:
            return None
        return obj.status or NOT_RECORDED


class AttendanceOutSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    status = serializers.CharField()
    note = serializers.CharField()


class SessionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, max_length=300)


class SessionMoveSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False)


class CalendarUrlSerializer(serializers.Serializer):
    url = serializers.URLField()


class MeetingTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
