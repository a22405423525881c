"""Web pages of the checkins app. Included from recovery_site/urls.py."""

from django.urls import path

from . import medication_views, views

urlpatterns = [
    path("checkin/", views.checkin, name="checkin"),
    path("progress/", views.progress, name="progress"),
    path("medications/", medication_views.medications, name="medications"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/<slug:slug>/", views.assessment, name="assessment"),
    path("clients/<int:client_id>/checkins/", views.client_timeline, name="client-timeline"),
    path(
        "clients/<int:client_id>/flags/<int:flag_id>/resolve/",
        views.risk_flag_resolve,
        name="risk-flag-resolve",
    ),
]
