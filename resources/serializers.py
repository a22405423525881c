"""Request and response serializers of the resources API (API.md "Community resources,
referrals and the program's curriculum"). The rules (URLs, phones, who may) are the services'."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.json_types import StrictJsonTypes

from .markdown import markdown_render_safe
from .models import Category, FollowUp, Module, Outcome, Referral, Resource

MAX_ID = 2**63 - 1


class ResourceQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    language = serializers.RegexField(r"^[a-z]{2}$", required=False, error_messages={"invalid": "A two-letter code, like es."})
    q = serializers.CharField(required=False, max_length=100, allow_blank=True)


class ResourceSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="https://… or empty")
    languages = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "name", "category", "description", "phone", "url", "address", "languages", "hours", "public", "active"]
        read_only_fields = fields


class ResourceWriteSerializer(StrictJsonTypes, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text="https://…")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=8), max_length=20, required=False)
    hours = serializers.CharField(max_length=200, required=False, allow_blank=True)
    public = serializers.BooleanField(required=False, help_text="Listed on the program's public page")
    active = serializers.BooleanField(required=False)


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "due_on", "outcome", "note", "recorded_at"]
        read_only_fields = fields


class ReferralSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    resource = serializers.SerializerMethodField()
    referrer = serializers.SerializerMethodField()
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "client", "resource", "referrer", "note", "status", "created_at", "follow_ups"]
        read_only_fields = fields

    def get_client(self, obj: Referral) -> dict[str, Any]:
        return {"id": obj.client_id, "display_name": obj.client.display_name}

    def get_resource(self, obj: Referral) -> dict[str, Any]:
        return {"id": obj.resource_id, "name": obj.resource.name, "category": obj.resource.category}

    def get_referrer(self, obj: Referral) -> dict[str, Any] | None:
        if obj.referrer is None:
            return None
        return {"id": obj.referrer_id, "display_name": obj.referrer.display_name, "role": obj.referrer.role}


class ReferralCreateSerializer(StrictJsonTypes, serializers.Serializer):
    client = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    resource = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralQuerySerializer(serializers.Serializer):
    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class FollowUpCreateSerializer(StrictJsonTypes, serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ModuleSerializer(serializers.ModelSerializer):
    body_html = serializers.SerializerMethodField(help_text="The body rendered safely (no scripts, no javascript: links)")

    class Meta:
        model = Module
        fields = ["id", "week", "title", "summary", "body", "body_html", "activities"]
        read_only_fields = fields

    def get_body_html(self, obj: Module) -> str:
        return str(markdown_render_safe(obj.body))


class ModuleWriteSerializer(StrictJsonTypes, serializers.Serializer):
    week = serializers.IntegerField(min_value=1, max_value=52)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True)
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True, help_text="Markdown")
    activities = serializers.ListField(child=serializers.CharField(max_length=500), max_length=20, required=False)


class CurriculumPlaceSerializer(serializers.Serializer):
    week = serializers.IntegerField(help_text="Her week in the program, by weeks since joining")
    this_week = ModuleSerializer(allow_null=True)
    done = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the modules she finished")
    modules = serializers.IntegerField(help_text="How many modules the program has")


class ModuleDoneSerializer(serializers.Serializer):
    module = serializers.IntegerField()
    done_at = serializers.DateTimeField()
