"""WCAG 1.4.4 (resize text) and 1.4.10 (reflow): a 1280×800 screen zoomed to 200% is a 640×400
CSS px viewport at two device pixels each. Key pages of every demo persona, in English and in
Spanish (its longer words): nothing scrolls sideways, no text is cut off, the h1 and the page's
main action can be scrolled to and are not covered, the header folds behind "Menu" whose links
all open, and nothing that stays on screen (header, save bar, composer) takes more than a third
of the 400 px."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from groups.models import Session
from members.models import User
from messaging.models import Conversation
from tests.e2e.conftest import DEMO_PERSONAS, open_menu, screenshot
from tests.e2e.test_checkins import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

ZOOM_200 = {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2}
MAYA = DEMO_PERSONAS["member"]


def _maya() -> User:
    return User.objects.get(email=MAYA)


def _maya_and_jordan() -> str:
    conversation = Conversation.objects.get(match__client__email=MAYA, match__mentor__email=DEMO_PERSONAS["mentor"])
    return reverse("conversation", args=[conversation.pk])


def _last_tuesday_smart() -> str:
    session = (
        Session.objects.filter(group__name="SMART Recovery Tuesday", starts_at__lt=timezone.now()).order_by("-starts_at").first()
    )
    assert session is not None
    return reverse("groups-attendance", args=[session.pk])


# persona -> (page, the page's main action). A page is a path or, for demo rows, a function of the
# seeded data. The first page of each signed-in persona also checks the menu.
Page = tuple[str | Callable[[], str], str]
PAGES: dict[str, list[Page]] = {
    "anonymous": [("/", ".hero .btn--primary"), ("/o/demo/", ".page-header .btn")],
    "member": [
        ("/home/", "main .split .grid a.card"),
        ("/checkin/", ".checkin-form button[type=submit]"),
        (_maya_and_jordan, ".chat__composer button[type=submit]"),
    ],
    "mentor": [("/proposals/", "main .btn--primary"), (_last_tuesday_smart, ".sticky-save .btn--primary")],
    "clinician": [("/clients/", "main tbody a, main .people-list a"), (lambda: f"/clients/{_maya().pk}/", "main .btn--primary")],
    "family": [("/home/", "main a.card[href='/family/checkin/']"), ("/family/checkin/", ".checkin-form button[type=submit]")],
    "staff": [("/dashboard/program/", "main .btn--primary"), ("/staff/users/", "main .btn--primary")],
}

# Everything a zoomed page can get wrong that the test can measure, as a list of problems.
REFLOW_PROBLEMS = """() => {
  const W = innerWidth, H = innerHeight, problems = [];
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) { if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  scrollTo(0, 0);
  if (document.documentElement.scrollWidth > W + 1) {
    const spills = el => el.getBoundingClientRect().right > W + 1 || (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1);
    const all = [...document.querySelectorAll('body *')].filter(el => spills(el) && !inScroller(el));
    const wide = all.filter(a => !all.some(b => b !== a && a.contains(b))).slice(0, 3).map(name);  // the innermost
    problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + W + ' px (' + wide.join(', ') + ')');
  }
  // WCAG lets a data table scroll on its own, but these pages' tables have a few columns that fit
  // in 640 px: a last column cut at the edge of its box is easy to miss.
  for (const el of document.querySelectorAll('main *')) {
    if (['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
      problems.push(name(el) + ' scrolls sideways: ' + el.scrollWidth + ' > ' + el.clientWidth + ' px');
  }
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el), text = (el.textContent || '').trim();
    if (!text || el.clientWidth <= 1 || el.clientHeight <= 1) continue;  // empty, or visually hidden on purpose
    const clipsX = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis', clipsY = ['hidden', 'clip'].includes(s.overflowY);
    if ((clipsX && el.scrollWidth > el.clientWidth + 1) || (clipsY && el.scrollHeight > el.clientHeight + 1))
      problems.push('text cut off in ' + name(el) + ': "' + text.slice(0, 40) + '"');
  }
  // Text in a chart scales with its viewBox, not with the zoom: at 200% it must still be drawn at
  // least as large as the app's smallest text (.75rem, 12 px).
  for (const t of document.querySelectorAll('svg text')) {
    const svg = t.closest('svg'), box = t.getBoundingClientRect();
    if (!box.width || getComputedStyle(svg).display === 'none') continue;
    const px = parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a;
    if (px < 11.5) { problems.push('chart text "' + t.textContent.trim() + '" is ' + px.toFixed(1) + ' px'); break; }
  }
  const header = document.querySelector('.site-header').getBoundingClientRect(), h1 = document.querySelector('main h1');
  if (header.height > H / 3) problems.push('the header is ' + Math.round(header.height) + ' of ' + H + ' px high');
  if (h1 && h1.getBoundingClientRect().top < header.bottom) problems.push('the header overlaps the h1');
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (['sticky', 'fixed'].includes(s.position) && s.display !== 'none' && el.getBoundingClientRect().height > H / 3)
      problems.push(name(el) + ' stays on screen and is ' + Math.round(el.getBoundingClientRect().height) + ' of ' + H + ' px high');
  }
  return problems;
}"""

# After scrolling the element into view: is it on screen, and is it what a tap at its middle hits?
COVERED = """el => {
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (r.width === 0 || r.bottom < 0 || r.top > innerHeight || r.left < 0 || r.right > innerWidth + 1) return 'off screen';
  const hit = document.elementFromPoint(x, y);
  return hit && (el === hit || el.contains(hit)) ? '' : 'covered by ' + (hit ? hit.tagName.toLowerCase() + '.' + hit.className : 'nothing');
}"""


def _reachable(locator) -> str:  # type: ignore[no-untyped-def]
    """'' if the element can be scrolled to and seen uncovered, else what is wrong."""
    if locator.count() == 0:
        return "missing"
    element = locator.first
    element.scroll_into_view_if_needed()
    if not element.is_visible():
        return "hidden"
    return element.evaluate(COVERED)


def _nav_problems(page, signed_in: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """Signed in, the navigation is behind "Menu" at 640 px: it opens and every item in it can be
    reached. Signed out it is two links, always shown."""
    toggle = page.locator(".menu-toggle")
    if signed_in:
        if not toggle.is_visible():
            return ["no Menu button at 640 px"]
        open_menu(page)
        if toggle.get_attribute("aria-expanded") != "true":
            return ["Menu does not open"]
    items = page.locator(".site-nav a, .site-nav button")
    problems = [f"menu item {items.nth(i).inner_text()!r}: {p}" for i in range(items.count()) if (p := _reachable(items.nth(i)))]
    if signed_in:
        page.keyboard.press("Escape")
    return problems


def _set_language(language: str) -> None:
    for email in DEMO_PERSONAS.values():
        User.objects.filter(email=email).update(language=language)


@pytest.mark.parametrize("language", ["en", "es"])
def test_key_pages_reflow_at_200_percent_zoom(browser, live_server, language):
    call_command("seed_demo", verbosity=0)
    _set_language(language)
    problems: dict[str, list[str]] = {}
    checked = 0
    for persona, pages in PAGES.items():
        context = browser.new_context(**ZOOM_200, locale=language, extra_http_headers={"Accept-Language": language})
        context.set_default_timeout(10_000)
        page = context.new_page()
        email = DEMO_PERSONAS.get(persona)
        if email:
            sign_in_with_session(page, live_server, User.objects.get(email=email))
        for index, (where, action) in enumerate(pages):
            path = where if isinstance(where, str) else where()
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, (persona, path)
            assert page.locator("html").get_attribute("lang") == language, (persona, path)
            found = page.evaluate(REFLOW_PROBLEMS)
            found += [f"h1: {p}" for p in [_reachable(page.locator("main h1"))] if p]
            found += [f"main action {action!r}: {p}" for p in [_reachable(page.locator(action))] if p]
            screenshot(page, f"zoom200-{language}-{persona}-{index}")
            if index == 0:
                found += _nav_problems(page, signed_in=bool(email))
            if found:
                problems[f"{persona} {path}"] = found
            checked += 1
        context.close()
    assert checked >= 12
    assert not problems, json.dumps(problems, indent=1, ensure_ascii=False)
