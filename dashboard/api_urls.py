from django.urls import path

from . import api

urlpatterns = [
    path("dashboard/caseload/", api.CaseloadApi.as_view(), name="api-dashboard-caseload"),
    path("dashboard/program/", api.ProgramApi.as_view(), name="api-dashboard-program"),
]
