"""Program staff keep the directory and the curriculum in the browser: from the list, Edit, change,
save and land back on the list with a confirmation; a module's body is previewed before saving.
On a phone (390 px) and a desktop (1280 px) nothing overflows the page sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from resources.models import Module, Resource
from tests.e2e.conftest import screenshot
from tests.e2e.test_groups_attendance import sign_in_with_cookie

pytestmark = pytest.mark.e2e

WIDTHS = (390, 1280)


def no_sideways_scroll(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_edit_a_resource_from_the_directory(browser, live_server, org, sam, width):
    Resource.objects.create(organization=org, name="Food pantry", category="food", languages=["en"])
    housing = Resource.objects.create(
        organization=org, name="Casa Nueva", category="housing", languages=["es", "en"], phone="312-555-0110"
    )
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    sign_in_with_cookie(page, live_server, sam)
    page.goto("/resources/manage/")
    no_sideways_scroll(page)
    screenshot(page, f"resources-manage-{width}")
    page.get_by_role("link", name="Edit Casa Nueva").click()
    expect(page.get_by_role("heading", name="Edit Casa Nueva")).to_be_visible()
    expect(page.get_by_label("Phone")).to_have_value("312-555-0110")
    page.get_by_label("Website").fill("casanueva.example.org")  # no scheme: refused, kept
    page.get_by_label("Hours").fill("Mon–Fri 9–5")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Give a web address that starts with https://")).to_be_visible()
    expect(page.get_by_label("Hours")).to_have_value("Mon–Fri 9–5")
    no_sideways_scroll(page)
    screenshot(page, f"resource-edit-error-{width}")
    page.get_by_label("Website").fill("https://casanueva.example.org")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved your changes to Casa Nueva.")).to_be_visible()
    assert page.url.endswith("/resources/manage/")
    context.close()
    housing.refresh_from_db()
    assert housing.url == "https://casanueva.example.org" and housing.hours == "Mon–Fri 9–5"


@pytest.mark.parametrize("width", WIDTHS)
def test_staff_preview_and_save_a_module(browser, live_server, org, sam, width):
    module = Module.objects.create(
        organization=org, week=1, title="Welcome", summary="You belong here.", body="Hello.", activities=["Say hi"]
    )
    Module.objects.create(organization=org, week=2, title="Naming your reasons")
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    sign_in_with_cookie(page, live_server, sam)
    page.goto("/curriculum/manage/")
    no_sideways_scroll(page)
    screenshot(page, f"curriculum-manage-{width}")
    page.get_by_role("link", name="Edit week 1").click()
    expect(page.get_by_label("Title")).to_have_value("Welcome")
    page.get_by_label("Body (Markdown)").fill("## Start here\n\nOne **day** at a time.\n\n- Breathe\n- Call someone")
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".module-preview")
    expect(preview.get_by_role("heading", name="Start here")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("day")
    expect(page.get_by_label("Body (Markdown)")).to_have_value(
        "## Start here\n\nOne **day** at a time.\n\n- Breathe\n- Call someone"
    )
    no_sideways_scroll(page)
    screenshot(page, f"module-edit-preview-{width}")
    module.refresh_from_db()
    assert module.body == "Hello."  # a preview saves nothing
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved your changes to week 1.")).to_be_visible()
    context.close()
    module.refresh_from_db()
    assert module.body.startswith("## Start here")
