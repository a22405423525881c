"""The benchmark's setup (the run itself needs gunicorn, wrk and PostgreSQL: `manage.py bench_checkins`)."""

import pytest

from checkins.models import CheckIn
from devtools.bench import checkins as bench
from members.models import User

pytestmark = pytest.mark.django_db


def test_prepare_makes_members_with_tokens_and_valid_days_and_starts_empty():
    tokens, days = bench.prepare(clients=5)
    assert len(set(tokens)) == 5 and len(days) == 7
    again, _ = bench.prepare(clients=5)
    assert len(set(again) | set(tokens)) == 10  # same members, a fresh sign-in token each run
    assert User.objects.filter(organization__slug=bench.BENCH_SLUG).count() == 5
    assert not CheckIn.objects.exists()
    me, checkin = bench.write_scripts(tokens, days)
    assert tokens[0] in checkin.read_text() and "/api/v1/checkins/" in checkin.read_text()
    assert "/api/v1/me/" in me.read_text()
