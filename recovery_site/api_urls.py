"""/api/v1/: the HTTP contract of ../shared/API.md. Later issues add their apps' routes here."""

from django.urls import include, path, register_converter

from members import api as members_api
from notifications import api as notifications_api

from .converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    # accounts
    path("auth/token/", members_api.TokenObtainApi.as_view(), name="api-token"),
    path("auth/logout/", members_api.LogoutApi.as_view(), name="api-logout"),
    path("signup/", members_api.SignupApi.as_view(), name="api-signup"),
    path("me/", members_api.MeApi.as_view(), name="api-me"),
    path("me/profile/", members_api.ProfileApi.as_view(), name="api-me-profile"),
    path("me/export/", members_api.ExportApi.as_view(), name="api-me-export"),
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
    path("me/consents/", members_api.ConsentListApi.as_view(), name="api-consents"),
    path("me/consents/<id:consent_id>/revoke/", members_api.ConsentRevokeApi.as_view(), name="api-consent-revoke"),
    path("me/access-log/", members_api.AccessLogApi.as_view(), name="api-access-log"),
    path("audit/", members_api.AuditApi.as_view(), name="api-audit"),
    # notifications
    path("me/reminders/", notifications_api.RemindersApi.as_view(), name="api-reminders"),
    path("notifications/", notifications_api.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", notifications_api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path(
        "notifications/<id:notification_id>/read/",
        notifications_api.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
    # feature apps
    path("", include("groups.api_urls")),
    path("", include("checkins.api_urls")),
    path("", include("matching.api_urls")),
    path("", include("dashboard.api_urls")),
]
