"""Request and response serializers of the plans API (API.md "The member's own plan")."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.json_types import StrictJsonTypes

from .models import Domain, Goal, GoalStatus, Milestone, Step
from .services import milestone_title

MAX_ID = 2**63 - 1


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "display_name": user.display_name, "role": user.role}


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = Step
        fields = ["id", "title", "due", "done_at"]
        read_only_fields = fields


class GoalSerializer(serializers.ModelSerializer):
    steps = StepSerializer(many=True, read_only=True)
    owner = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = ["id", "title", "domain", "why", "due", "status", "done_at", "owner", "steps"]
        read_only_fields = fields

    def get_owner(self, obj: Goal) -> dict[str, Any] | None:
        return _person(obj.owner)


class PlanPersonSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    user = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class BackupPlanSerializer(StrictJsonTypes, serializers.Serializer):
    warning_signs = serializers.ListField(child=serializers.CharField(max_length=300), max_length=20, required=False)
    coping_steps = serializers.ListField(child=serializers.CharField(max_length=300), max_length=20, required=False)
    people = PlanPersonSerializer(many=True, required=False)


class PlanSerializer(serializers.Serializer):
    client = serializers.DictField()
    goals = GoalSerializer(many=True)
    backup_plan = BackupPlanSerializer()
    updated_at = serializers.DateTimeField(allow_null=True)
    barc10 = serializers.ListField(child=serializers.DictField(), required=False, help_text="BARC-10 totals, oldest first")
    suggested_domains = serializers.ListField(child=serializers.CharField(), required=False)
    milestones = serializers.ListField(child=serializers.DictField(), required=False)
    curriculum = serializers.DictField(required=False, help_text="Her progress in the program's curriculum")


class GoalCreateSerializer(StrictJsonTypes, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    domain = serializers.ChoiceField(
        choices=Domain.choices, error_messages={"invalid_choice": "Choose social, physical, human or cultural."}
    )
    why = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    due = serializers.DateField(required=False, allow_null=True)
    owner = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class GoalUpdateSerializer(StrictJsonTypes, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)
    due = serializers.DateField(required=False, allow_null=True)
    owner = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)


class StepCreateSerializer(StrictJsonTypes, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    due = serializers.DateField(required=False, allow_null=True)


class StepDoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    done_at = serializers.DateTimeField()


class MilestoneSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = ["kind", "title", "reached_on"]
        read_only_fields = fields

    def get_title(self, obj: Milestone) -> str:
        return milestone_title(obj.kind)
