"""The member's plan, milestones and support over HTTP: thin views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import InProgram, has_role, validated
from members.access import clients_visible_to
from members.choices import Role

from . import selectors, services
from .serializers import (
    BackupPlanSerializer,
    GoalCreateSerializer,
    GoalSerializer,
    GoalUpdateSerializer,
    MilestoneSerializer,
    PlanSerializer,
    StepCreateSerializer,
    StepDoneSerializer,
    StepSerializer,
)

ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


class PlanApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(
        responses={200: PlanSerializer, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        summary="A member's plan: the member; her clinicians; her mentor and family with the `plan` scope",
    )
    def get(self, request: Request, client_id: int) -> Response:
        view = selectors.plan_view_for(viewer=request.user, client_id=client_id)
        return Response(selectors.plan_document(view=view))


class PlanBackupApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=BackupPlanSerializer, responses={200: PlanSerializer, **ERRORS}, summary="Write the backup plan")
    def put(self, request: Request, client_id: int) -> Response:
        selectors.plan_view_for(viewer=request.user, client_id=client_id, write=True, log=False)  # 403/404 before 400
        data = validated(BackupPlanSerializer, request.data)
        services.plan_backup_update(actor=request.user, client_id=client_id, data=data)
        view = selectors.plan_view_for(viewer=request.user, client_id=client_id, log=False)
        return Response(selectors.plan_document(view=view))


class PlanGoalsApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=GoalCreateSerializer, responses={201: GoalSerializer, **ERRORS}, summary="Add a goal to her plan")
    def post(self, request: Request, client_id: int) -> Response:
        selectors.plan_view_for(viewer=request.user, client_id=client_id, write=True, log=False)
        data = validated(GoalCreateSerializer, request.data)
        goal = services.goal_create(actor=request.user, client_id=client_id, data=data)
        return Response(
            GoalSerializer(selectors.goals_for_client(client=goal.client).get(pk=goal.pk)).data, status=status.HTTP_201_CREATED
        )


class PlanGoalApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=GoalUpdateSerializer, responses={200: GoalSerializer, **ERRORS}, summary="Change a goal")
    def patch(self, request: Request, goal_id: int) -> Response:
        services.goal_get_for_writer(actor=request.user, goal_id=goal_id)
        data = validated(GoalUpdateSerializer, request.data)
        goal = services.goal_update(actor=request.user, goal_id=goal_id, data=data)
        return Response(GoalSerializer(selectors.goals_for_client(client=goal.client).get(pk=goal.pk)).data)


class PlanGoalStepsApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=StepCreateSerializer, responses={201: StepSerializer, **ERRORS}, summary="Add a step to a goal")
    def post(self, request: Request, goal_id: int) -> Response:
        services.goal_get_for_writer(actor=request.user, goal_id=goal_id)
        data = validated(StepCreateSerializer, request.data)
        step = services.step_create(actor=request.user, goal_id=goal_id, data=data)
        return Response(StepSerializer(step).data, status=status.HTTP_201_CREATED)


class PlanStepDoneApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=None, responses={200: StepDoneSerializer, **ERRORS}, summary="Mark a step done")
    def post(self, request: Request, step_id: int) -> Response:
        step = services.step_done(actor=request.user, step_id=step_id)
        return Response({"id": step.pk, "done_at": step.done_at})


class MyMilestonesApi(APIView):
    permission_classes = [has_role(Role.CLIENT, Role.FAMILY)]

    @extend_schema(
        responses=MilestoneSerializer(many=True),
        summary="Milestones: the member's own; a family member's, of those who share their plan with her",
        description="Never a count of sober days unless the member turned that on in her profile.",
    )
    def get(self, request: Request) -> Response:
        if request.user.role == Role.CLIENT:
            return Response(selectors.milestones_document(client=request.user))
        clients = list(clients_visible_to(viewer=request.user).select_related("client_profile"))
        out: list[dict[str, Any]] = []
        for client_id, rows in selectors.milestones_for_family(viewer=request.user, clients=clients).items():
            names = {c.pk: c.display_name for c in clients}
            out += [{**MilestoneSerializer(m).data, "client": {"id": client_id, "display_name": names[client_id]}} for m in rows]
        return Response(out)
