from django.urls import path

from . import api, api_family

urlpatterns = [
    path("family/shared/", api_family.FamilySharedApi.as_view(), name="api-family-shared"),
    path("dashboard/caseload/", api.CaseloadApi.as_view(), name="api-dashboard-caseload"),
    path("dashboard/program/", api.ProgramApi.as_view(), name="api-dashboard-program"),
]
