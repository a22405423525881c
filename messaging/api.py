"""Messaging API (API.md "Conversations"). Views are thin: parse, one selector or service,
serialize. Who takes part in a conversation is the selectors' rule; who may write, the services'."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from common.api import InProgram, has_role, validated
from members.choices import Role

from . import selectors, services
from .models import Conversation, Report
from .serializers import (
    ConversationOpenSerializer,
    ConversationSerializer,
    MessageCreatedSerializer,
    MessageCreateSerializer,
    MessagePageSerializer,
    MessagesQuerySerializer,
    ModerationReportSerializer,
    ReadSerializer,
    ReportCreateSerializer,
    ReportSerializer,
    ResolveSerializer,
)

IsStaff = has_role(Role.STAFF)
ERRORS = {400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


class ConversationListApi(GenericAPIView):
    permission_classes = [InProgram]
    serializer_class = ConversationSerializer
    queryset = Conversation.objects.none()

    @extend_schema(responses=ConversationSerializer(many=True), summary="My conversations, latest activity first")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.conversation_list(viewer=request.user))
        infos = selectors.conversation_infos(viewer=request.user, conversations=page or [])
        return self.get_paginated_response(ConversationSerializer(infos, many=True).data)

    @extend_schema(
        request=ConversationOpenSerializer,
        responses={200: ConversationSerializer, 201: ConversationSerializer, **ERRORS},
        summary="Open (or find) the direct conversation with someone on the member's care team",
    )
    def post(self, request: Request) -> Response:
        data = validated(ConversationOpenSerializer, request.data)
        conv, created = services.conversation_direct_open(actor=request.user, with_id=data["with"])
        info = selectors.conversation_infos(viewer=request.user, conversations=[conv])[0]
        return Response(ConversationSerializer(info).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class MessageListApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(
        parameters=[OpenApiParameter("before", int, description="a message id: the page of messages older than it")],
        responses={200: MessagePageSerializer, **ERRORS},
        summary="A conversation's messages, newest first (participants)",
    )
    def get(self, request: Request, conversation_id: int) -> Response:
        conv = selectors.conversation_get_for_viewer(viewer=request.user, conversation_id=conversation_id)
        query = validated(MessagesQuerySerializer, request.query_params)
        rows, more = selectors.messages_page(conversation=conv, before=query.get("before"))
        info = selectors.conversation_info(conversation=conv, viewer=request.user)
        marks = selectors.read_marks(conversation=conv, participant_ids=info.participant_ids)
        results = [services.message_payload(m, read_by=selectors.read_by(m, marks)) for m in rows]
        nxt = None
        if more and rows:
            nxt = request.build_absolute_uri(reverse("api-conversation-messages", args=[conv.pk]) + f"?before={rows[-1].pk}")
        return Response({"results": results, "next": nxt})

    @extend_schema(
        request=MessageCreateSerializer,
        responses={
            201: MessageCreatedSerializer,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
            **ERRORS,
        },
        summary="Send a message (409 closed, 429 past 30 a minute)",
    )
    def post(self, request: Request, conversation_id: int) -> Response:
        conv = selectors.conversation_get_for_viewer(viewer=request.user, conversation_id=conversation_id)
        data = validated(MessageCreateSerializer, request.data)
        result = services.message_send(sender=request.user, conversation=conv, body=data["body"])
        body: dict[str, Any] = services.message_payload(result.message, read_by=result.read_by)
        if result.crisis_resources:
            body["crisis_resources"] = result.crisis_resources
        return Response(body, status=status.HTTP_201_CREATED)


class ConversationReadApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=None, responses={200: ReadSerializer, **ERRORS}, summary="I have read this conversation")
    def post(self, request: Request, conversation_id: int) -> Response:
        conv = selectors.conversation_get_for_viewer(viewer=request.user, conversation_id=conversation_id)
        newest = services.conversation_mark_read(user=request.user, conversation=conv)
        return Response({"id": conv.pk, "unread_count": 0, "last_read_id": newest})


class ReportThrottle(UserRateThrottle):
    rate = "30/hour"


class MessageReportApi(APIView):
    permission_classes = [InProgram]
    throttle_classes = [ReportThrottle]

    @extend_schema(
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, 409: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT, **ERRORS},
        summary="Report a message to program staff",
    )
    def post(self, request: Request, message_id: int) -> Response:
        message = selectors.message_get_for_viewer(viewer=request.user, message_id=message_id)
        data = validated(ReportCreateSerializer, request.data)
        report = services.message_report(reporter=request.user, message=message, reason=data["reason"])
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ModerationReportListApi(GenericAPIView):
    permission_classes = [IsStaff]
    serializer_class = ModerationReportSerializer
    queryset = Report.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=["open", "dismissed", "warned", "suspended", "all"])],
        responses=ModerationReportSerializer(many=True),
        summary="Staff: reported messages (each read is access-logged for the member)",
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status", "open")
        wanted = None if wanted == "all" else wanted
        if wanted not in (None, "open", "dismissed", "warned", "suspended"):
            return Response({"status": [_("Choose open, dismissed, warned, suspended or all.")]}, status=400)
        page = self.paginate_queryset(selectors.reports_for_staff(viewer=request.user, status=wanted))
        services.reports_read_log(staff=request.user, reports=page or [])
        return self.get_paginated_response(ModerationReportSerializer(page, many=True).data)


class ModerationReportResolveApi(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        request=ResolveSerializer,
        responses={200: ModerationReportSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        summary="Staff: dismiss, warn the sender, or suspend the sender's messages",
    )
    def post(self, request: Request, report_id: int) -> Response:
        report = selectors.report_get_for_staff(viewer=request.user, report_id=report_id)
        data = validated(ResolveSerializer, request.data)
        report = services.report_resolve(staff=request.user, report=report, action=data["action"], note=data["note"])
        return Response(ModerationReportSerializer(report).data)
