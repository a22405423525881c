"""Web pages of the dashboards. Included from recovery_site/urls.py."""

from django.urls import path

from . import views, views_family

urlpatterns = [
    path("family/", views_family.family_home, name="family-home"),
    path("dashboard/", views.caseload, name="dashboard-caseload"),
    path("dashboard/program/", views.program, name="dashboard-program"),
    path("dashboard/program.csv", views.program_csv, name="dashboard-program-csv"),
]
