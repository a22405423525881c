"""Small things a member sees: fields and cards that look like the rest of the app."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.e2e.conftest import screenshot
from tests.e2e.test_checkins import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

BOX = ["borderTopWidth", "borderTopStyle", "borderTopColor", "borderRadius", "paddingTop", "paddingLeft", "minHeight", "width"]
LOOK = "(el, keys) => { const s = getComputedStyle(el); return Object.fromEntries(keys.map(k => [k, s[k]])); }"


def test_a_field_written_without_a_type_looks_like_the_other_fields(page, live_server, maya):
    """Her plan's "Goal" is `<input name="title">` (text is the default type): it had the
    browser's thin grey box and no padding, unlike "By when" just below it."""
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/plan/")
    goal, due = page.get_by_label("Goal", exact=True), page.get_by_label("By when (optional)")
    screenshot(page, "plan-goal-field")
    assert goal.get_attribute("type") is None and due.get_attribute("type") == "date"
    looks = goal.evaluate(LOOK, BOX)
    assert looks == due.evaluate(LOOK, BOX)
    assert looks["minHeight"] == "44px" and looks["borderTopColor"] == "rgb(138, 148, 153)"  # the app's field, not the browser's


def test_the_public_program_page_styles_its_resource_cards(page, live_server):
    """/o/demo/ lists the program's community resources: like on the member's directory, a plain
    list of cards, not bullets indented by the browser."""
    call_command("seed_demo", verbosity=0)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/o/demo/")
    page.wait_for_load_state("load")  # the section's stylesheet is in
    screenshot(page, "organization-resources")
    cards = page.locator(".resource-list > li")
    assert cards.count() >= 3
    lists = page.locator(".resource-list").evaluate(LOOK, ["listStyleType", "paddingLeft"])
    assert lists == {"listStyleType": "none", "paddingLeft": "0px"}
    card = cards.first.evaluate(LOOK, ["backgroundColor", "borderTopWidth", "paddingTop"])
    assert card["backgroundColor"] == "rgb(255, 255, 255)" and card["borderTopWidth"] == "1px" and card["paddingTop"] == "16px"
