"""/api/v1/ routes of the checkins app (API.md). Included from recovery_site/api_urls.py."""

from django.urls import path

from . import api, api_family, medications_api

urlpatterns = [
    path("checkins/", api.CheckInListApi.as_view(), name="api-checkins"),
    path("assessments/", api.AssessmentListApi.as_view(), name="api-assessments"),
    path("assessments/due/", api.AssessmentsDueApi.as_view(), name="api-assessments-due"),
    path("family/checkins/", api_family.FamilyCheckInListApi.as_view(), name="api-family-checkins"),
    path("test-results/", api_family.TestResultListApi.as_view(), name="api-test-results"),
    path("me/testing/", api_family.TestingScheduleApi.as_view(), name="api-me-testing"),
    path("risk-flags/", api.RiskFlagListApi.as_view(), name="api-risk-flags"),
    path("me/medications/", medications_api.MyMedicationsApi.as_view(), name="api-my-medications"),
    path("risk-flags/<id:flag_id>/resolve/", api.RiskFlagResolveApi.as_view(), name="api-risk-flag-resolve"),
]
