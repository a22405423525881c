"""The benchmark command builds its organization and times every dashboard (small sizes here)."""

from __future__ import annotations

import io

from django.core.management import call_command

from checkins.models import CheckIn
from members.choices import Role
from members.models import CareTeamMember, User


def test_bench_dashboard_builds_data_and_reports_timings(db):
    out = io.StringIO()
    call_command("bench_dashboard", clients=40, days=21, caseload=10, runs=1, stdout=out)
    text = out.getvalue()
    assert "caseload, clinician (10 clients)" in text and "program, staff, last 90 days" in text
    # Caseload ×3 and program ×3 (30, 90, 365 days): one timing and at least one target line each.
    assert text.count(" median ") == 6 and text.count("\ntarget ") >= 6
    clients = User.objects.filter(organization__slug="bench-dashboard", role=Role.CLIENT)
    assert clients.count() == 40
    assert CheckIn.objects.filter(client__in=clients).exists()
    assert CareTeamMember.objects.filter(client__in=clients, role="clinician").count() == 10
    # --reuse times what is there instead of building again.
    call_command("bench_dashboard", reuse=True, runs=1, stdout=io.StringIO())
    assert User.objects.filter(organization__slug="bench-dashboard", role=Role.CLIENT).count() == 40
    # A second run starts from scratch instead of piling up.
    call_command("bench_dashboard", clients=30, days=14, caseload=5, runs=1, stdout=io.StringIO())
    assert User.objects.filter(organization__slug="bench-dashboard", role=Role.CLIENT).count() == 30
