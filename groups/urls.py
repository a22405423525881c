"""Web pages of the groups app. Included from recovery_site/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("groups/", views.directory, name="groups-directory"),
    path("groups/mine/", views.my_groups, name="my-groups"),
    path("groups/mine/calendar/rotate/", views.calendar_rotate, name="groups-calendar-rotate"),
    path("groups/<int:group_id>/join/", views.join, name="groups-join"),
    path("groups/<int:group_id>/leave/", views.leave, name="groups-leave"),
    path("groups/manage/", views.manage, name="groups-manage"),
    path("groups/manage/new/", views.group_edit, name="groups-create"),
    path("groups/manage/<int:group_id>/", views.roster, name="groups-roster"),
    path("groups/manage/<int:group_id>/edit/", views.group_edit, name="groups-edit"),
    path("groups/manage/<int:group_id>/archive/", views.group_archive, name="groups-archive"),
    path("groups/manage/<int:group_id>/enroll/", views.roster_enroll, name="groups-roster-enroll"),
    path("groups/manage/<int:group_id>/remove/<int:member_id>/", views.roster_remove, name="groups-roster-remove"),
    path("groups/sessions/<int:session_id>/attendance/", views.attendance, name="groups-attendance"),
    path("groups/sessions/<int:session_id>/cancel/", views.session_cancel, name="groups-session-cancel"),
    path("calendar/<str:token>.ics", views.calendar_ics, name="groups-calendar-ics"),
    path("o/<slug:org_slug>/", views.organization_page, name="organization-public"),
    path("o/<slug:org_slug>/meetings.json", views.meetings_json, name="organization-meetings-json"),
]
