"""/api/v1/ routes of the members app (API.md "Accounts" and "Care team, consent, access log")."""

from django.urls import path

from . import api as members_api
from . import api_family as family_api
from . import api_security as security_api

urlpatterns = [
    # accounts
    path("auth/token/", members_api.TokenObtainApi.as_view(), name="api-token"),
    path("auth/logout/", members_api.LogoutApi.as_view(), name="api-logout"),
    path("signup/", members_api.SignupApi.as_view(), name="api-signup"),
    path("me/", members_api.MeApi.as_view(), name="api-me"),
    path("me/profile/", members_api.ProfileApi.as_view(), name="api-me-profile"),
    path("me/export/", members_api.ExportApi.as_view(), name="api-me-export"),
    path("me/password/", security_api.PasswordChangeApi.as_view(), name="api-me-password"),
    path("me/two-factor/", security_api.TwoFactorApi.as_view(), name="api-two-factor"),
    path("me/two-factor/confirm/", security_api.TwoFactorConfirmApi.as_view(), name="api-two-factor-confirm"),
    path("users/", members_api.UserListApi.as_view(), name="api-users"),
    path("users/<id:user_id>/", members_api.UserDetailApi.as_view(), name="api-user"),
    path("mentors/", members_api.MentorListApi.as_view(), name="api-mentors"),
    path("mentors/<id:mentor_id>/", members_api.MentorDetailApi.as_view(), name="api-mentor"),
    # care team, consent, access log
    path("clients/", members_api.ClientListApi.as_view(), name="api-clients"),
    path("clients/<id:client_id>/", members_api.ClientDetailApi.as_view(), name="api-client"),
    path("clients/<id:client_id>/care-team/", members_api.CareTeamApi.as_view(), name="api-care-team"),
    path(
        "clients/<id:client_id>/care-team/<id:membership_id>/",
        members_api.CareTeamMemberApi.as_view(),
        name="api-care-team-member",
    ),
    path("me/care-team/", family_api.MyCareTeamApi.as_view(), name="api-my-care-team"),
    path("me/care-team/invite/", family_api.FamilyInviteApi.as_view(), name="api-family-invite"),
    path("me/care-team/<id:membership_id>/", family_api.MyCareTeamMemberApi.as_view(), name="api-my-care-team-member"),
    path("me/consents/", members_api.ConsentListApi.as_view(), name="api-consents"),
    path("me/consents/<id:consent_id>/revoke/", members_api.ConsentRevokeApi.as_view(), name="api-consent-revoke"),
    path("me/access-log/", members_api.AccessLogApi.as_view(), name="api-access-log"),
    path("me/disclosures/", security_api.DisclosuresApi.as_view(), name="api-disclosures"),
    path("audit/", members_api.AuditApi.as_view(), name="api-audit"),
]
