"""Groups API (API.md "Groups"). Thin views: parse, call one selector or service, serialize."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import paginate, validated
from common.errors import Invalid
from members.models import User

from . import selectors, services
from .meeting_types import meeting_types_ensure
from .models import MeetingType, RecoveryGroup, Session
from .serializers import (
    AttendanceEntrySerializer,
    AttendanceOutSerializer,
    AttendanceSheetRowSerializer,
    CalendarUrlSerializer,
    EnrollmentResultSerializer,
    GroupQuerySerializer,
    GroupSerializer,
    GroupWriteSerializer,
    MeetingTypeSerializer,
    MemberRefSerializer,
    RosterRowSerializer,
    SessionCancelSerializer,
    SessionMoveSerializer,
    SessionSerializer,
)

MAX_RANGE = timedelta(days=400)


def _directory_item(viewer: User, group_id: int) -> RecoveryGroup:
    return selectors.group_directory(viewer=viewer).get(pk=group_id)


def _parse_bound(value: str, *, field: str, zone: str, end: bool) -> datetime:
    """A date (local day in the group's zone; `to` is inclusive of that day) or an ISO datetime."""
    try:
        if len(value) == 10:
            day = datetime.fromisoformat(value).date()
            if end:
                day += timedelta(days=1)
            return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(zone))
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid("Use YYYY-MM-DD or an ISO 8601 date-time with offset.", field=field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=ZoneInfo(zone))
    return parsed


def session_range(params: Any, *, zone: str) -> tuple[datetime, datetime]:
    now = timezone.now()
    start = _parse_bound(params["from"], field="from", zone=zone, end=False) if params.get("from") else now
    end = _parse_bound(params["to"], field="to", zone=zone, end=True) if params.get("to") else start + timedelta(days=90)
    if end <= start:
        raise Invalid("`to` must be after `from`.", field="to")
    if end - start > MAX_RANGE:
        raise Invalid("Ask for at most 400 days at a time.", field="to")
    return start, end


def _target_member(request: Request, group: RecoveryGroup) -> User:
    """Who an enroll/leave is about: the caller, unless `{member}` names someone else."""
    member_id = validated(MemberRefSerializer, request.data).get("member")
    if member_id is None or member_id == request.user.pk:
        return request.user
    return services.enrollment_member_for(actor=request.user, group=group, member_id=member_id)


class GroupListApi(GenericAPIView):
    serializer_class = GroupSerializer
    queryset = RecoveryGroup.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=[k for k, _ in GroupQuerySerializer().fields["kind"].choices.items()]),
            OpenApiParameter("attendance_mode", str, enum=["in_person", "online", "hybrid"]),
            OpenApiParameter("day", int, description="0 = Sunday … 6 = Saturday"),
        ],
        responses=GroupSerializer(many=True),
        summary="Groups visible to me (page-number pagination)",
    )
    def get(self, request: Request) -> Response:
        query = validated(GroupQuerySerializer, request.query_params)
        groups = selectors.group_directory(viewer=request.user, **query)
        return paginate(self, groups, GroupSerializer)

    @extend_schema(
        request=GroupWriteSerializer,
        responses={201: GroupSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        summary="Create a group (clinicians, staff); sessions are materialized 90 days ahead",
    )
    def post(self, request: Request) -> Response:
        selectors.group_manage_require(user=request.user)  # a member gets 403, not field errors
        data = validated(GroupWriteSerializer, request.data)
        group = services.group_create(actor=request.user, data=data)
        return Response(GroupSerializer(_directory_item(request.user, group.pk)).data, status=status.HTTP_201_CREATED)


class GroupDetailApi(APIView):
    @extend_schema(responses=GroupSerializer, summary="One group")
    def get(self, request: Request, group_id: int) -> Response:
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        return Response(GroupSerializer(_directory_item(request.user, group.pk)).data)

    @extend_schema(
        request=GroupWriteSerializer,
        responses={200: GroupSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        summary="Change a group (clinicians, staff); a schedule change regenerates future sessions only",
    )
    def patch(self, request: Request, group_id: int) -> Response:
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        selectors.group_change_require(user=request.user, group=group)  # a member gets 403, not field errors
        data = validated(GroupWriteSerializer, request.data, partial=True)
        services.group_update(actor=request.user, group=group, data=data)
        return Response(GroupSerializer(_directory_item(request.user, group.pk)).data)


class GroupSessionsApi(GenericAPIView):
    serializer_class = SessionSerializer
    queryset = Session.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("from", str, description="YYYY-MM-DD or ISO date-time; default now"),
            OpenApiParameter("to", str, description="YYYY-MM-DD (inclusive) or ISO date-time; default from + 90 days"),
        ],
        responses=SessionSerializer(many=True),
        summary="A group's sessions in a range, times in the group's zone",
    )
    def get(self, request: Request, group_id: int) -> Response:
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        start, end = session_range(request.query_params, zone=group.timezone)
        sessions = selectors.group_sessions(group=group, start=start, end=end)
        page = self.paginate_queryset(sessions)
        return self.get_paginated_response(SessionSerializer(page, many=True, context={"zone": group.timezone}).data)


class GroupEnrollApi(APIView):
    @extend_schema(
        request=MemberRefSerializer,
        responses={201: EnrollmentResultSerializer, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Join a group (or its waitlist when full); clinicians/staff may enroll `{member}`",
    )
    def post(self, request: Request, group_id: int) -> Response:
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        member = _target_member(request, group)
        result = services.enrollment_join(actor=request.user, group=group, member=member)
        body: dict[str, Any] = {"status": result.enrollment.status, "group": group.pk, "member": member.pk}
        if result.position is not None:
            body["position"] = result.position
        return Response(body, status=status.HTTP_201_CREATED)


class GroupLeaveApi(APIView):
    @extend_schema(
        request=MemberRefSerializer,
        responses={200: EnrollmentResultSerializer, 404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Leave a group (clinicians/staff may remove `{member}`); the head of the waitlist is enrolled",
    )
    def post(self, request: Request, group_id: int) -> Response:
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        member = _target_member(request, group)
        services.enrollment_leave(actor=request.user, group=group, member=member)
        return Response({"status": "left", "group": group.pk, "member": member.pk})


class GroupRosterApi(GenericAPIView):
    serializer_class = RosterRowSerializer
    queryset = RecoveryGroup.objects.none()

    @extend_schema(
        responses=RosterRowSerializer(many=True),
        summary="Enrolled members, then the waitlist in order (facilitators, clinicians, staff)",
    )
    def get(self, request: Request, group_id: int) -> Response:
        group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
        rows = selectors.group_roster(viewer=request.user, group=group)
        return paginate(self, rows, RosterRowSerializer)


class SessionAttendanceApi(APIView):
    @extend_schema(
        responses=AttendanceSheetRowSerializer(many=True),
        summary="What is recorded for a session (facilitators, clinicians); status null where the member does not share it",
    )
    def get(self, request: Request, session_id: int) -> Response:
        session = selectors.session_get_for_viewer(viewer=request.user, session_id=session_id)
        sheet = selectors.session_attendance_sheet(viewer=request.user, session=session)
        return Response(AttendanceSheetRowSerializer(sheet, many=True).data)

    @extend_schema(
        request=AttendanceEntrySerializer(many=True),
        responses={200: AttendanceOutSerializer(many=True), 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        summary="Record a session's attendance in one request (idempotent upsert)",
        description="Excused may be recorded ahead of time; present/late/absent once the session has started. "
        "`not_recorded` clears a row.",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = selectors.session_get_for_viewer(viewer=request.user, session_id=session_id)
        selectors.attendance_take_require(user=request.user, group=session.group)  # 403 before a 400
        if not isinstance(request.data, list):
            raise Invalid("Send a list of {member, status, note?}.")
        serializer = AttendanceEntrySerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        services.attendance_record(actor=request.user, session=session, entries=list(serializer.validated_data))
        marks = selectors.session_attendance_marks(viewer=request.user, session=session)
        return Response(AttendanceOutSerializer(marks, many=True).data)


class SessionCancelApi(APIView):
    @extend_schema(
        request=SessionCancelSerializer,
        responses={200: SessionSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Cancel one session; enrolled members are notified",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = selectors.session_get_for_viewer(viewer=request.user, session_id=session_id)
        data = validated(SessionCancelSerializer, request.data)
        session = services.session_cancel(actor=request.user, session=session, reason=data.get("reason", ""))
        return Response(SessionSerializer(session).data)


class SessionMoveApi(APIView):
    @extend_schema(
        request=SessionMoveSerializer,
        responses={200: SessionSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Move one session; it keeps its original start (iCal RECURRENCE-ID)",
    )
    def post(self, request: Request, session_id: int) -> Response:
        session = selectors.session_get_for_viewer(viewer=request.user, session_id=session_id)
        data = validated(SessionMoveSerializer, request.data)
        session = services.session_move(
            actor=request.user, session=session, starts_at=data["starts_at"], ends_at=data.get("ends_at")
        )
        return Response(SessionSerializer(session).data)


def calendar_url(request: Request, token: str) -> str:
    return request.build_absolute_uri(reverse("groups-calendar-ics", args=[token]))


class MyCalendarApi(APIView):
    @extend_schema(responses=CalendarUrlSerializer, summary="My secret iCal feed URL")
    def get(self, request: Request) -> Response:
        feed = services.calendar_feed_get_or_create(user=request.user)
        return Response({"url": calendar_url(request, feed.token)})

    @extend_schema(request=None, responses=CalendarUrlSerializer, summary="Rotate my iCal feed URL (the old one stops working)")
    def post(self, request: Request) -> Response:
        feed = services.calendar_feed_rotate(user=request.user)
        return Response({"url": calendar_url(request, feed.token)})


class MeetingTypeListApi(APIView):
    @extend_schema(responses=MeetingTypeSerializer(many=True), summary="Meeting Guide type codes groups can carry")
    def get(self, request: Request) -> Response:
        meeting_types_ensure()
        return Response(MeetingTypeSerializer(MeetingType.objects.order_by("name"), many=True).data)
