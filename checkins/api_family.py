"""Family members' own check-ins and testing results over HTTP (API.md "Family members' own
recovery", "Testing results"). Thin: parse, one selector or service, serialize."""

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
from members.choices import Role

from . import selectors_family as selectors
from . import services
from .models import FamilyCheckIn, TestResult
from .serializers_family import (
    FamilyCheckInCreateSerializer,
    FamilyCheckInResultSerializer,
    FamilyCheckInSerializer,
    TestingScheduleOutSerializer,
    TestingScheduleSerializer,
    TestResultCreatedSerializer,
    TestResultCreateSerializer,
    TestResultQuerySerializer,
    TestResultSerializer,
    test_result_body,
)

IsFamily = has_role(Role.FAMILY)
IsClient = has_role(Role.CLIENT)
MayRecordTests = has_role(Role.CLIENT, Role.CLINICIAN, Role.STAFF)


class FamilyCheckInListApi(GenericAPIView):
    permission_classes = [IsFamily]
    queryset = FamilyCheckIn.objects.none()
    serializer_class = FamilyCheckInSerializer

    @extend_schema(
        request=FamilyCheckInCreateSerializer,
        responses={201: FamilyCheckInResultSerializer, 200: FamilyCheckInResultSerializer, 400: OpenApiTypes.OBJECT},
        summary="A family member's own check-in: 201 for the first of the local day, 200 when it updates it",
    )
    def post(self, request: Request) -> Response:
        v = validated(FamilyCheckInCreateSerializer, request.data)
        result = services.family_checkin_record(actor=request.user, **v)  # type: ignore[arg-type]
        body = dict(FamilyCheckInSerializer(result.checkin).data, streak=result.streak)
        return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(responses={200: FamilyCheckInSerializer(many=True)}, summary="My own family check-ins, newest first")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.family_checkins_for(member=request.user))  # type: ignore[arg-type]
        response = self.get_paginated_response(FamilyCheckInSerializer(page, many=True).data)
        response.data["streak"] = selectors.family_progress(member=request.user).streak  # type: ignore[arg-type]
        return response


class TestResultListApi(GenericAPIView):
    __test__ = False  # not a pytest test class

    queryset = TestResult.objects.none()
    serializer_class = TestResultSerializer

    def get_permissions(self) -> Sequence[Any]:
        if self.request.method == "POST":
            return [MayRecordTests()]
        return super().get_permissions()

    @extend_schema(
        request=TestResultCreateSerializer,
        responses={
            201: TestResultCreatedSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
        summary="Record a test result: the member's own, or a clinician's or staff's for a member ({client})",
        description=(
            "`within_goal` reads the result against the member's own goal (a moderation goal with a limit is not "
            "a failure on a positive breath test within it). After a positive result on an abstinence goal the "
            "member's answer carries `support`: people to reach and her check-in, never a lecture."
        ),
    )
    def post(self, request: Request) -> Response:
        v = validated(TestResultCreateSerializer, request.data)
        recorded = services.test_result_record(actor=request.user, client_id=v.pop("client", None), **v)  # type: ignore[arg-type]
        body = test_result_body(recorded.result, recorded.within_goal, recorded.support)
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("client", int, description="A member's user id (default: yourself)"),
            OpenApiParameter("from", OpenApiTypes.DATETIME),
            OpenApiParameter("to", OpenApiTypes.DATETIME),
        ],
        responses={200: TestResultSerializer(many=True)},
        summary="Test results, newest first, read against the member's own goal",
    )
    def get(self, request: Request) -> Response:
        q = validated(TestResultQuerySerializer, request.query_params)
        view = selectors.test_results_view_for(viewer=request.user, client_id=q.get("client"))  # type: ignore[arg-type]
        page = self.paginate_queryset(
            selectors.test_results_for_client(client=view.client, date_from=q.get("date_from"), date_to=q.get("date_to"))
        )
        goal, limit = selectors.goal_reading(client=view.client)
        rows = [
            test_result_body(item["result"], item["within_goal"])
            for item in selectors.results_with_goal(page or [], goal=goal, limit=limit)
        ]
        return self.get_paginated_response(rows)


class TestingScheduleApi(APIView):
    __test__ = False
    permission_classes = [IsClient]

    @extend_schema(responses={200: TestingScheduleOutSerializer}, summary="My testing schedule")
    def get(self, request: Request) -> Response:
        schedule = selectors.testing_schedule_for(client=request.user)  # type: ignore[arg-type]
        if schedule is None:
            return Response({"days": [], "time": None, "limit": None})
        return Response(TestingScheduleOutSerializer(schedule).data)

    @extend_schema(
        request=TestingScheduleSerializer,
        responses={200: TestingScheduleOutSerializer, 400: OpenApiTypes.OBJECT},
        summary="Set my testing days and local time: a reminder 15 minutes before, a missed_test flag 2 hours after",
    )
    def put(self, request: Request) -> Response:
        v = validated(TestingScheduleSerializer, request.data)
        schedule = services.testing_schedule_set(client=request.user, days=v["days"], at=v["time"], limit=v.get("limit"))  # type: ignore[arg-type]
        return Response(TestingScheduleOutSerializer(schedule).data)
