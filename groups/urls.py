"""Web pages of the groups app. Included from recovery_site/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
