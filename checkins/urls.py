"""Web pages of the checkins app. Included from recovery_site/urls.py."""

from django.urls import path

from . import medication_views, views, views_family

urlpatterns = [
    path("checkin/", views.checkin, name="checkin"),
    path("progress/", views.progress, name="progress"),
    path("testing/", views_family.testing, name="testing"),
    path("family/checkin/", views_family.family_checkin, name="family-checkin"),
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
