"""seed_demo leaves the demo dashboards filled: the rollups are rebuilt after every builder."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from checkins.models import CheckIn
from members.choices import Role
from members.models import Organization, User

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_program_and_caseload_dashboards():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    org = Organization.objects.get(slug="demo")
    staff = User.objects.filter(organization=org, role=Role.STAFF).first()
    api = APIClient()
    api.force_authenticate(staff)
    body = api.get("/api/v1/dashboard/program/").json()
    assert body["active_members"] > 0
    assert body["checkin_adherence"] is not None and body["checkin_adherence"] > 0
    week_checkins = sum(w["checkins"] for w in body["weekly"])
    assert week_checkins > 0
    recent = CheckIn.objects.filter(organization=org, local_date__gte=body["from"], local_date__lte=body["to"])
    assert week_checkins == recent.count()
    rows = api.get("/api/v1/dashboard/caseload/").json()["results"]
    assert any(r["checkin_adherence_30d"] for r in rows)
