"""Issue 13 (8): on a phone the header wrapped to 3–4 rows (172–212 of 844 px) and nav items
overlapped; now it is one row with "Menu", and the open menu lists every item without overlap."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def boxes(page):  # type: ignore[no-untyped-def]
    return page.eval_on_selector_all(
        ".site-nav li", "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )


def overlapping(rects):  # type: ignore[no-untyped-def]
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                return a, b
    return None


@pytest.mark.parametrize("width", [360, 390])
def test_the_phone_header_is_one_row_and_the_menu_opens(page, sign_in, sam, width):
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(sam)
    page.goto("/home/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 80
    menu = page.get_by_role("button", name="Menu")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="Program dashboard").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    page.get_by_role("link", name="Program dashboard").click()
    page.wait_for_url("**/dashboard/program/**")
    menu = page.get_by_role("button", name="Menu")
    menu.click()
    rects = boxes(page)
    assert len(rects) >= 8 and overlapping(rects) is None
    assert all(r[2] <= width for r in rects)
    screenshot(page, f"header-phone-{width}-open")
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"


def test_the_desktop_header_shows_every_item_without_a_menu(page, sign_in, sam):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(sam)
    page.goto("/home/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    rects = boxes(page)
    assert overlapping(rects) is None and all(r[2] <= 1280 for r in rects)
    assert page.locator(".site-header").bounding_box()["height"] <= 140  # the brand, then at most two rows of links
