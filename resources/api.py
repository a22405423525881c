"""Resources, referrals and the curriculum over HTTP: thin views (parse, one selector or
service, serialize)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import InProgram, has_role, paginate, validated
from members.choices import Role

from . import selectors, services
from .models import Category, Module, Referral, Resource
from .serializers import (
    CurriculumPlaceSerializer,
    FollowUpCreateSerializer,
    FollowUpSerializer,
    ModuleDoneSerializer,
    ModuleSerializer,
    ModuleWriteSerializer,
    ReferralCreateSerializer,
    ReferralQuerySerializer,
    ReferralSerializer,
    ResourceQuerySerializer,
    ResourceSerializer,
    ResourceWriteSerializer,
)

IsStaff = has_role(Role.STAFF)
IsClient = has_role(Role.CLIENT)
ERRORS = {400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


class ResourceListApi(GenericAPIView):
    queryset = Resource.objects.none()
    serializer_class = ResourceSerializer
    permission_classes = [InProgram]

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, enum=Category.values),
            OpenApiParameter("language", str, description="ISO 639-1, e.g. es"),
            OpenApiParameter("q", str),
        ],
        responses=ResourceSerializer(many=True),
        summary="The organization's directory of community resources",
    )
    def get(self, request: Request) -> Response:
        q = validated(ResourceQuerySerializer, request.query_params)
        return paginate(self, selectors.resources_for_viewer(viewer=request.user, **q), ResourceSerializer)

    @extend_schema(
        request=ResourceWriteSerializer, responses={201: ResourceSerializer, **ERRORS}, summary="Add a resource (staff)"
    )
    def post(self, request: Request) -> Response:
        if request.user.role != Role.STAFF:
            return Response({"detail": _("Program staff keep the directory.")}, status=status.HTTP_403_FORBIDDEN)
        data = validated(ResourceWriteSerializer, request.data)
        resource = services.resource_create(actor=request.user, data=data)
        return Response(ResourceSerializer(resource).data, status=status.HTTP_201_CREATED)


class ResourceDetailApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(responses={200: ResourceSerializer, 404: OpenApiTypes.OBJECT}, summary="One resource")
    def get(self, request: Request, resource_id: int) -> Response:
        return Response(ResourceSerializer(selectors.resource_get_for_viewer(viewer=request.user, resource_id=resource_id)).data)

    @extend_schema(
        request=ResourceWriteSerializer, responses={200: ResourceSerializer, **ERRORS}, summary="Change a resource (staff)"
    )
    def patch(self, request: Request, resource_id: int) -> Response:
        resource = selectors.resource_get_for_viewer(viewer=request.user, resource_id=resource_id)
        if request.user.role != Role.STAFF:
            return Response({"detail": _("Program staff keep the directory.")}, status=status.HTTP_403_FORBIDDEN)
        data = validated(ResourceWriteSerializer, request.data, partial=True)
        return Response(ResourceSerializer(services.resource_update(actor=request.user, resource=resource, data=data)).data)


class ReferralListApi(GenericAPIView):
    queryset = Referral.objects.none()
    serializer_class = ReferralSerializer
    permission_classes = [InProgram]

    @extend_schema(
        parameters=[OpenApiParameter("client", int, description="A member's user id")],
        responses={200: ReferralSerializer(many=True), 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
        summary="Referrals with their follow-ups: the member's; the referrer's own; her clinicians'",
    )
    def get(self, request: Request) -> Response:
        q = validated(ReferralQuerySerializer, request.query_params)
        _view, qs = selectors.referrals_view_for(viewer=request.user, client_id=q.get("client"))
        return paginate(self, qs, ReferralSerializer)

    @extend_schema(
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, **ERRORS},
        summary="Refer a member to a resource (her mentor or clinicians): follow-ups due at 30, 60 and 90 days",
    )
    def post(self, request: Request) -> Response:
        v = validated(ReferralCreateSerializer, request.data)
        referral = services.referral_create(actor=request.user, client_id=v["client"], resource_id=v["resource"], note=v["note"])
        _view, qs = selectors.referrals_view_for(viewer=request.user, client_id=referral.client_id)
        return Response(ReferralSerializer(qs.get(pk=referral.pk)).data, status=status.HTTP_201_CREATED)


class FollowUpCreateApi(APIView):
    permission_classes = [InProgram]

    @extend_schema(
        request=FollowUpCreateSerializer,
        responses={201: FollowUpSerializer, **ERRORS},
        summary="Record a follow-up's outcome (the referrer)",
    )
    def post(self, request: Request, referral_id: int) -> Response:
        v = validated(FollowUpCreateSerializer, request.data)
        follow_up = services.follow_up_record(actor=request.user, referral_id=referral_id, outcome=v["outcome"], note=v["note"])
        return Response(FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED)


class ModuleListApi(GenericAPIView):
    queryset = Module.objects.none()
    serializer_class = ModuleSerializer
    permission_classes = [InProgram]

    @extend_schema(responses=ModuleSerializer(many=True), summary="The program's curriculum, week by week")
    def get(self, request: Request) -> Response:
        return paginate(self, selectors.modules_for_organization(organization_id=request.user.org_id), ModuleSerializer)

    @extend_schema(
        request=ModuleWriteSerializer,
        responses={201: ModuleSerializer, 409: OpenApiTypes.OBJECT, **ERRORS},
        summary="Add a week's module (staff); the body is Markdown, rendered safely",
    )
    def post(self, request: Request) -> Response:
        if request.user.role != Role.STAFF:
            return Response({"detail": _("Program staff write the curriculum.")}, status=status.HTTP_403_FORBIDDEN)
        data = validated(ModuleWriteSerializer, request.data)
        return Response(
            ModuleSerializer(services.module_create(actor=request.user, data=data)).data, status=status.HTTP_201_CREATED
        )


class MyCurriculumApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(responses=CurriculumPlaceSerializer, summary="My place in the curriculum and the modules I finished")
    def get(self, request: Request) -> Response:
        place = selectors.curriculum_for_client(client=request.user)
        return Response(
            {
                "week": place.week,
                "this_week": ModuleSerializer(place.this_week).data if place.this_week else None,
                "done": sorted(place.done_ids),
                "modules": len(place.modules),
            }
        )


class MyModuleDoneApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(request=None, responses={200: ModuleDoneSerializer, 404: OpenApiTypes.OBJECT}, summary="Mark a module done")
    def post(self, request: Request, module_id: int) -> Response:
        done = services.module_done(client=request.user, module_id=module_id)
        return Response({"module": done.module_id, "done_at": done.done_at})
