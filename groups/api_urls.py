"""/api/v1/ routes of the groups app (API.md). Included from recovery_site/api_urls.py."""

from django.urls import path

from . import api

urlpatterns = [
    path("groups/", api.GroupListApi.as_view(), name="api-groups"),
    path("groups/<id:group_id>/", api.GroupDetailApi.as_view(), name="api-group"),
    path("groups/<id:group_id>/sessions/", api.GroupSessionsApi.as_view(), name="api-group-sessions"),
    path("groups/<id:group_id>/enroll/", api.GroupEnrollApi.as_view(), name="api-group-enroll"),
    path("groups/<id:group_id>/leave/", api.GroupLeaveApi.as_view(), name="api-group-leave"),
    path("groups/<id:group_id>/roster/", api.GroupRosterApi.as_view(), name="api-group-roster"),
    path("sessions/<id:session_id>/attendance/", api.SessionAttendanceApi.as_view(), name="api-session-attendance"),
    path("sessions/<id:session_id>/cancel/", api.SessionCancelApi.as_view(), name="api-session-cancel"),
    path("sessions/<id:session_id>/move/", api.SessionMoveApi.as_view(), name="api-session-move"),
    path("me/calendar/", api.MyCalendarApi.as_view(), name="api-my-calendar"),
    path("meeting-types/", api.MeetingTypeListApi.as_view(), name="api-meeting-types"),
]
