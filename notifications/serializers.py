"""Request and response shapes of the notifications API (API.md "reminders, notifications").
Format only: the rules about what a person may choose (a text needs a phone, quiet hours need both
ends) are preference_update's, so the API and the settings page give the same answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.json_types import StrictJsonTypes

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


class MarkedAllReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


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


# --- operations: GET /api/v1/ops/outbox/ (response shapes, for the schema) -----------------


class OutboxDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    status = serializers.CharField()
    count = serializers.IntegerField()


class OutboxPendingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    scheduled_for = serializers.DateTimeField()
    created_at = serializers.DateTimeField()
    attempts = serializers.IntegerField()
    waiting_seconds = serializers.IntegerField()


class OutboxPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class OutboxFailedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    channel = serializers.CharField()
    attempts = serializers.IntegerField()
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    recipient = OutboxPersonSerializer()


class OutboxStatusCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    sending = serializers.IntegerField()
    sent = serializers.IntegerField()
    failed = serializers.IntegerField()
    skipped = serializers.IntegerField()


class OutboxSerializer(serializers.Serializer):
    by_status = OutboxStatusCountsSerializer()
    per_day = OutboxDaySerializer(many=True)
    oldest_pending = OutboxPendingSerializer(allow_null=True)
    failed = OutboxFailedSerializer(many=True)
    days = serializers.IntegerField()


class OutboxQuerySerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=90, default=14)
