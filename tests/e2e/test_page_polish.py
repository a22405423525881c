"""Small things a member sees: fields and cards that look like the rest of the app."""

from __future__ import annotations

import pytest

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
