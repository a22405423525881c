"""Browser journey on a 390 px phone: a hard check-in answers with her own backup plan, she
opens her plan from the navigation, adds a goal and a step and marks the step done."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from plans.models import Goal, Plan, Step
from tests.e2e.conftest import open_menu, screenshot
from tests.e2e.test_checkins import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_hard_day_answers_with_her_plan_and_she_writes_a_goal(page, live_server, maya):
    Plan.objects.create(
        organization=maya.organization,
        client=maya,
        coping_steps=["Walk to the river"],
        people=[{"name": "Lee", "phone": "312-555-0101"}],
    )
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/checkin/")
    page.get_by_text("Low", exact=True).click()
    page.get_by_role("radiogroup", name="Cravings today").get_by_text("8", exact=True).click()
    page.get_by_role("button", name="Check in").click()
    page.get_by_role("heading", name="For a day like today").wait_for()
    expect(page.get_by_text("Walk to the river")).to_be_visible()
    expect(page.get_by_role("link", name="Call Lee")).to_have_attribute("href", "tel:3125550101")
    screenshot(page, "checkin-support-phone")

    open_menu(page)
    page.get_by_role("navigation").get_by_role("link", name="My plan").click()
    page.get_by_role("heading", name="My plan", exact=True).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # With no goals yet, the form is already open.
    page.get_by_label("Goal", exact=True).fill("Call my sister every Sunday")
    page.get_by_label("Area of life").select_option("social")
    page.get_by_role("button", name="Add goal").click()
    page.get_by_role("heading", name="Call my sister every Sunday").wait_for()
    page.get_by_text("Add a step or change this goal").click()
    page.get_by_label("A small next step").fill("Put it in my phone calendar")
    page.get_by_role("button", name="Add step").click()
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_text("Step done. Nice work.")).to_be_visible()
    screenshot(page, "plan-phone")
    goal = Goal.objects.get(client=maya)
    assert goal.domain == "social" and Step.objects.get(goal=goal).done_at is not None
