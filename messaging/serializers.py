"""Request and response serializers of the messaging API (API.md "Conversations")."""

from __future__ import annotations

from rest_framework import serializers

from common.json_types import StrictJsonTypes

from .models import BODY_MAX, Kind


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    role = serializers.CharField()


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="conversation.pk")
    kind = serializers.ChoiceField(choices=Kind.choices, source="conversation.kind")
    participants = ParticipantSerializer(many=True)
    last_message_at = serializers.DateTimeField(source="conversation.last_message_at", allow_null=True)
    unread_count = serializers.IntegerField(min_value=0)
    closed = serializers.BooleanField()


class ConversationOpenSerializer(StrictJsonTypes, serializers.Serializer):
    with_ = serializers.IntegerField(help_text="The other person's user id")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["with"] = fields.pop("with_")  # `with` is a Python keyword
        return fields


class SenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = SenderSerializer(allow_null=True, help_text="null: a former member whose account was erased")
    body = serializers.CharField()
    sent_at = serializers.DateTimeField()
    read_by = serializers.ListField(child=serializers.IntegerField())


class MessageCreatedSerializer(MessageSerializer):
    crisis_resources = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False)


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True)
    next = serializers.CharField(allow_null=True)


class MessagesQuerySerializer(StrictJsonTypes, serializers.Serializer):
    before = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)


class MessageCreateSerializer(StrictJsonTypes, serializers.Serializer):
    body = serializers.CharField(max_length=BODY_MAX, trim_whitespace=True)


class ReadSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unread_count = serializers.IntegerField()
    last_read_id = serializers.IntegerField()


class ReportCreateSerializer(StrictJsonTypes, serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.IntegerField(source="message_id")
    reason = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class ModerationReportSerializer(ReportSerializer):
    conversation = serializers.IntegerField(source="message.conversation_id")
    sender = SenderSerializer(source="message.sender", allow_null=True)
    reporter = SenderSerializer(allow_null=True)
    body = serializers.CharField(source="message.body")
    sent_at = serializers.DateTimeField(source="message.sent_at")
    resolved_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField()


class ResolveSerializer(StrictJsonTypes, serializers.Serializer):
    action = serializers.ChoiceField(choices=[("dismiss", "dismiss"), ("warn", "warn"), ("suspend_sender", "suspend_sender")])
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
