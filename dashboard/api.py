"""/api/v1/dashboard/...: thin views over dashboard.selectors (the pages call the same)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role
from common.errors import Invalid
from members.choices import Role
from members.models import User

from . import selectors
from .serializers import CaseloadPageSchema, ProgramSchema

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off"}


def parse_flag(raw: str | None, field: str) -> bool:
    value = (raw or "").strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise Invalid(_("Use true or false."), field=field)


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
