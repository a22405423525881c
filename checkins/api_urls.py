"""/api/v1/ routes of the checkins app (API.md). Included from recovery_site/api_urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
