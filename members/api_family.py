"""The member's own care team and her family invitations over HTTP (API.md "Care team, consent,
access log": GET /me/care-team/, POST /me/care-team/invite/, DELETE /me/care-team/{id}/).
Thin: the rules are members.services.family's."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role, validated

from . import selectors, services
from .choices import Role
from .serializers import FamilyInviteResultSerializer, FamilyInviteSerializer, MyCareTeamMemberSerializer

IsClient = has_role(Role.CLIENT)


class MyCareTeamApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(responses=MyCareTeamMemberSerializer(many=True), summary="My care team: clinicians, my mentor, my family")
    def get(self, request: Request) -> Response:
        return Response(MyCareTeamMemberSerializer(selectors.my_care_team(client=request.user), many=True).data)


class FamilyInviteApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(
        request=FamilyInviteSerializer,
        responses={201: FamilyInviteResultSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Invite a family member by email, choosing what they see",
        description=(
            "An unknown email gets an invitation email (a signed link that expires) to set a password; a family "
            "member already in the program is added at once (`status: added`). 409 when the email is already on "
            "the care team; 400 for an address of staff, a clinician, a mentor or another member."
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(FamilyInviteSerializer, request.data)
        invitation = services.family_invite(client=request.user, **data)  # type: ignore[arg-type]
        return Response({"id": invitation.membership.pk, "status": invitation.status}, status=status.HTTP_201_CREATED)


class MyCareTeamMemberApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(request=None, responses={204: None, 404: OpenApiTypes.OBJECT}, summary="Remove a family member")
    def delete(self, request: Request, membership_id: int) -> Response:
        membership = services.family_membership_get(client=request.user, membership_id=membership_id)  # type: ignore[arg-type]
        services.family_remove(client=request.user, membership=membership)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
