"""Matching API (API.md "Matching"). Views are thin: parse, call one selector or service,
serialize. Who may do what is decided by the selectors and services; the permission classes
only keep out roles the endpoint is not for."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import InProgram, has_role, paginate, validated
from members.access import access_log_record_many
from members.choices import Role

from . import selectors, services
from .models import ContactLog, Match
from .serializers import (
    ChooseSerializer,
    ContactEntrySerializer,
    ContactSerializer,
    EndSerializer,
    MatchRequestCreateSerializer,
    MatchRequestSerializer,
    MatchSerializer,
    MatchStatusSerializer,
    RunResultSerializer,
    RunSerializer,
    SuggestionQuerySerializer,
    SuggestionSerializer,
)

IsClient = has_role(Role.CLIENT, Role.FAMILY)  # family members ask for a family peer mentor too
IsStaff = has_role(Role.STAFF)


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
    permission_classes = [has_role(Role.CLIENT, Role.FAMILY, Role.STAFF)]

    @extend_schema(
        parameters=[OpenApiParameter("limit", int, description="1–50, default 5")],
        responses=SuggestionSerializer(many=True),
        summary="Mentors who fit, best first, with reasons",
    )
    def get(self, request: Request, request_id: int) -> Response:
        req = selectors.request_get_for_viewer(viewer=request.user, request_id=request_id)
        query = validated(SuggestionQuerySerializer, request.query_params)
        suggestions = selectors.suggestions_for_request(request=req, limit=query["limit"])
        access_log_record_many(viewer=request.user, clients=[req.client], resource="match_request")  # staff reading hers
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
    permission_classes = [InProgram]

    @extend_schema(request=None, responses=MatchStatusSerializer, summary="The proposed mentor accepts")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_mentor(mentor=request.user, match_id=match_id)
        match = services.match_accept(mentor=request.user, match=match)
        return Response({"id": match.pk, "status": match.status})


class MatchDeclineApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=None, responses=MatchStatusSerializer, summary="The proposed mentor declines")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_mentor(mentor=request.user, match_id=match_id)
        match = services.match_decline(mentor=request.user, match=match)
        return Response({"id": match.pk, "status": match.status})


class MatchEndApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(request=EndSerializer, responses=MatchStatusSerializer, summary="End an active match (client, mentor, staff)")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_viewer(viewer=request.user, match_id=match_id)
        data = validated(EndSerializer, request.data)
        match = services.match_end(actor=request.user, match=match, reason=data["reason"], rating=data.get("rating"))
        return Response({"id": match.pk, "status": match.status})


class MatchListApi(GenericAPIView):
    permission_classes = [InProgram]
    serializer_class = MatchSerializer
    queryset = Match.objects.none()

    @extend_schema(responses=MatchSerializer(many=True), summary="The caller's matches (staff: the organization's)")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.matches_for_viewer(viewer=request.user)) or []
        # Staff and clinicians read other people's matches: each member on the page is logged (M4).
        access_log_record_many(viewer=request.user, clients=[m.client for m in page], resource="matches")
        return self.get_paginated_response(MatchSerializer(page, many=True).data)


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
    permission_classes = [InProgram]
    serializer_class = ContactSerializer
    queryset = ContactLog.objects.none()

    @extend_schema(
        responses=ContactEntrySerializer(many=True),
        summary="A match's contact log, with the mentor's messages as contact (mentor; care team with consent)",
    )
    def get(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_contacts(viewer=request.user, match_id=match_id)
        return paginate(self, selectors.contacts_for_match(viewer=request.user, match=match), ContactEntrySerializer)

    @extend_schema(request=ContactSerializer, responses={201: ContactSerializer}, summary="The mentor records a contact")
    def post(self, request: Request, match_id: int) -> Response:
        match = selectors.match_get_for_contacts(viewer=request.user, match_id=match_id)
        data = validated(ContactSerializer, request.data)
        contact = services.contact_record(mentor=request.user, match=match, **data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)
