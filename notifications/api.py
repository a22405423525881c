from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.json_types import StrictJsonTypes

from . import selectors, services
from .models import Channel, Notification, NotificationPreference

HHMM: dict[str, Any] = {"format": "%H:%M", "input_formats": ["%H:%M"]}


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "priority", "created_at", "read"]
        read_only_fields = fields

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class InboxQuerySerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class RemindersSerializer(StrictJsonTypes, serializers.ModelSerializer):
    checkin_time = serializers.TimeField(allow_null=True, required=False, help_text="HH:MM local time", **HHMM)
    checkin_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        max_length=7,
        required=False,
        help_text="0 = Sunday … 6 = Saturday",
    )
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), max_length=3, required=False)
    quiet_start = serializers.TimeField(allow_null=True, required=False, **HHMM)
    quiet_end = serializers.TimeField(allow_null=True, required=False, **HHMM)
    group_reminders = serializers.BooleanField(required=False)

    class Meta:
        model = NotificationPreference
        fields = ["checkin_time", "checkin_days", "channels", "quiet_start", "quiet_end", "group_reminders"]


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
    @extend_schema(
        request=None,
        responses={200: inline_serializer("MarkedAllRead", fields={"marked": serializers.IntegerField()})},
        summary="Mark my whole inbox read",
    )
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
