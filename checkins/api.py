"""Check-ins, assessments and risk flags over HTTP (API.md "Check-ins, assessments").
Views are thin: parse, call one selector or service, serialize."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role
from common.errors import NotAllowed
from members.access import access_log_record_many, client_get_for_viewer, clients_visible_to
from members.choices import ConsentScope, Role

from . import selectors, services
from .models import Assessment, CheckIn, Instrument, RiskFlag, Used
from .scoring import plain_result
from .services import NOTE_MAX

IsClient = has_role(Role.CLIENT)
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


class CheckInResultSerializer(CheckInSerializer):
    streak = serializers.IntegerField(help_text="Consecutive local days with a check-in (engagement, not sober days)")
    days_since_last_use = serializers.IntegerField(
        required=False, help_text="Only for members who turned on 'show sober days' in their profile"
    )
    crisis = serializers.BooleanField()
    crisis_resources = CrisisResourceSerializer(many=True, required=False)

    class Meta(CheckInSerializer.Meta):
        fields = [*CheckInSerializer.Meta.fields, "streak", "days_since_last_use", "crisis", "crisis_resources"]


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


def _result_body(result: services.CheckInResult) -> dict[str, Any]:
    body = checkin_fields(result.checkin)
    body["streak"] = result.streak
    if result.days_since_last_use is not None:
        body["days_since_last_use"] = result.days_since_last_use
    body["crisis"] = result.crisis
    if result.crisis:
        body["crisis_resources"] = result.crisis_resources
    return body


class CheckInListApi(GenericAPIView):
    queryset = CheckIn.objects.none()
    serializer_class = CheckInSerializer

    @extend_schema(
        request=CheckInCreateSerializer,
        responses={
            201: CheckInResultSerializer,
            200: CheckInResultSerializer,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
        summary="Record today's check-in (201), or update it (200): one per local day",
        description=(
            "The member's time zone decides the day. `used` may always be `skip`. When `need_support` is true the "
            "response carries `crisis_resources` and the care team is alerted at once."
        ),
    )
    def post(self, request: Request) -> Response:
        if request.user.role != Role.CLIENT:
            raise NotAllowed("Only members record check-ins.")
        data = CheckInCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        client = request.user
        if "client" in v and v["client"] != request.user.pk:
            client = client_get_for_viewer(viewer=request.user, client_id=v["client"]).client
        result = services.checkin_record(
            actor=request.user,
            client=client,
            mood=v["mood"],
            craving=v["craving"],
            used=v["used"],
            amount=v.get("amount"),
            connected=v["connected"],
            note=v["note"],
            need_support=v["need_support"],
            local_date=v.get("date"),
        )
        return Response(_result_body(result), status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)

    @extend_schema(
        parameters=[
            OpenApiParameter("client", int, description="A client's user id (default: yourself)"),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={200: CheckInSerializer(many=True)},
        summary="Check-ins, newest first: the member's own; the care team's as the member shared them",
        description=(
            "Viewers with `checkin_detail` (the member, treating clinicians, those granted it) get mood, craving, use "
            "and notes; with only `checkin_summary` each item is `{date, checked_in}`. The page carries `streak`."
        ),
    )
    def get(self, request: Request) -> Response:
        query = CheckInQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        view = selectors.checkin_view_for(viewer=request.user, client_id=q.get("client"))
        qs = selectors.checkins_for_client(client=view.client, date_from=q.get("date_from"), date_to=q.get("date_to"))
        page = self.paginate_queryset(qs)
        serializer_class = CheckInSerializer if selectors.sees_detail(view) else CheckInSummarySerializer
        response = self.get_paginated_response(serializer_class(page, many=True).data)
        response.data["streak"] = selectors.progress_for_client(client=view.client).streak
        return response


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


class AssessmentListApi(GenericAPIView):
    queryset = Assessment.objects.none()
    serializer_class = AssessmentSerializer

    @extend_schema(
        request=AssessmentCreateSerializer,
        responses={201: AssessmentResultSerializer, 400: OpenApiTypes.OBJECT},
        summary="Fill in a questionnaire: scored at once → {score, band, flags}",
        description=(
            "BARC-10: 10 answers 1-6. PHQ-9: 9 answers 0-3 (item 9 above 0 shows crisis resources and alerts the care "
            "team). GAD-7: 7 answers 0-3. BAM: 17 answers 0-4 (subscores use, risk, protective)."
        ),
    )
    def post(self, request: Request) -> Response:
        if request.user.role != Role.CLIENT:
            raise NotAllowed("Only members fill in questionnaires.")
        data = AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.assessment_record(
            actor=request.user,
            client=request.user,
            instrument=data.validated_data["instrument"],
            answers=data.validated_data["answers"],
        )
        body = dict(AssessmentSerializer(result.assessment).data)
        if result.crisis:
            body["crisis_resources"] = result.crisis_resources
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter("client", int, description="A client's user id (default: yourself)"),
            OpenApiParameter("instrument", str, enum=Instrument.values),
        ],
        responses={200: AssessmentSerializer(many=True)},
        summary="Questionnaire results: the member's own; the care team's with the `assessments` consent",
    )
    def get(self, request: Request) -> Response:
        query = AssessmentQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        client_id = query.validated_data.get("client")
        if client_id is None:
            if request.user.role != Role.CLIENT:
                raise serializers.ValidationError({"client": ["Say whose results: ?client=<id>."]})
            client_id = request.user.pk
        view = selectors.client_view_with_scope(
            viewer=request.user, client_id=client_id, scopes=(ConsentScope.ASSESSMENTS,), log_as="assessments"
        )
        qs = selectors.assessments_for_client(client=view.client, instrument=query.validated_data.get("instrument"))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)


class AssessmentsDueApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        responses={
            200: inline_serializer(
                "AssessmentDue",
                many=True,
                fields={
                    "instrument": serializers.CharField(),
                    "label": serializers.CharField(),
                    "last_taken_at": serializers.DateTimeField(allow_null=True),
                    "every_days": serializers.IntegerField(),
                },
            )
        },
        summary="Questionnaires suggested now: BARC-10 monthly, PHQ-9 and GAD-7 every two weeks",
    )
    def get(self, request: Request) -> Response:
        return Response(selectors.assessments_due(client=request.user))


# --- risk flags ------------------------------------------------------------------------------


class RiskFlagSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField()
    resolved_by = serializers.SerializerMethodField()
    open = serializers.BooleanField(source="is_open")

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


class RiskFlagListApi(GenericAPIView):
    queryset = RiskFlag.objects.none()
    serializer_class = RiskFlagSerializer
    permission_classes = [has_role(Role.CLINICIAN, Role.STAFF, Role.MENTOR, Role.FAMILY)]

    @extend_schema(
        parameters=[OpenApiParameter("client", int), OpenApiParameter("open", bool)],
        responses={200: RiskFlagSerializer(many=True)},
        summary="Risk flags of one client, or of everyone I may see flags for",
        description="Clinicians on the care team and staff see flags; mentors and family only with `checkin_detail`.",
    )
    def get(self, request: Request) -> Response:
        query = RiskFlagQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        client_id = query.validated_data.get("client")
        open_only = query.validated_data["open"]
        if client_id is not None:
            view = client_get_for_viewer(viewer=request.user, client_id=client_id)
            if not selectors.sees_flags(view):
                view.require(ConsentScope.CHECKIN_DETAIL)
            client_get_for_viewer(viewer=request.user, client_id=client_id, log_as="risk_flags")
            qs = selectors.risk_flags_for_client(client=view.client, open_only=open_only)
        else:
            visible = list(clients_visible_to(viewer=request.user).select_related("client_profile"))
            qs = selectors.risk_flags_for_clients(viewer=request.user, clients=visible, open_only=open_only)
        page = self.paginate_queryset(qs) or []
        if client_id is None:
            # Every member whose flags are on this page has had a record read.
            shown = {f.client_id: f.client for f in page}
            access_log_record_many(viewer=request.user, clients=list(shown.values()), resource="risk_flags")
        return self.get_paginated_response(RiskFlagSerializer(page, many=True).data)


class RiskFlagResolveApi(APIView):
    @extend_schema(
        request=RiskFlagResolveSerializer,
        responses={200: RiskFlagSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Resolve a risk flag with a note on what was done (the member's clinicians)",
    )
    def post(self, request: Request, flag_id: int) -> Response:
        flag, view = selectors.risk_flag_get_for_viewer(viewer=request.user, flag_id=flag_id)
        if view.relation != "clinician":
            raise NotAllowed("Only the member's clinicians resolve risk flags.")
        data = RiskFlagResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        flag = services.risk_flag_resolve(actor=request.user, flag=flag, note=data.validated_data["note"])
        return Response(RiskFlagSerializer(flag).data)
