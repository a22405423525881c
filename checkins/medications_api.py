"""PUT /api/v1/me/medications/ (API.md "The member's own plan, milestones and support")."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role

from .services.medications import medications_for, medications_set


class MedicationSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    times = serializers.ListField(child=serializers.CharField(), help_text='Local times, "HH:MM"')
    days = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=6), required=False)


class MyMedicationsApi(APIView):
    permission_classes = [has_role("client")]

    @extend_schema(responses=MedicationSerializer(many=True), summary="My medications and their reminder times")
    def get(self, request: Request) -> Response:
        return Response([{"name": m.name, "times": m.times, "days": m.days} for m in medications_for(client=request.user)])

    @extend_schema(
        request=MedicationSerializer(many=True),
        responses={200: MedicationSerializer(many=True), 400: OpenApiTypes.OBJECT},
        summary="Replace my medications: optional reminders at my local times; the check-in then asks took_medication",
    )
    def put(self, request: Request) -> Response:
        meds = medications_set(actor=request.user, client=request.user, items=request.data)
        return Response([{"name": m.name, "times": m.times, "days": m.days} for m in meds])
