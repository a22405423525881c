"""Web pages of the dashboards. Included from recovery_site/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.caseload, name="dashboard-caseload"),
    path("dashboard/program/", views.program, name="dashboard-program"),
    path("dashboard/program.csv", views.program_csv, name="dashboard-program-csv"),
]
