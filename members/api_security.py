"""Members API, security: two-factor sign-in and password change (API.md "Accounts",
"Two-factor sign-in"). Thin views over members.two_factor and members.services."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import update_session_auth_hash
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from common.api import has_role, validated
from common.errors import Invalid
from common.json_types import StrictJsonTypes

from . import selectors, services, two_factor
from .choices import Role
from .models import User


class CodeSerializer(StrictJsonTypes, serializers.Serializer):
    code = serializers.CharField(max_length=32, trim_whitespace=True)


class PasswordChangeSerializer(StrictJsonTypes, serializers.Serializer):
    current_password = serializers.CharField(max_length=256, trim_whitespace=False)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)


class TwoFactorApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "two_factor"

    @extend_schema(
        request=None,
        responses={
            201: inline_serializer("TwoFactorStart", {"secret": serializers.CharField(), "otpauth_url": serializers.CharField()})
        },
        summary="Start two-factor enrolment (TOTP): a secret for your authenticator app",
    )
    def post(self, request: Request) -> Response:
        secret, url = two_factor.two_factor_start(user=request.user)  # type: ignore[arg-type]
        return Response({"secret": secret, "otpauth_url": url}, status=status.HTTP_201_CREATED)

    @extend_schema(request=CodeSerializer, responses={204: None}, summary="Turn two-factor sign-in off (needs a current code)")
    def delete(self, request: Request) -> Response:
        data = validated(CodeSerializer, request.data)
        two_factor.two_factor_disable(user=request.user, code=data["code"])  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)


class TwoFactorConfirmApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "two_factor"

    @extend_schema(
        request=CodeSerializer,
        responses={
            200: inline_serializer(
                "TwoFactorRecoveryCodes", {"recovery_codes": serializers.ListField(child=serializers.CharField())}
            )
        },
        summary="Confirm enrolment with the first code; returns 10 single-use recovery codes",
    )
    def post(self, request: Request) -> Response:
        data = validated(CodeSerializer, request.data)
        codes = two_factor.two_factor_confirm(user=request.user, code=data["code"])  # type: ignore[arg-type]
        return Response({"recovery_codes": codes})


class PasswordChangeApi(APIView):
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "password"

    @extend_schema(
        request=PasswordChangeSerializer,
        responses={204: None},
        summary="Change your password; every token and other session ends",
    )
    def post(self, request: Request) -> Response:
        data: dict[str, Any] = validated(PasswordChangeSerializer, request.data)
        user = services.password_change(
            user=request.user,  # type: ignore[arg-type]
            current_password=data["current_password"],
            new_password=data["new_password"],
        )
        if isinstance(request.successful_authenticator, SessionAuthentication):
            # This browser stays signed in; every other session ends with the old password hash.
            update_session_auth_hash(request._request, user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DisclosureQuerySerializer(StrictJsonTypes, serializers.Serializer):
    # `from` is a Python keyword: declare it through the class namespace.
    locals()["from"] = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])
    to = serializers.DateField(required=False, input_formats=["%Y-%m-%d"])


class DisclosureSerializer(serializers.Serializer):
    recipient = inline_serializer(
        "DisclosureRecipient",
        {"id": serializers.IntegerField(), "display_name": serializers.CharField(), "role": serializers.CharField()},
    )
    consent = serializers.IntegerField(
        allow_null=True, help_text="The consent the records were read under (null: treatment consent or program operations)."
    )
    purpose = serializers.CharField()
    resources = serializers.ListField(child=serializers.CharField())
    first_at = serializers.DateTimeField()
    last_at = serializers.DateTimeField()
    count = serializers.IntegerField()


class DisclosuresApi(GenericAPIView):
    permission_classes = [has_role(Role.CLIENT)]
    serializer_class = DisclosureSerializer
    queryset = User.objects.none()

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="YYYY-MM-DD; at most 3 years back (the default)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="YYYY-MM-DD"),
        ],
        responses=DisclosureSerializer(many=True),
        summary="Accounting of disclosures (42 CFR § 2.24): who read my records, under which consent, why",
    )
    def get(self, request: Request) -> Response:
        query = validated(DisclosureQuerySerializer, request.query_params)
        user: Any = request.user
        zone = ZoneInfo(user.timezone)
        start = datetime.combine(query["from"], time.min, tzinfo=zone) if query.get("from") else None
        end = datetime.combine(query["to"], time.max, tzinfo=zone) if query.get("to") else None
        if start and end and start > end:
            raise Invalid(_("`from` must be on or before `to`."), field="from")
        rows = selectors.disclosures_for_client(client=user, date_from=start, date_to=end)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(DisclosureSerializer(page, many=True).data)
