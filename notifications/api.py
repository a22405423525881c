"""Thin API views: parse with notifications.serializers, read through selectors, write through
services (the same ones the pages use)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role
from members.choices import Role

from . import selectors, services
from .models import Notification
from .serializers import (
    InboxQuerySerializer,
    MarkedAllReadSerializer,
    NotificationSerializer,
    OutboxQuerySerializer,
    OutboxSerializer,
    RemindersSerializer,
)


class NotificationListApi(GenericAPIView):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool)],
        responses=NotificationSerializer(many=True),
        summary="My in-app inbox, newest first",
    )
    def get(self, request: Request) -> Response:
        query = InboxQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        qs = selectors.inbox_for(user=request.user, unread_only=query.validated_data["unread"])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark one notification read")
    def post(self, request: Request, notification_id: int) -> Response:
        notification = selectors.notification_get_for_user(user=request.user, notification_id=notification_id)
        notification = services.notification_mark_read(user=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses={200: MarkedAllReadSerializer}, summary="Mark my whole inbox read")
    def post(self, request: Request) -> Response:
        return Response({"marked": services.notifications_mark_all_read(user=request.user)}, status=status.HTTP_200_OK)


class RemindersApi(APIView):
    @extend_schema(responses=RemindersSerializer, summary="My reminder and notification settings")
    def get(self, request: Request) -> Response:
        return Response(RemindersSerializer(services.preference_get(user=request.user)).data)

    @extend_schema(
        request=RemindersSerializer, responses=RemindersSerializer, summary="Change my reminder and notification settings"
    )
    def put(self, request: Request) -> Response:
        pref = services.preference_get(user=request.user)
        serializer = RemindersSerializer(pref, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        pref = services.preference_update(user=request.user, actor=request.user, data=dict(serializer.validated_data))
        return Response(RemindersSerializer(pref).data)


class OutboxApi(APIView):
    """Program staff watch their organization's outbox (API.md: 403 for anyone else)."""

    permission_classes = [has_role(Role.STAFF)]

    @extend_schema(
        parameters=[OpenApiParameter("days", int, description="Days of daily counts, 1 to 90 (default 14)")],
        responses={200: OutboxSerializer, 400: OpenApiTypes.OBJECT},
        summary="The organization's outbox (staff): counts by status, per day by kind and channel, the oldest pending, failures",
    )
    def get(self, request: Request) -> Response:
        query = OutboxQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        overview = selectors.outbox_overview(organization=request.user.organization, days=query.validated_data["days"])
        return Response(OutboxSerializer(overview).data)
