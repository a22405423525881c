"""Check-ins, assessments and risk flags over HTTP (API.md "Check-ins, assessments").
Views are thin: parse, call one selector or service, serialize. Serializers live in
serializers.py; who may read or write what is decided by the selectors (through
members.access) and the services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role, validated
from members.access import access_log_record_many, client_get_for_viewer
from members.choices import Role

from . import selectors, services
from .models import Assessment, CheckIn, Instrument, RiskFlag
from .scopes import CHECKIN_DETAIL, RISK_FLAGS
from .serializers import (
    AssessmentCreateSerializer,
    AssessmentDueSerializer,
    AssessmentQuerySerializer,
    AssessmentResultSerializer,
    AssessmentSerializer,
    CheckInCreateSerializer,
    CheckInQuerySerializer,
    CheckInResultSerializer,
    CheckInSerializer,
    CheckInSummarySerializer,
    RiskFlagQuerySerializer,
    RiskFlagResolveSerializer,
    RiskFlagSerializer,
    checkin_result_body,
)
from .services.medications import medication_answer_check, medication_answer_record
from .services.support import checkin_support

IsClient = has_role(Role.CLIENT)


# Anyone signed in reads (as far as the selectors let them); only members write their own.
MembersRecordCheckIns = has_role(Role.CLIENT)
MembersRecordCheckIns.message = "Only members record check-ins."  # type: ignore[attr-defined]
MembersFillInQuestionnaires = has_role(Role.CLIENT)
MembersFillInQuestionnaires.message = "Only members fill in questionnaires."  # type: ignore[attr-defined]


class CheckInListApi(GenericAPIView):
    queryset = CheckIn.objects.none()
    serializer_class = CheckInSerializer

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method == "POST":
            return [MembersRecordCheckIns()]
        return super().get_permissions()

    @extend_schema(
        request=CheckInCreateSerializer,
        responses={
            201: CheckInResultSerializer,
            200: CheckInResultSerializer,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
        summary="Record today's check-in (201), or update it (200): one per local day",
        description=(
            "The member's time zone decides the day. `used` may always be `skip`. When `need_support` is true the "
            "response carries `crisis_resources` and the care team is alerted at once."
        ),
    )
    def post(self, request: Request) -> Response:
        v = validated(CheckInCreateSerializer, request.data)
        client = request.user
        if "client" in v and v["client"] != request.user.pk:
            client = client_get_for_viewer(viewer=request.user, client_id=v["client"]).client
        if "took_medication" in v:
            medication_answer_check(client=client, took=v["took_medication"])  # before anything is written
        result = services.checkin_record(
            actor=request.user,
            client=client,
            mood=v["mood"],
            craving=v["craving"],
            used=v["used"],
            amount=v.get("amount"),
            connected=v["connected"],
            note=v["note"],
            need_support=v["need_support"],
            local_date=v.get("date"),
        )
        if "took_medication" in v:
            medication_answer_record(client=client, local_date=result.checkin.local_date, took=v["took_medication"])
        body = checkin_result_body(result)
        body["support"] = checkin_support(client=client, checkin=result.checkin)
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        parameters=[
            OpenApiParameter("client", int, description="A client's user id (default: yourself)"),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={200: CheckInSerializer(many=True)},
        summary="Check-ins, newest first: the member's own; the care team's as the member shared them",
        description=(
            "Viewers with `checkin_detail` (the member, treating clinicians, those granted it) get mood, craving, use "
            "and notes; with only `checkin_summary` each item is `{date, checked_in}`. The page carries `streak`."
        ),
    )
    def get(self, request: Request) -> Response:
        q = validated(CheckInQuerySerializer, request.query_params)
        view = selectors.checkin_view_for(viewer=request.user, client_id=q.get("client"))
        qs = selectors.checkins_for_client(client=view.client, date_from=q.get("date_from"), date_to=q.get("date_to"))
        page = self.paginate_queryset(qs)
        serializer_class = CheckInSerializer if view.can(CHECKIN_DETAIL) else CheckInSummarySerializer
        response = self.get_paginated_response(serializer_class(page, many=True).data)
        response.data["streak"] = selectors.progress_for_client(client=view.client).streak
        return response


# --- assessments -----------------------------------------------------------------------------


class AssessmentListApi(GenericAPIView):
    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method == "POST":
            return [MembersFillInQuestionnaires()]
        return super().get_permissions()

    @extend_schema(
        request=AssessmentCreateSerializer,
        responses={201: AssessmentResultSerializer, 400: OpenApiTypes.OBJECT},
        summary="Fill in a questionnaire: scored at once → {score, band, flags}",
        description=(
            "BARC-10: 10 answers 1-6. PHQ-9: 9 answers 0-3 (item 9 above 0 shows crisis resources and alerts the care "
            "team). GAD-7: 7 answers 0-3. BAM: 17 answers 0-4 (subscores use, risk, protective)."
        ),
    )
    def post(self, request: Request) -> Response:
        v = validated(AssessmentCreateSerializer, request.data)
        result = services.assessment_record(
            actor=request.user, client=request.user, instrument=v["instrument"], answers=v["answers"]
        )
        body = dict(AssessmentSerializer(result.assessment).data)
        if result.crisis:
            body["crisis_resources"] = result.crisis_resources
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("client", int, description="A client's user id (default: yourself)"),
            OpenApiParameter("instrument", str, enum=Instrument.values),
        ],
        responses={200: AssessmentSerializer(many=True)},
        summary="Questionnaire results: the member's own; the care team's with the `assessments` consent",
    )
    def get(self, request: Request) -> Response:
        q = validated(AssessmentQuerySerializer, request.query_params)
        view = selectors.assessments_view_for(viewer=request.user, client_id=q.get("client"))
        qs = selectors.assessments_for_client(client=view.client, instrument=q.get("instrument"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)


class AssessmentsDueApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        responses={200: AssessmentDueSerializer(many=True)},
        summary="Questionnaires suggested now: BARC-10 monthly, PHQ-9 and GAD-7 every two weeks",
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.assessments_due(client=request.user))


# --- risk flags ------------------------------------------------------------------------------


class RiskFlagListApi(GenericAPIView):
    queryset = RiskFlag.objects.none()
    serializer_class = RiskFlagSerializer
    permission_classes = [has_role(Role.CLINICIAN, Role.STAFF, Role.MENTOR, Role.FAMILY)]

    @extend_schema(
        parameters=[OpenApiParameter("client", int), OpenApiParameter("open", bool)],
        responses={200: RiskFlagSerializer(many=True)},
        summary="Risk flags of one client, or of everyone I may see flags for",
        description="Clinicians on the care team and staff see flags; mentors and family only with `checkin_detail`.",
    )
    def get(self, request: Request) -> Response:
        q = validated(RiskFlagQuerySerializer, request.query_params)
        client_id = q.get("client")
        if client_id is not None:
            view = selectors.risk_flags_view_for(viewer=request.user, client_id=client_id)
            qs = selectors.risk_flags_for_client(client=view.client, open_only=q["open"])
        else:
            qs = selectors.risk_flags_for_viewer(viewer=request.user, open_only=q["open"])
        page = self.paginate_queryset(qs) or []
        shown = {f.client_id: f.client for f in page}
        if client_id is None:
            # Every member whose flags are on this page has had a record read.
            access_log_record_many(viewer=request.user, clients=list(shown.values()), resource=RISK_FLAGS)
        detail = selectors.risk_flag_detail_ids(viewer=request.user, clients=list(shown.values()))
        return self.get_paginated_response(RiskFlagSerializer(page, many=True, context={"detail_ids": detail}).data)


class RiskFlagResolveApi(APIView):
    @extend_schema(
        request=RiskFlagResolveSerializer,
        responses={200: RiskFlagSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Resolve a risk flag with a note on what was done (the member's clinicians)",
    )
    def post(self, request: Request, flag_id: int) -> Response:
        flag, _ = selectors.risk_flag_get_for_viewer(viewer=request.user, flag_id=flag_id)
        v = validated(RiskFlagResolveSerializer, request.data)
        flag = services.risk_flag_resolve(actor=request.user, flag=flag, note=v["note"])
        detail = selectors.risk_flag_detail_ids(viewer=request.user, clients=[flag.client])
        return Response(RiskFlagSerializer(flag, context={"detail_ids": detail}).data)
