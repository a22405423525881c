"""/api/v1/dashboard/...: thin views over dashboard.selectors (the pages call the same)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role
from common.errors import Invalid
from members.choices import Role
from members.models import User

from . import selectors

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


def parse_flag(raw: str | None, field: str) -> bool:
    value = (raw or "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise Invalid("Use true or false.", field=field)


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
        "match_retention_30d": serializers.FloatField(**_rate),
        "match_retention_90d": serializers.FloatField(**_rate),
        "attendance_rate": serializers.FloatField(**_rate),
        "checkin_adherence": serializers.FloatField(**_rate),
        "open_crisis_flags": serializers.IntegerField(),
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


class CaseloadApi(GenericAPIView):
    """Clinicians their caseload, mentors their mentees, staff the organization: most at risk first."""

    permission_classes = [has_role(Role.CLINICIAN, Role.MENTOR, Role.STAFF)]
    serializer_class = None
    queryset = User.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("flagged", bool, description="Only clients with an open risk flag"),
            OpenApiParameter("client", int, description="One client (404 when outside your view)"),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses={200: CaseloadPageSchema, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        summary="Caseload dashboard: check-in adherence, attendance, mentor, last contact and open risk flags",
    )
    def get(self, request: Request) -> Response:
        flagged = parse_flag(request.query_params.get("flagged"), "flagged")
        access = selectors.caseload_access(viewer=request.user)
        qs = selectors.caseload_queryset(
            viewer=request.user, access=access, flagged_only=flagged, client_id=request.query_params.get("client")
        )
        clients = list(self.paginate_queryset(qs) or [])
        return self.get_paginated_response(selectors.caseload_rows(viewer=request.user, clients=clients, access=access))


class ProgramApi(APIView):
    permission_classes = [has_role(Role.STAFF)]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="First local day (default: 30 days ago)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last local day, inclusive (default: today)"),
        ],
        responses={200: ProgramSchema, 400: OpenApiTypes.OBJECT},
        summary="Program dashboard (staff): members, matching, attendance, adherence, crisis flags, weekly series",
    )
    def get(self, request: Request) -> Response:
        window = selectors.program_window(
            organization=request.user.organization,
            date_from=request.query_params.get("from"),
            date_to=request.query_params.get("to"),
        )
        return Response(selectors.program_figures(organization=request.user.organization, window=window))
