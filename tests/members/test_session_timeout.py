"""Shared clinic computers: staff and clinicians are signed out after idle time; members are not."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

pytestmark = pytest.mark.django_db


def visit(client, when):
    with time_machine.travel(when, tick=False):
        return client.get("/api/v1/me/")


@pytest.mark.parametrize("persona", ["dr_reyes", "sam"])
def test_privileged_sessions_end_after_idle_minutes(client, persona, request, settings):
    settings.SESSION_IDLE_TIMEOUT_PRIVILEGED = 15 * 60
    user = request.getfixturevalue(persona)
    start = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(user)
    assert visit(client, start + timedelta(minutes=1)).status_code == 200
    assert visit(client, start + timedelta(minutes=14)).status_code == 200  # activity keeps it alive
    assert visit(client, start + timedelta(minutes=30)).status_code in (401, 403)  # 16 idle minutes


def test_member_sessions_are_not_cut_short(client, maya):
    start = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(maya)
    assert visit(client, start + timedelta(hours=3)).status_code == 200


@pytest.mark.parametrize("persona", ["dr_reyes", "sam"])
def test_privileged_sessions_also_end_at_an_absolute_cap_however_busy(client, persona, request, settings):
    settings.SESSION_IDLE_TIMEOUT_PRIVILEGED = 15 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT_PRIVILEGED = 12 * 60 * 60
    user = request.getfixturevalue(persona)
    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(user)
    minute = start
    while minute < start + timedelta(hours=11, minutes=50):  # busy all day: never idle
        minute += timedelta(minutes=10)
        assert visit(client, minute).status_code == 200
    assert visit(client, start + timedelta(hours=12, minutes=5)).status_code in (401, 403)
