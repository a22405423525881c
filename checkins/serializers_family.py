"""Request and response serializers of family check-ins and testing results (API.md "Family
members' own recovery", "Testing results"). They parse and shape; the rules are the services'."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from common.json_types import StrictJsonTypes

from .models import FamilyCheckIn, TestKind, TestOutcome
from .serializers import SupportItemSerializer
from .services import NOTE_MAX

MAX_ID = 2**63 - 1


class FamilyCheckInCreateSerializer(StrictJsonTypes, serializers.Serializer):
    mood = serializers.IntegerField(min_value=1, max_value=5, help_text="1 very low … 5 very good")
    stress = serializers.IntegerField(min_value=0, max_value=10, help_text="0 none … 10 the most")
    took_time_for_myself = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX)


class FamilyCheckInSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="local_date")

    class Meta:
        model = FamilyCheckIn
        fields = ["id", "date", "mood", "stress", "took_time_for_myself", "note", "created_at", "updated_at"]
        read_only_fields = fields


class FamilyCheckInResultSerializer(FamilyCheckInSerializer):
    streak = serializers.IntegerField()

    class Meta(FamilyCheckInSerializer.Meta):
        fields = [*FamilyCheckInSerializer.Meta.fields, "streak"]
        read_only_fields = fields


class TestResultCreateSerializer(StrictJsonTypes, serializers.Serializer):
    __test__ = False  # not a pytest test class

    client = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="The member (clinicians and staff); default yourself"
    )
    taken_at = serializers.DateTimeField(help_text="When the test was taken, ISO 8601 with offset; not in the future")
    kind = serializers.ChoiceField(choices=TestKind.choices)
    result = serializers.ChoiceField(choices=TestOutcome.choices)
    value = serializers.DecimalField(
        max_digits=7, decimal_places=3, min_value=0, required=False, allow_null=True, help_text="e.g. breath alcohol 0.020"
    )
    substance = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=NOTE_MAX, required=False, allow_blank=True, default="")


class TestResultSerializer(serializers.Serializer):
    __test__ = False

    id = serializers.IntegerField()
    client = serializers.IntegerField(source="client_id")
    taken_at = serializers.DateTimeField()
    kind = serializers.CharField()
    result = serializers.CharField()
    value = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)
    substance = serializers.CharField()
    note = serializers.CharField()
    self_reported = serializers.BooleanField()
    within_goal = serializers.BooleanField(allow_null=True)
    created_at = serializers.DateTimeField()


class TestResultCreatedSerializer(TestResultSerializer):
    support = SupportItemSerializer(many=True)


def test_result_body(result: Any, within: bool | None, support: list[dict[str, str]] | None = None) -> dict[str, Any]:
    data = dict(
        TestResultSerializer(
            {
                "id": result.pk,
                "client_id": result.client_id,
                "taken_at": result.taken_at,
                "kind": result.kind,
                "result": result.result,
                "value": result.value,
                "substance": result.substance,
                "note": result.note,
                "self_reported": result.recorded_by_id == result.client_id,
                "within_goal": within,
                "created_at": result.created_at,
            }
        ).data
    )
    if support is not None:
        data["support"] = support
    return data


class TestResultQuerySerializer(serializers.Serializer):
    __test__ = False

    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    date_from = serializers.DateTimeField(required=False)
    date_to = serializers.DateTimeField(required=False)

    def to_internal_value(self, data: Any) -> Any:
        data = {k: v for k, v in data.items()}
        if "from" in data:
            data["date_from"] = data.pop("from")
        if "to" in data:
            data["date_to"] = data.pop("to")
        return super().to_internal_value(data)


class TestingScheduleOutSerializer(serializers.Serializer):
    days = serializers.ListField(child=serializers.IntegerField())
    time = serializers.TimeField(format="%H:%M", allow_null=True)
    limit = serializers.DecimalField(max_digits=7, decimal_places=3, allow_null=True)


class TestingScheduleSerializer(StrictJsonTypes, serializers.Serializer):
    days = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), max_length=7)
    time = serializers.TimeField(format="%H:%M", input_formats=["%H:%M"])
    limit = serializers.DecimalField(
        max_digits=7,
        decimal_places=3,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Moderation goals: the highest value (e.g. breath alcohol 0.020) within your own limit",
    )
