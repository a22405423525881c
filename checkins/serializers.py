"""Request and response serializers of the checkins API (API.md "Check-ins, assessments").
They parse and shape; who may read or write what is decided by the selectors and services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from .models import Assessment, CheckIn, Instrument, RiskFlag, Used
from .scoring import plain_result
from .services import NOTE_MAX, CheckInResult

MAX_ID = 2**63 - 1


def _int_messages(low: int, high: int, what: str) -> dict[str, str]:
    text = f"{what} is a whole number from {low} to {high}."
    return {"invalid": text, "min_value": text, "max_value": text, "required": f"{what} is required.", "null": text}


class CheckInCreateSerializer(serializers.Serializer):
    mood = serializers.IntegerField(
        min_value=1, max_value=5, error_messages=_int_messages(1, 5, "Mood (1 very low … 5 very good)")
    )
    craving = serializers.IntegerField(
        min_value=0, max_value=10, error_messages=_int_messages(0, 10, "Craving (0 none … 10 strongest)")
    )
    used = serializers.ChoiceField(
        choices=Used.choices,
        required=False,
        default=Used.SKIP,
        error_messages={"invalid_choice": "Answer yes, no, or skip (skip is always fine)."},
    )
    amount = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=0,
        required=False,
        allow_null=True,
        help_text="Moderation goals only, on a day with use: how much, in your own unit (e.g. standard drinks).",
    )
    connected = serializers.BooleanField(required=False, default=False, help_text="Connected with someone today")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=NOTE_MAX,
        error_messages={"max_length": f"Keep the note to {NOTE_MAX} characters or fewer."},
    )
    need_support = serializers.BooleanField(required=False, default=False)
    date = serializers.DateField(
        required=False, help_text="Local day (YYYY-MM-DD) in your time zone; default today; up to 7 days back."
    )
    client = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="Your own user id (optional); anyone else's is 404."
    )
    took_medication = serializers.ChoiceField(
        choices=Used.choices,
        required=False,
        help_text="Asked only of members who set a medication (PUT /me/medications/); skip is always fine.",
    )


class CheckInSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="local_date")

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "date",
            "mood",
            "craving",
            "used",
            "amount",
            "connected",
            "note",
            "need_support",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CheckInSummarySerializer(serializers.ModelSerializer):
    """What `checkin_summary` shares: that the member checked in that day."""

    date = serializers.DateField(source="local_date")
    checked_in = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = ["date", "checked_in"]
        read_only_fields = fields

    def get_checked_in(self, obj: CheckIn) -> bool:
        return True


class CrisisResourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    how = serializers.CharField()
    call = serializers.CharField(help_text="tel: link, or empty")
    text = serializers.CharField(help_text="sms: link, or empty")
    call_label = serializers.CharField(help_text="Label for the call button, or empty")


class SupportItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["reach_mentor", "coping_step", "resource", "crisis"])
    text = serializers.CharField()
    url = serializers.CharField(required=False, allow_blank=True)


class CheckInResultSerializer(CheckInSerializer):
    streak = serializers.IntegerField(help_text="Consecutive local days with a check-in (engagement, not sober days)")
    days_since_last_use = serializers.IntegerField(
        required=False, help_text="Only for members who turned on 'show sober days' in their profile"
    )
    crisis = serializers.BooleanField()
    crisis_resources = CrisisResourceSerializer(many=True, required=False)
    support = SupportItemSerializer(many=True, help_text="After trouble: her coping steps and people, her mentor, a resource")

    class Meta(CheckInSerializer.Meta):
        fields = [*CheckInSerializer.Meta.fields, "streak", "days_since_last_use", "crisis", "crisis_resources", "support"]


class CheckInQuerySerializer(serializers.Serializer):
    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)

    def to_internal_value(self, data: Any) -> Any:
        data = {k: v for k, v in data.items()}
        if "from" in data:
            data["date_from"] = data.pop("from")
        if "to" in data:
            data["date_to"] = data.pop("to")
        return super().to_internal_value(data)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"from": ["'from' must be on or before 'to'."]})
        return attrs


_DATETIME = serializers.DateTimeField()


def checkin_fields(c: CheckIn) -> dict[str, Any]:
    """CheckInSerializer's output, built directly: the POST is the hot path of the app and a
    ModelSerializer rebuilds its fields on every instantiation. A test keeps the two equal."""
    return {
        "id": c.pk,
        "date": c.local_date.isoformat(),
        "mood": c.mood,
        "craving": c.craving,
        "used": c.used,
        "amount": None if c.amount is None else str(c.amount),
        "connected": c.connected,
        "note": c.note,
        "need_support": c.need_support,
        "created_at": _DATETIME.to_representation(c.created_at),
        "updated_at": _DATETIME.to_representation(c.updated_at),
    }


def checkin_result_body(result: CheckInResult) -> dict[str, Any]:
    """CheckInResultSerializer's output (see checkin_fields)."""
    body = checkin_fields(result.checkin)
    body["streak"] = result.streak
    if result.days_since_last_use is not None:
        body["days_since_last_use"] = result.days_since_last_use
    body["crisis"] = result.crisis
    if result.crisis:
        body["crisis_resources"] = result.crisis_resources
    return body


# --- assessments -----------------------------------------------------------------------------


class AssessmentCreateSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(
        choices=Instrument.choices, error_messages={"invalid_choice": "Choose one of BARC-10, PHQ-9, GAD-7, BAM."}
    )
    answers = serializers.ListField(
        child=serializers.JSONField(), allow_empty=False, max_length=40, help_text="One whole number per question, in order"
    )


class AssessmentSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="local_date")
    result = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "instrument", "score", "band", "flags", "subscores", "result", "answers", "date", "taken_at"]
        read_only_fields = fields

    def get_result(self, obj: Assessment) -> str:
        return plain_result(obj.instrument, obj.band)


class AssessmentResultSerializer(AssessmentSerializer):
    crisis_resources = CrisisResourceSerializer(many=True, required=False)

    class Meta(AssessmentSerializer.Meta):
        fields = [*AssessmentSerializer.Meta.fields, "crisis_resources"]


class AssessmentQuerySerializer(serializers.Serializer):
    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    instrument = serializers.ChoiceField(choices=Instrument.choices, required=False)


class AssessmentDueSerializer(serializers.Serializer):
    instrument = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label (DRF pops it)
    last_taken_at = serializers.DateTimeField(allow_null=True)
    every_days = serializers.IntegerField()


# --- risk flags ------------------------------------------------------------------------------


class RiskFlagSerializer(serializers.ModelSerializer):
    """`reason` and `resolution_note` are null unless the viewer may read them: the view passes
    `detail_ids`, the members whose flag detail she sees (members.access, `risk_flag_detail`)."""

    client = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()
    open = serializers.BooleanField(source="is_open")
    reason = serializers.SerializerMethodField()
    resolution_note = serializers.SerializerMethodField()

    class Meta:
        model = RiskFlag
        fields = ["id", "client", "kind", "reason", "open", "opened_at", "resolved_at", "resolved_by", "resolution_note"]
        read_only_fields = fields

    def get_client(self, obj: RiskFlag) -> dict[str, Any]:
        return {"id": obj.client_id, "display_name": obj.client.display_name}

    def get_resolved_by(self, obj: RiskFlag) -> dict[str, Any] | None:
        if obj.resolved_by is None:
            return None
        return {"id": obj.resolved_by_id, "display_name": obj.resolved_by.display_name}

    def _detail(self, obj: RiskFlag) -> bool:
        return obj.client_id in self.context.get("detail_ids", frozenset())

    def get_reason(self, obj: RiskFlag) -> str | None:
        return obj.reason if self._detail(obj) else None

    def get_resolution_note(self, obj: RiskFlag) -> str | None:
        return obj.resolution_note if self._detail(obj) else None


class RiskFlagQuerySerializer(serializers.Serializer):
    client = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    open = serializers.BooleanField(required=False, default=True, help_text="Only open flags (default); false: all")


class RiskFlagResolveSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=NOTE_MAX,
        error_messages={
            "blank": "Say what was done (a call, a session, a referral) before resolving.",
            "required": "Say what was done (a call, a session, a referral) before resolving.",
        },
    )
