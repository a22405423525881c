from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from groups.models import RecoveryGroup, Session

pytestmark = pytest.mark.django_db


def test_bench_groups_reports_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command("bench_groups", "--groups", "20", "--days", "30", stdout=out)
    text = out.getvalue()
    assert "materialize: 20 groups x 30 days ->" in text
    # 3 reads (the last 12 held sessions, the enrollments, their marks, from which the counts
    # are tallied) and the access-log insert (staff read every member's attendance).
    assert "roster: 40 members, 480 attendance rows over 12 weeks -> 4 queries" in text
    assert not RecoveryGroup.objects.exists() and not Session.objects.exists()
