"""The group create/edit form with a human schedule picker ("every Tuesday and Thursday at
6:30 pm") that produces the RRULE. The form only shapes input; services.group_create/update
apply the rules, and their field errors are shown next to the right input."""

from __future__ import annotations

import zoneinfo
from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Organization, User

from . import recurrence, selectors
from .meeting_types import meeting_types_ensure
from .models import AttendanceMode, Kind, MeetingType, RecoveryGroup, Visibility


@lru_cache(maxsize=1)
def _zone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/", "right/"))
    )
    return [(z, z.replace("_", " ")) for z in zones]


REPEAT_CHOICES = [("1", _("Every week")), ("2", _("Every other week")), ("3", _("Every 3 weeks")), ("4", _("Every 4 weeks"))]
SERVICE_FIELD_MAP = {"rrule": "days", "start_local": "start_date", "interval": "repeat"}


class GroupForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    kind = forms.ChoiceField(choices=Kind.choices, label=_("Kind of group"))
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Description"),
        help_text=_("What happens in the group and who it is for."),
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Facilitators")
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.ORGANIZATION, label=_("Who can see it")
    )
    attendance_mode = forms.ChoiceField(
        choices=AttendanceMode.choices, widget=forms.RadioSelect, initial=AttendanceMode.IN_PERSON, label=_("Where it meets")
    )
    location = forms.CharField(
        required=False,
        max_length=300,
        label=_("Venue"),
        help_text=_("The place's name, for example Riverside Recovery Collective."),
    )
    address = forms.CharField(
        required=False,
        max_length=300,
        label=_("Address"),
        help_text=_("Street, city, state ZIP, country, for in-person and hybrid groups."),
    )
    conference_url = forms.URLField(
        required=False, max_length=500, assume_scheme="https", label=_("Video link"), help_text=_("For online and hybrid groups.")
    )
    conference_phone = forms.CharField(required=False, max_length=60, label=_("Dial-in number"))
    capacity = forms.IntegerField(
        required=False,
        min_value=0,
        label=_("Capacity"),
        help_text=_("Leave empty for no limit. When full, people join a waitlist."),
    )
    days = forms.TypedMultipleChoiceField(
        choices=list(enumerate(recurrence.DAY_NAMES)),  # lazy: the reader's language
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Meets on"),
    )
    at = forms.TimeField(
        label=_("At"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Local time where the group meets."),
    )
    repeat = forms.ChoiceField(choices=REPEAT_CHOICES, initial="1", label=_("Repeats"))
    start_date = forms.DateField(label=_("Starting"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    duration_minutes = forms.IntegerField(min_value=1, max_value=1440, initial=90, label=_("Length (minutes)"))
    timezone = forms.ChoiceField(choices=(), label=_("Time zone"))
    custom_rrule = forms.CharField(
        required=False,
        max_length=500,
        label=_("Custom rule (advanced)"),
        help_text=_("An RFC 5545 RRULE such as FREQ=MONTHLY;BYDAY=1SA. When filled in, it replaces the days above."),
    )
    meeting_types = forms.ModelMultipleChoiceField(
        queryset=MeetingType.objects.all(), to_field_name="code", required=False, widget=forms.CheckboxSelectMultiple,
        label=_("Meeting Guide types"), help_text=_("Shown in the public meetings feed."),
    )  # fmt: skip

    def __init__(self, *args: Any, organization_id: int, group: RecoveryGroup | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting_types_ensure()
        self.group = group
        self.fields["facilitators"].queryset = selectors.facilitator_candidates(  # type: ignore[attr-defined]
            organization_id=organization_id
        ).order_by("display_name")
        self.fields["facilitators"].label_from_instance = lambda u: f"{u.display_name} ({u.get_role_display()})"  # type: ignore[attr-defined]
        self.fields["timezone"].choices = _zone_choices()  # type: ignore[attr-defined]
        org = Organization.objects.filter(pk=organization_id).only("timezone").first()
        if group is None:
            self.initial.setdefault("timezone", org.timezone if org else "America/New_York")
            self.initial.setdefault("start_date", timezone.localdate())
            self.initial.setdefault("days", [])
        else:
            simple = recurrence.simple_schedule_from_rrule(group.rrule)
            self.initial.update(
                {
                    "name": group.name,
                    "kind": group.kind,
                    "description": group.description,
                    "facilitators": list(group.facilitators.all()),
                    "visibility": group.visibility,
                    "attendance_mode": group.attendance_mode,
                    "location": group.location,
                    "address": group.address,
                    "conference_url": group.conference_url,
                    "conference_phone": group.conference_phone,
                    "capacity": group.capacity,
                    "at": group.start_time,
                    "start_date": group.start_date,
                    "duration_minutes": group.duration_minutes,
                    "timezone": group.timezone,
                    "meeting_types": list(group.meeting_types.all()),
                    "days": list(simple[0]) if simple else [],
                    "repeat": str(simple[1]) if simple else "1",
                    "custom_rrule": "" if simple else group.rrule,
                }
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("custom_rrule") and not data.get("days") and "days" not in self.errors:
            self.add_error("days", _("Pick at least one day (or write a custom rule)."))
        return data

    def schedule_preview(self) -> str:
        try:
            rule, start = self._rule(), self._start()
        except Exception:
            return ""
        return recurrence.describe(rule, start)

    def _rule(self) -> str:
        data = self.cleaned_data
        if data.get("custom_rrule"):
            return str(data["custom_rrule"])
        return recurrence.SimpleSchedule(days=tuple(data["days"]), at=data["at"], interval=int(data["repeat"])).rrule()

    def _start(self) -> Any:
        from datetime import datetime

        start_date: date = self.cleaned_data["start_date"]
        return datetime.combine(start_date, self.cleaned_data["at"])

    def to_service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "description": data.get("description", ""),
            "facilitators": [u.pk for u in data.get("facilitators") or []],
            "visibility": data["visibility"],
            "attendance_mode": data["attendance_mode"],
            "location": data.get("location", ""),
            "address": data.get("address", ""),
            "conference_url": data.get("conference_url", ""),
            "conference_phone": data.get("conference_phone", ""),
            "capacity": data.get("capacity"),
            "timezone": data["timezone"],
            "rrule": self._rule(),
            "start_local": self._start().strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": data["duration_minutes"],
            "meeting_types": [t.code for t in data.get("meeting_types") or []],
        }

    def add_service_error(self, field: str | None, message: str) -> None:
        if field == "rrule" and self.cleaned_data.get("custom_rrule"):
            name: str | None = "custom_rrule"
        else:
            name = SERVICE_FIELD_MAP.get(field or "", field)
        self.add_error(name if name in self.fields else None, message)
