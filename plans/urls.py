"""Web pages of the plans app. Included from recovery_site/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("plan/", views.my_plan, name="my-plan"),
    path("clients/<int:client_id>/plan/", views.client_plan, name="client-plan"),
]
