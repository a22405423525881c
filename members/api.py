"""Members API: accounts, profiles, care team, consent and access log. Views are thin: parse,
call one selector or service, serialize."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate, logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from common.api import has_role, paginate, validated
from common.errors import Invalid, NotVisible
from common.parsers import JSONParser

from . import access, selectors, services, tokens, two_factor
from .choices import Role
from .client_records import client_detail, client_rows
from .exports import export_everything
from .lockout import INVITATIONS_LIMITED, LOCKED_MESSAGE, address_locked, invitations_allowed
from .models import AccessLog, AuditEvent, ConsentGrant, MentorProfile, User
from .serializers import (
    AccessLogSerializer,
    AuditEntrySerializer,
    AuditQuerySerializer,
    CareTeamAddSerializer,
    CareTeamMemberSerializer,
    ClientSummarySerializer,
    ConsentCreateSerializer,
    ConsentSerializer,
    MentorStaffSerializer,
    MentorStatusQuerySerializer,
    MentorVetSerializer,
    MeSerializer,
    ProfileUpdateRequest,
    RoleQuerySerializer,
    SignupResponseSerializer,
    SignupSerializer,
    StaffUserCreateSerializer,
    StaffUserSerializer,
    StaffUserUpdateSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    profile_serializer_for,
    reject_other_roles_fields,
)

IsStaff = has_role(Role.STAFF)
IsClient = has_role(Role.CLIENT)


# --- accounts ----------------------------------------------------------------------------


# Sign-in and sign-up also take a plain form post, as token endpoints commonly do; their fields
# are all required strings, so form rules cannot change what a body means.
FORM_OR_JSON = [JSONParser, FormParser]


class TokenObtainApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = FORM_OR_JSON

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer, 400: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
        summary="Exchange email and password for an API token",
        description="5 failed attempts for one email from one address within 15 minutes lock sign-in (429).",
    )
    def post(self, request: Request) -> Response:
        data = validated(TokenRequestSerializer, request.data)
        django_request = request._request
        email = data["email"].strip().lower()
        # Refuse a locked (email, address) before checking the password, so the lock holds
        # even for the right password and a locked caller cannot keep probing.
        if AxesProxyHandler.is_locked(django_request, {"email": email}) or address_locked(django_request):
            return Response({"detail": LOCKED_MESSAGE}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        user = authenticate(django_request, email=email, password=data["password"])
        if user is None or user.organization_id is None:
            # The failure that reaches the limit still reads "not right"; the next attempt is
            # the one refused (axes would otherwise swap this answer for its lock-out page).
            django_request.axes_locked_out = False
            return Response({"detail": _("The email or password is not right.")}, status=status.HTTP_400_BAD_REQUEST)
        if two_factor.two_factor_enabled(user):
            otp = data.get("otp") or ""
            if not otp:
                return Response({"otp": [_("Enter the code from your authenticator app (or a recovery code).")]}, status=400)
            if two_factor.two_factor_verify(user=user, code=otp) is None:
                # A wrong code counts toward the lock-out like a wrong password.
                user_login_failed.send(sender=__name__, credentials={"email": email}, request=django_request)
                django_request.axes_locked_out = False
                return Response({"otp": [_("That code is not right.")]}, status=400)
        # What django.contrib.auth.login() announces for a session: axes clears this
        # address's failures, Django records last_login.
        user_logged_in.send(sender=type(user), request=django_request, user=user)
        issued = tokens.token_issue(user=user)
        return Response({"token": issued.key, "expires_at": issued.expires_at})


class LogoutApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="Revoke the caller's token")
    def post(self, request: Request) -> Response:
        key = tokens.request_token_key(request)
        if key:
            tokens.token_revoke(key=key)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


SIGNUP_DONE = gettext_lazy(
    "Your account is ready: sign in with your email and password (POST /api/v1/auth/token/). "
    "If this email already had an account, we sent it a note instead."
)


class SignupApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    parser_classes = FORM_OR_JSON
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "signup"

    @extend_schema(
        request=SignupSerializer,
        responses={
            201: SignupResponseSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
        description=(
            "403 when the program takes no sign-ups online (or the code is unknown). The answer never tells "
            "whether the email already has an account, here or in any program: the same 201 and the same body, "
            "and the owner of the address is told by email. Then sign in with POST /api/v1/auth/token/."
        ),
        summary="Create a member (client) account in a program that allows self sign-up",
    )
    def post(self, request: Request) -> Response:
        data = validated(SignupSerializer, request.data)
        org, _created = services.client_signup(
            organization_slug=data["organization"],
            email=data["email"],
            password=data["password"],
            display_name=data["display_name"],
            timezone_name=data["timezone"],
        )
        body = SignupResponseSerializer(
            {
                "email": data["email"].strip().lower(),
                "display_name": data["display_name"].strip(),
                "role": Role.CLIENT,
                "organization": {"slug": org.slug, "name": org.name},
                "timezone": data["timezone"],
                "detail": SIGNUP_DONE,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    @extend_schema(responses=MeSerializer, summary="The caller's account")
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer, summary="Change display name, pronouns, phone or time zone")
    def patch(self, request: Request) -> Response:
        data = validated(MeSerializer, request.data, partial=True)
        user = services.user_update_self(user=request.user, data=data)
        return Response(MeSerializer(user).data)

    @extend_schema(request=None, responses={204: None, 403: OpenApiTypes.OBJECT}, summary="Close my account (clients and family)")
    def delete(self, request: Request) -> Response:
        services.account_delete(user=request.user)
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileApi(APIView):
    permission_classes = [has_role(Role.CLIENT, Role.MENTOR)]

    def _get(self, user: User) -> Any:
        if user.role == Role.CLIENT:
            return selectors.client_profile_get(user=user)
        return selectors.mentor_profile_get(user=user)

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="The caller's profile (client: goals and preferences; mentor: lived experience and capacity)",
    )
    def get(self, request: Request) -> Response:
        return Response(profile_serializer_for(request.user)(self._get(request.user)).data)

    @extend_schema(
        request=ProfileUpdateRequest,
        responses={200: OpenApiTypes.OBJECT},
        summary="Update the caller's profile",
        description="Clients send client fields (goal, working_toward, treatment_consent, ...), mentors mentor fields "
        "(years_in_recovery, capacity, bio, ...); a field of the other role's profile is a 400.",
    )
    def patch(self, request: Request) -> Response:
        profile, serializer_class = self._get(request.user), profile_serializer_for(request.user)
        reject_other_roles_fields(user=request.user, data=request.data)
        data = validated(serializer_class, request.data, instance=profile, partial=True)
        if request.user.role == Role.CLIENT:
            profile = services.client_profile_update(actor=request.user, profile=profile, data=data)
        else:
            profile = services.mentor_profile_update(actor=request.user, profile=profile, data=data)
        return Response(serializer_class(profile).data)


class ExportApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Everything Kinship holds about the caller, as JSON")
    def get(self, request: Request) -> Response:
        response = Response(export_everything(request.user))
        response["Content-Disposition"] = 'attachment; filename="kinship-my-data.json"'
        return response


# --- staff: users and mentors ------------------------------------------------------------


class UserListApi(GenericAPIView):
    permission_classes = [IsStaff]
    serializer_class = StaffUserSerializer
    queryset = User.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("role", str, enum=Role.values)],
        responses=StaffUserSerializer(many=True),
        summary="Users of my organization",
    )
    def get(self, request: Request) -> Response:
        query = validated(RoleQuerySerializer, request.query_params)
        return paginate(self, selectors.users_for_staff(staff=request.user, role=query.get("role")), StaffUserSerializer)

    @extend_schema(
        request=StaffUserCreateSerializer,
        responses={201: StaffUserSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT},
        summary="Add a user to my organization (without a password, an invitation email is sent)",
        description="Invitation emails are limited per address (THROTTLE_INVITE, 60 an hour): 429 past it.",
    )
    def post(self, request: Request) -> Response:
        data = validated(StaffUserCreateSerializer, request.data)
        if not data.get("password") and not invitations_allowed(request._request):
            return Response({"detail": INVITATIONS_LIMITED}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        user = services.user_create(
            organization=request.user.organization,
            email=data["email"],
            display_name=data["display_name"],
            role=data["role"],
            password=data.get("password") or None,
            timezone_name=data.get("timezone"),
            phone=data.get("phone", ""),
            actor=request.user,
        )
        return Response(StaffUserSerializer(user).data, status=status.HTTP_201_CREATED)


class UserDetailApi(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=StaffUserSerializer, summary="One user of my organization")
    def get(self, request: Request, user_id: int) -> Response:
        return Response(StaffUserSerializer(selectors.user_get_for_staff(staff=request.user, user_id=user_id)).data)

    @extend_schema(
        request=StaffUserUpdateSerializer,
        responses={200: StaffUserSerializer, 409: OpenApiTypes.OBJECT},
        summary="Deactivate, reactivate, rename or change role",
        description="409 when staff would deactivate themselves or drop their own staff role.",
    )
    def patch(self, request: Request, user_id: int) -> Response:
        user = selectors.user_get_for_staff(staff=request.user, user_id=user_id)
        data = validated(StaffUserUpdateSerializer, request.data)
        user = services.user_update_by_staff(staff=request.user, user=user, data=data)
        return Response(StaffUserSerializer(user).data)


class MentorListApi(GenericAPIView):
    permission_classes = [IsStaff]
    serializer_class = MentorStaffSerializer
    queryset = MentorProfile.objects.none()

    @extend_schema(
        operation_id="mentors_list",
        parameters=[OpenApiParameter("status", str, enum=["pending", "approved", "suspended"])],
        responses=MentorStaffSerializer(many=True),
        summary="Mentors to vet",
    )
    def get(self, request: Request) -> Response:
        query = validated(MentorStatusQuerySerializer, request.query_params)
        return paginate(self, selectors.mentors_for_staff(staff=request.user, status=query.get("status")), MentorStaffSerializer)


class MentorDetailApi(APIView):
    permission_classes = [IsStaff]

    @extend_schema(responses=MentorStaffSerializer, summary="One mentor")
    def get(self, request: Request, mentor_id: int) -> Response:
        return Response(MentorStaffSerializer(selectors.mentor_get_for_staff(staff=request.user, mentor_id=mentor_id)).data)

    @extend_schema(request=MentorVetSerializer, responses=MentorStaffSerializer, summary="Approve, suspend, or change capacity")
    def patch(self, request: Request, mentor_id: int) -> Response:
        profile = selectors.mentor_get_for_staff(staff=request.user, mentor_id=mentor_id)
        data = validated(MentorVetSerializer, request.data)
        profile = services.mentor_vet(
            staff=request.user, profile=profile, status=data.get("status"), capacity=data.get("capacity")
        )
        return Response(MentorStaffSerializer(profile).data)


# --- clients, care team, consent ------------------------------------------------------------


class ClientListApi(GenericAPIView):
    # API.md: clinicians (caseload), staff (organization), mentors (mentees). Family members
    # read what is shared with them per client, not a list of people.
    permission_classes = [has_role(Role.STAFF, Role.CLINICIAN, Role.MENTOR)]
    serializer_class = None
    queryset = User.objects.none()

    @extend_schema(responses=ClientSummarySerializer(many=True), summary="Clients I may see: caseload, organization, mentees")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.client_list_for_viewer(viewer=request.user))
        return self.get_paginated_response(client_rows(viewer=request.user, clients=list(page or [])))


class ClientDetailApi(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="A client's profile and engagement, as far as I may see them")
    def get(self, request: Request, client_id: int) -> Response:
        # The same checkpoint and the same answer as the client's page (views/clients.py).
        return Response(client_detail(access.client_page_for_viewer(viewer=request.user, client_id=client_id)))


class CareTeamApi(APIView):
    @extend_schema(responses=CareTeamMemberSerializer(many=True), summary="A client's current care team")
    def get(self, request: Request, client_id: int) -> Response:
        view = access.client_get_for_viewer(viewer=request.user, client_id=client_id)
        return Response(CareTeamMemberSerializer(selectors.care_team_for_viewer(view=view), many=True).data)

    @extend_schema(
        request=CareTeamAddSerializer,
        responses={201: CareTeamMemberSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Add a clinician, family member or mentor to a client's care team (staff, clinicians)",
    )
    def post(self, request: Request, client_id: int) -> Response:
        view = access.client_get_for_viewer(viewer=request.user, client_id=client_id)
        services.care_team_change_check(actor=request.user, client=view.client)  # 403 before reading the body
        data = validated(CareTeamAddSerializer, request.data)
        member = selectors.org_user_get(viewer=request.user, user_id=data["user"])
        if member is None:
            raise Invalid(_("Choose someone from this program."), field="user")
        membership = services.care_team_add(actor=request.user, client=view.client, member=member, role=data["role"])
        return Response(CareTeamMemberSerializer(membership).data, status=status.HTTP_201_CREATED)


class CareTeamMemberApi(APIView):
    @extend_schema(request=None, responses={204: None}, summary="End someone's place on a client's care team (staff, clinicians)")
    def delete(self, request: Request, client_id: int, membership_id: int) -> Response:
        view = access.client_get_for_viewer(viewer=request.user, client_id=client_id)
        services.care_team_change_check(actor=request.user, client=view.client)  # 403 before saying whether it exists
        membership = selectors.care_team_membership_get(client=view.client, membership_id=membership_id)
        services.care_team_end(actor=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ConsentListApi(GenericAPIView):
    permission_classes = [IsClient]
    serializer_class = ConsentSerializer
    queryset = ConsentGrant.objects.none()

    @extend_schema(responses=ConsentSerializer(many=True), summary="Consents I have given (active and past)")
    def get(self, request: Request) -> Response:
        return paginate(self, selectors.consents_for_client(client=request.user), ConsentSerializer)

    @extend_schema(
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, 400: OpenApiTypes.OBJECT},
        summary="Let someone on my care team see some of my records",
    )
    def post(self, request: Request) -> Response:
        data = validated(ConsentCreateSerializer, request.data)
        grantee = selectors.org_user_get(viewer=request.user, user_id=data["grantee"])
        if grantee is None:
            raise Invalid(_("Choose someone on your care team."), field="grantee")
        grant = services.consent_grant(
            client=request.user,
            grantee=grantee,
            scopes=data["scopes"],
            expires_at=data.get("expires_at"),
            purpose=data.get("purpose", ""),
            expiry_event=data.get("expiry_event", ""),
            signature=data.get("signature", ""),
        )
        return Response(ConsentSerializer(grant).data, status=status.HTTP_201_CREATED)


class ConsentRevokeApi(APIView):
    permission_classes = [IsClient]

    @extend_schema(request=None, responses=ConsentSerializer, summary="Revoke a consent; access ends immediately")
    def post(self, request: Request, consent_id: int) -> Response:
        grant = selectors.consent_get_for_client(client=request.user, consent_id=consent_id)
        grant = services.consent_revoke(client=request.user, grant=grant)
        return Response(ConsentSerializer(grant).data)


class AccessLogApi(GenericAPIView):
    permission_classes = [IsClient]
    serializer_class = AccessLogSerializer
    queryset = AccessLog.objects.none()

    @extend_schema(responses=AccessLogSerializer(many=True), summary="Who read which of my records, and when")
    def get(self, request: Request) -> Response:
        return paginate(self, selectors.access_log_for_client(client=request.user), AccessLogSerializer)


class AuditApi(GenericAPIView):
    permission_classes = [IsStaff]
    serializer_class = None
    queryset = AuditEvent.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("client", int), OpenApiParameter("actor", int)],
        responses=AuditEntrySerializer(many=True),
        summary="Audit trail (changes) and access log (reads) of my organization, newest first",
    )
    def get(self, request: Request) -> Response:
        query = validated(AuditQuerySerializer, request.query_params)
        client_id = query.get("client")
        if client_id is not None:
            client_id = access.client_get_for_viewer(viewer=request.user, client_id=client_id, log_as="audit").client.pk
        if query.get("actor") is not None and selectors.org_user_get(viewer=request.user, user_id=query["actor"]) is None:
            raise NotVisible()
        entries = selectors.audit_entries_for_staff(staff=request.user, client_id=client_id, actor_id=query.get("actor"))
        page = self.paginate_queryset(entries) or []
        if client_id is None:
            # Unfiltered, the page still reads members' records: each member on it is logged (M4).
            shown = [e["client"] for e in page if e.get("client")]
            access.access_log_record_many(
                viewer=request.user,
                clients=selectors.clients_by_ids(organization_id=request.user.org_id, ids=shown),
                resource="audit",
            )
        return self.get_paginated_response(page)
