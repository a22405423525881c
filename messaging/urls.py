"""Web pages of the messaging app. Included from recovery_site/urls.py."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:conversation_id>/", views.conversation, name="conversation"),
    path("messages/with/<int:user_id>/", views.conversation_with, name="conversation-with"),
    path("messages/report/<int:message_id>/", views.message_report, name="message-report"),
    path("staff/moderation/", views.moderation_queue, name="moderation-queue"),
]
