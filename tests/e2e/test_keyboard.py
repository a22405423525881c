"""Issue 13 (3): keyboard-only journeys. A member checks in, and a facilitator takes attendance
for a whole group, with Tab, Shift+Tab, arrow keys, Space and Enter only (no mouse). At every
step the focused control shows a focus ring (an outline or box shadow on it or on the label that
draws it), and nothing sits on top of it: the sticky save bar of the attendance sheet used to
cover the row being marked on a phone."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from checkins.models import CheckIn
from groups import services
from groups.models import Attendance, Session
from members.choices import Role
from tests.e2e.conftest import screenshot
from tests.e2e.test_checkins import sign_in_with_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# What the focused control looks like: which element draws its ring (a visually hidden radio's
# label or the span beside it), whether a ring is drawn, and what is on top of the ring's centre.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: 'body'};
  const ring = c => {
    const s = getComputedStyle(c), r = c.getBoundingClientRect();
    const seen = parseFloat(s.opacity) > 0 && r.width > 2 && r.height > 2;  // a ring on a see-through 1 px radio is no ring
    return seen && ((s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none');
  };
  const drawn = [el, el.nextElementSibling, el.closest('label')].filter(Boolean);
  const drawer = drawn.find(ring);
  const box = (drawer || el).getBoundingClientRect();
  const x = box.left + box.width / 2, y = box.top + box.height / 2;
  const hit = document.elementFromPoint(x, y);
  const owner = drawer || el;
  const mine = hit && (owner.contains(hit) || hit.contains(owner) || el.contains(hit) || (el.labels && [...el.labels].some(l => l.contains(hit))));
  return {
    tag: el.tagName.toLowerCase(), type: el.type || '', name: el.name || '', value: el.value || '',
    text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 40),
    ring: Boolean(drawer), inView: y >= 0 && y <= innerHeight && x >= 0 && x <= innerWidth,
    covered: !mine, on: hit ? (hit.className || hit.tagName) : null,
    box: [Math.round(box.top), Math.round(box.bottom)], scrollY: Math.round(scrollY),
  };
}"""


def focus(page) -> dict:  # type: ignore[no-untyped-def]
    """The focused control, asserted visible and uncovered."""
    found = page.evaluate(FOCUS)
    if found["tag"] != "body":
        assert found["ring"], f"no focus ring on {found}"
        assert found["inView"] and not found["covered"], f"focus hidden: {found}"
    return found


def press(page, key: str) -> dict:  # type: ignore[no-untyped-def]
    page.keyboard.press(key)
    return focus(page)


def tab_to(page, match, limit: int = 60, key: str = "Tab") -> dict:  # type: ignore[no-untyped-def]
    for _ in range(limit):
        found = press(page, key)
        if match(found):
            return found
    raise AssertionError(f"never reached the control ({key} × {limit})")


def choose(page, name: str, value: str) -> None:  # type: ignore[no-untyped-def]
    """In the focused radio group, arrow to `value` (arrows move and check, as in any radio group)."""
    for _ in range(12):
        found = focus(page)
        if found["name"] == name and found["value"] == value:
            if not page.evaluate("document.activeElement.checked"):
                press(page, "Space")
            return
        press(page, "ArrowRight")
    raise AssertionError(f"{name}={value} not reachable with arrows")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_member_checks_in_with_the_keyboard_only(page, live_server, maya, width):
    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 800})
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/checkin/")
    page.get_by_role("heading", name="How are you today?").wait_for()
    tab_to(page, lambda f: f["name"] == "mood")
    choose(page, "mood", "4")
    press(page, "Tab")
    choose(page, "craving", "3")
    press(page, "Tab")
    choose(page, "used", "no")
    tab_to(page, lambda f: f["name"] == "connected")
    press(page, "Space")
    note = tab_to(page, lambda f: f["name"] == "note")
    assert note["tag"] == "textarea"
    page.keyboard.type("Walked with my sister.")
    # Shift+Tab goes back and forth without losing the answers.
    press(page, "Shift+Tab")
    press(page, "Tab")
    submit = tab_to(page, lambda f: f["tag"] == "button" and "Check in" in f["text"])
    assert submit["type"] == "submit"
    screenshot(page, f"keyboard-checkin-{width}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("heading", name="Thanks for checking in").wait_for()
    checkin = CheckIn.objects.get(client=maya)
    assert (checkin.mood, checkin.craving, checkin.used, checkin.connected, checkin.note) == (
        4,
        3,
        "no",
        True,
        "Walked with my sister.",
    )
    assert not checkin.need_support
    # and onward from the answer, still by keyboard
    tab_to(page, lambda f: f["tag"] == "a" and "See my progress" in f["text"])


@pytest.mark.parametrize("width", [390, 1280])
def test_a_facilitator_takes_attendance_with_the_keyboard_only(page, live_server, org, jordan, dr_reyes, width):
    chicago = ZoneInfo("America/Chicago")
    start = (timezone.now().astimezone(chicago) - timedelta(days=3)).replace(hour=7, minute=0, second=0, microsecond=0)
    group = services.group_create(
        actor=dr_reyes,
        data={
            "name": "Morning circle",
            "kind": "peer_support",
            "timezone": "America/Chicago",
            "rrule": "FREQ=DAILY",
            "start_local": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "location": "Riverbend community room",
            "address": "200 River Rd, Springfield, IL 62701, USA",
            "facilitators": [jordan.pk],
            "capacity": 20,
        },
    )
    services.sessions_materialize(group=group, since=timezone.now() - timedelta(days=2), until=timezone.now())
    session = Session.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("-starts_at").first()
    names = ["Alex", "Bea", "Cruz", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "June", "Kai", "Lou"]
    people = [UserFactory(organization=org, role=Role.CLIENT, display_name=n) for n in names]
    for person in people:
        services.enrollment_join(actor=person, group=group, member=person)
    wanted = {
        p.pk: ("late" if i % 4 == 1 else "absent" if i % 4 == 2 else "excused" if i == 11 else "present")
        for i, p in enumerate(people)
    }

    page.set_viewport_size({"width": width, "height": 844 if width < 800 else 800})
    sign_in_with_session(page, live_server, jordan)
    page.goto(f"{live_server.url}/groups/sessions/{session.pk}/attendance/")
    page.get_by_role("heading", name="Attendance").wait_for()
    tab_to(page, lambda f: f["name"].startswith("status-"))
    for i, person in enumerate(people):
        if i:
            press(page, "Tab")
        choose(page, f"status-{person.pk}", wanted[person.pk])
    save = press(page, "Tab")
    assert save["tag"] == "button" and "Save attendance" in save["text"]
    screenshot(page, f"keyboard-attendance-{width}")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_text("Attendance saved for 12 people").wait_for()
    recorded = {a.member_id: a.status for a in Attendance.objects.filter(session=session)}
    assert recorded == wanted
