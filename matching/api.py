"""Matching API (API.md "Matching"). Views are thin: parse, call one selector or service,
serialize."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role, paginate, validated
from members.api import IsClient, IsStaff
from members.choices import Format, Goal, MentorGender, Pathway, Role
from members.serializers import availability_field
from members.validators import validate_language, validate_tag

from . import selectors, services
from .models import ContactLog, ContactMode, Match

IsMember = has_role(Role.CLIENT, Role.MENTOR, Role.CLINICIAN, Role.STAFF, Role.FAMILY)


# --- serializers ---------------------------------------------------------------------------


class MatchRequestCreateSerializer(serializers.Serializer):
    """Optional overrides of the client's profile for this request."""

    goal = serializers.ChoiceField(choices=Goal.choices, required=False)
    pathways = serializers.ListField(child=serializers.ChoiceField(choices=Pathway.choices), max_length=7, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8, validators=[validate_language]), max_length=10, required=False
    )
    formats = serializers.ListField(child=serializers.ChoiceField(choices=Format.choices), max_length=4, required=False)
    availability = availability_field()
    experience_tags = serializers.ListField(
        child=serializers.CharField(max_length=40, validators=[validate_tag]), max_length=20, required=False
    )
    mentor_gender = serializers.ChoiceField(choices=MentorGender.choices, required=False)
    mentor_gender_required = serializers.BooleanField(required=False)


class MatchRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=5)


class SuggestedMentorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    bio = serializers.CharField()
    pathways = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    years_in_recovery = serializers.IntegerField()
    formats = serializers.ListField(child=serializers.CharField())
    experience_tags = serializers.ListField(child=serializers.CharField())


class SuggestionSerializer(serializers.Serializer):
    mentor = SuggestedMentorSerializer()
    score = serializers.IntegerField(min_value=0, max_value=100)
    reasons = serializers.ListField(child=serializers.CharField())


class ChooseSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(min_value=1, help_text="The mentor's user id")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField()


class MatchSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="proposed | active | declined | expired | ended")
    client = PersonSerializer(read_only=True)
    mentor = PersonSerializer(read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "status",
            "client",
            "mentor",
            "request",
            "score",
            "reasons",
            "source",
            "proposed_at",
            "expires_at",
            "accepted_at",
            "ended_at",
            "end_reason",
            "rating",
        ]
        read_only_fields = fields


class MatchStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class RunSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=True)


class RunAssignmentSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    mentor = serializers.IntegerField()
    score = serializers.IntegerField()
    client = PersonSerializer(required=False)
    mentor_name = serializers.CharField(required=False)
    match = serializers.IntegerField(required=False, help_text="The proposal created (propose-all only)")


RunResultSerializer = inline_serializer(
    "MatchingRunResult",
    {
        "dry_run": serializers.BooleanField(),
        "matched": serializers.IntegerField(),
        "unmatched": serializers.IntegerField(),
        "objective": serializers.IntegerField(help_text="Total score of the assignment"),
        "certified_optimal": serializers.BooleanField(
            help_text="The plan is proved optimal over every feasible pair (always, up to 50 million request × mentor pairs)"
        ),
        "duration_ms": serializers.FloatField(),
        "assignments": RunAssignmentSerializer(many=True),
        "unmatched_requests": inline_serializer(
            "UnmatchedRequest",
            {"request": serializers.IntegerField(), "client": PersonSerializer(), "reason": serializers.CharField()},
            many=True,
        ),
    },
)


class ContactSerializer(serializers.ModelSerializer):
    occurred_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=ContactMode.choices)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600)
    note = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")

    class Meta:
        model = ContactLog
        fields = ["id", "match", "occurred_at", "mode", "duration_minutes", "note", "created_at"]
        read_only_fields = ["id", "match", "created_at"]


# --- views -------------------------------------------------------------------------------


class MatchRequestCreateApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        request=MatchRequestCreateSerializer,
        responses={201: MatchRequestSerializer},
        summary="Ask for a mentor (409 if a request is already open)",
    )
    def post(self, request: Request) -> Response:
        data = validated(MatchRequestCreateSerializer, request.data)
        req = services.match_request_create(client=request.user, preferences=data)
        return Response(MatchRequestSerializer(req).data, status=status.HTTP_201_CREATED)


class SuggestionsApi(APIView):
    permission_classes = [has_role(Role.CLIENT, Role.STAFF)]

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="1–50, default 5")],
        responses=SuggestionSerializer(many=True),
        summary="Mentors who fit, best first, with reasons",
    )
    def get(self, request: Request, request_id: int) -> Response:
        req = selectors.request_get_for_viewer(viewer=request.user, request_id=request_id)
        query = validated(SuggestionQuerySerializer, request.query_params)
        suggestions = selectors.suggestions_for_request(request=req, limit=query["limit"])
        return Response(SuggestionSerializer(suggestions, many=True).data)


class ChooseApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        request=ChooseSerializer,
        responses={201: MatchStatusSerializer},
        summary="Propose a mentor (409 if suspended or full, 404 if unknown)",
    )
    def post(self, request: Request, request_id: int) -> Response:
        req = selectors.request_get_for_viewer(viewer=request.user, request_id=request_id)
        data = validated(ChooseSerializer, request.data)
        match = services.match_choose(client=request.user, request=req, mentor_id=data["mentor"])
        return Response({"id": match.pk, "status": match.status}, status=status.HTTP_201_CREATED)


class MatchAcceptApi(APIView):
    permission_classes = [IsAuthenticated, IsMember]

    @extend_schema(request=None, responses=MatchStatusSerializer, summary="The proposed mentor accepts")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_mentor(mentor=request.user, match_id=match_id)
        match = services.match_accept(mentor=request.user, match=match)
        return Response({"id": match.pk, "status": match.status})


class MatchDeclineApi(APIView):
    permission_classes = [IsAuthenticated, IsMember]

    @extend_schema(request=None, responses=MatchStatusSerializer, summary="The proposed mentor declines")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_mentor(mentor=request.user, match_id=match_id)
        match = services.match_decline(mentor=request.user, match=match)
        return Response({"id": match.pk, "status": match.status})


class MatchEndApi(APIView):
    permission_classes = [IsAuthenticated, IsMember]

    @extend_schema(request=EndSerializer, responses=MatchStatusSerializer, summary="End an active match (client, mentor, staff)")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_viewer(viewer=request.user, match_id=match_id)
        data = validated(EndSerializer, request.data)
        match = services.match_end(actor=request.user, match=match, reason=data["reason"], rating=data.get("rating"))
        return Response({"id": match.pk, "status": match.status})


class MatchListApi(GenericAPIView):
    permission_classes = [IsAuthenticated, IsMember]
    serializer_class = MatchSerializer
    queryset = Match.objects.none()

    @extend_schema(responses=MatchSerializer(many=True), summary="The caller's matches (staff: the organization's)")
    def get(self, request: Request) -> Response:
        return paginate(self, selectors.matches_for_viewer(viewer=request.user), MatchSerializer)


class MatchingRunApi(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        request=RunSerializer,
        responses=RunResultSerializer,
        summary="Optimal batch assignment of all open requests (dry run, or propose all)",
    )
    def post(self, request: Request) -> Response:
        data = validated(RunSerializer, request.data)
        plan: dict[str, Any] = services.batch_run(staff=request.user, dry_run=data["dry_run"])
        keys = (
            "dry_run",
            "matched",
            "unmatched",
            "objective",
            "certified_optimal",
            "duration_ms",
            "assignments",
            "unmatched_requests",
        )
        return Response({k: plan[k] for k in keys})


class ContactListApi(GenericAPIView):
    permission_classes = [IsAuthenticated, IsMember]
    serializer_class = ContactSerializer
    queryset = ContactLog.objects.none()

    @extend_schema(responses=ContactSerializer(many=True), summary="A match's contact log (mentor; care team with consent)")
    def get(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_contacts(viewer=request.user, match_id=match_id)
        return paginate(self, selectors.contacts_for_match(viewer=request.user, match=match), ContactSerializer)

    @extend_schema(request=ContactSerializer, responses={201: ContactSerializer}, summary="The mentor records a contact")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_contacts(viewer=request.user, match_id=match_id)
        data = validated(ContactSerializer, request.data)
        contact = services.contact_record(mentor=request.user, match=match, **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
