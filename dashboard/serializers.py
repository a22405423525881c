"""Response shapes of the dashboard API (for the OpenAPI schema): the rows are built by
dashboard.selectors, which the pages call too."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

_person = inline_serializer("DashboardPerson", {"id": serializers.IntegerField(), "display_name": serializers.CharField()})
CaseloadRowSchema = inline_serializer(
    "CaseloadRow",
    {
        "client": _person,
        "last_checkin_at": serializers.DateTimeField(allow_null=True),
        "last_checkin_date": serializers.DateField(allow_null=True),
        "last_checkin_days_ago": serializers.IntegerField(allow_null=True),
        "checkin_adherence_30d": serializers.FloatField(allow_null=True),
        "attendance_rate_30d": serializers.FloatField(allow_null=True),
        "mentor": inline_serializer(
            "DashboardMentor", {"id": serializers.IntegerField(), "display_name": serializers.CharField()}, allow_null=True
        ),
        "last_contact_at": serializers.DateTimeField(allow_null=True),
        "flags": serializers.ListField(child=serializers.CharField()),
        "risk_tier": serializers.IntegerField(
            help_text="0 crisis, 1 PHQ-9 item 9, 2 other flag, 3 no check-in for 3 days, 4 none"
        ),
        "shared": inline_serializer(
            "CaseloadShared",
            {
                "checkins": serializers.BooleanField(),
                "attendance": serializers.BooleanField(),
                "flags": serializers.BooleanField(),
            },
        ),
    },
)
CaseloadPageSchema = inline_serializer(
    "CaseloadPage",
    {
        "results": serializers.ListField(child=CaseloadRowSchema),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "count": serializers.IntegerField(),
    },
)
_rate = {"allow_null": True}
ProgramSchema = inline_serializer(
    "ProgramDashboard",
    {
        "from": serializers.DateField(),
        "to": serializers.DateField(),
        "active_members": serializers.IntegerField(),
        "new_members": serializers.IntegerField(),
        "open_requests": serializers.IntegerField(),
        "median_hours_to_match": serializers.FloatField(**_rate),
        "median_hours_to_first_contact": serializers.FloatField(
            help_text="sign-up to the first message or logged contact with a mentor", **_rate
        ),
        "contact_rhythm_7d": serializers.FloatField(
            help_text="share of active matches with a contact in the last 7 days", **_rate
        ),
        "match_retention_30d": serializers.FloatField(**_rate),
        "match_retention_90d": serializers.FloatField(**_rate),
        "attendance_rate": serializers.FloatField(**_rate),
        "checkin_adherence": serializers.FloatField(**_rate),
        "open_crisis_flags": serializers.IntegerField(),
        "referrals_made": serializers.IntegerField(),
        "referrals_connected": serializers.IntegerField(),
        "weekly": serializers.ListField(
            child=inline_serializer(
                "ProgramWeek",
                {
                    "week_start": serializers.DateField(),
                    "checkins": serializers.IntegerField(),
                    "attendance_rate": serializers.FloatField(**_rate),
                    "new_members": serializers.IntegerField(),
                    "matches_started": serializers.IntegerField(),
                },
            )
        ),
    },
)
