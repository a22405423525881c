"""/api/v1/ routes of the messaging app (API.md "Conversations"). Included from recovery_site/api_urls.py."""

from django.urls import path

from . import api

urlpatterns: list = [
    path("conversations/", api.ConversationListApi.as_view(), name="api-conversations"),
    path("conversations/<id:conversation_id>/messages/", api.MessageListApi.as_view(), name="api-conversation-messages"),
    path("conversations/<id:conversation_id>/read/", api.ConversationReadApi.as_view(), name="api-conversation-read"),
    path("messages/<id:message_id>/report/", api.MessageReportApi.as_view(), name="api-message-report"),
    path("moderation/reports/", api.ModerationReportListApi.as_view(), name="api-moderation-reports"),
    path("moderation/reports/<id:report_id>/resolve/", api.ModerationReportResolveApi.as_view(), name="api-moderation-resolve"),
]
