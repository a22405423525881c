from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.inbox, name="notifications"),
    path("notifications/<int:notification_id>/read/", views.mark_read, name="notification-read"),
    path("notifications/read-all/", views.mark_all_read, name="notifications-read-all"),
    path("settings/reminders/", views.reminders, name="reminders"),
    path("staff/outbox/", views.ops_outbox, name="ops-outbox"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
