"""Browser journeys: Python Playwright driving Debian's Chromium (/usr/bin/chromium) against
pytest-django's live server. Playwright's own browser download is never used (no network)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.conftest import chromium_path

# The demo program's personas (`seed_demo`), one a role; every demo password is DEMO_PASSWORD.
DEMO_PERSONAS = {
    "member": "maya@demo.kinship.test",
    "mentor": "jordan@demo.kinship.test",
    "clinician": "reyes@demo.kinship.test",
    "staff": "sam@demo.kinship.test",
    "family": "lee@demo.kinship.test",
}

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR", "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        pytest.skip("needs Chromium at /usr/bin/chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def sign_in(page, live_server):  # type: ignore[no-untyped-def]
    """sign_in(user, password) fills the real sign-in form."""

    def _sign_in(user, password: str = "Sturdy-pass-2026") -> None:  # type: ignore[no-untyped-def]
        page.goto(live_server.url + "/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()

    return _sign_in


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot when SCREENSHOT_DIR is set (for looking at pages)."""
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def open_menu(page) -> None:  # type: ignore[no-untyped-def]
    """On a phone the navigation sits behind "Menu" (templates/base.html): open it if it is shut."""
    page.wait_for_load_state("domcontentloaded")  # kinship.js (deferred) has folded the menu by then
    menu = page.locator(".menu-toggle")
    if menu.is_visible() and menu.get_attribute("aria-expanded") != "true":
        menu.click()
