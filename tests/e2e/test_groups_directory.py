"""A member finds a group, joins it, and finds it in "My groups" with her calendar link; the
next person joins the waitlist."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from groups import services
from groups.models import Enrollment
from members.choices import Role
from tests.e2e.conftest import screenshot
from tests.e2e.test_groups_attendance import sign_in_with_cookie
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_member_joins_a_group_and_the_next_one_is_waitlisted(browser, live_server, org, maya, dr_reyes):
    group = services.group_create(
        actor=dr_reyes,
        data={
            "name": "Thursday SMART",
            "kind": "smart",
            "capacity": 1,
            "timezone": "America/Chicago",
            "rrule": "FREQ=WEEKLY;BYDAY=TH",
            "start_local": "2026-01-01T18:30",
            "duration_minutes": 90,
            "address": "412 Main St, Springfield, IL",
        },
    )
    context = browser.new_context(viewport={"width": 360, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    sign_in_with_cookie(page, live_server, maya)
    page.goto("/groups/?kind=smart")
    expect(page.get_by_text("Every Thursday at 6:30 pm")).to_be_visible()
    page.get_by_role("button", name="Join Thursday SMART").click()
    page.wait_for_load_state()
    expect(page.get_by_text("You joined Thursday SMART")).to_be_visible()
    page.goto("/groups/mine/")
    expect(page.get_by_role("heading", name="Thursday SMART")).to_be_visible()
    assert "/calendar/" in page.get_by_label("Your calendar link").input_value()
    screenshot(page, "groups-my-groups")
    context.close()

    other = UserFactory(organization=org, role=Role.CLIENT, display_name="Ravi")
    context = browser.new_context(viewport={"width": 360, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    sign_in_with_cookie(page, live_server, other)
    page.goto("/groups/")
    page.get_by_role("button", name="Join the waitlist for Thursday SMART").click()
    page.wait_for_load_state()
    expect(page.get_by_text("number 1 on the waitlist")).to_be_visible()
    screenshot(page, "groups-directory")
    context.close()
    assert dict(Enrollment.objects.filter(group=group).values_list("member__display_name", "status")) == {
        "Maya": "enrolled",
        "Ravi": "waitlisted",
    }
