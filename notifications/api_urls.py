"""/api/v1/ routes of the notifications app (API.md "reminders, notifications")."""

from django.urls import path

from . import api as notifications_api

urlpatterns = [
    # notifications
    path("me/reminders/", notifications_api.RemindersApi.as_view(), name="api-reminders"),
    path("notifications/", notifications_api.NotificationListApi.as_view(), name="api-notifications"),
    path("notifications/read-all/", notifications_api.NotificationReadAllApi.as_view(), name="api-notifications-read-all"),
    path(
        "notifications/<id:notification_id>/read/",
        notifications_api.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
    # operations (staff)
    path("ops/outbox/", notifications_api.OutboxApi.as_view(), name="api-ops-outbox"),
]
