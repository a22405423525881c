"""Issue 13 (3): axe-core (from the npm registry, `make test` installs it) on every page each
persona reaches from the navigation plus the pages behind it, in English and in Spanish: 0
serious or critical violations. The demo program gives every page real content. Set
AXE_REPORT=path to write the per-page results (for the closing note)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from members.models import User
from tests.e2e.conftest import DEMO_PERSONAS
from tests.e2e.test_checkins import sign_in_with_session

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}
PUBLIC_PAGES = ["/", "/login/", "/signup/", "/password-reset/", "/o/demo/"]
# Pages behind the navigation: a record, a form, a detail (found from the pages themselves).
FOLLOW = ("/clients/", "/groups/", "/checkin/", "/assessments/", "/profile/", "/privacy/", "/account/", "/messages/", "/plan/")
MAX_PAGES = 45


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core is missing ({AXE}): run `make test`, which installs it with npm ci")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text()


def _links(page) -> list[str]:  # type: ignore[no-untyped-def]
    hrefs = page.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    return [h.split("#")[0] for h in hrefs if h and not h.startswith(("/static/", "/api/", "/calendar/", "/jsi18n"))]


def _check(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "target": v["nodes"][0]["target"]}
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def _crawl(page, live_server, start: list[str], signed_in: bool) -> dict[str, list]:  # type: ignore[no-untyped-def]
    seen: dict[str, list] = {}
    queue = list(start)
    guessed: set[str] = set()  # not linked from a page: tried in case the persona may read it
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or "logout" in path or path.endswith((".ics", ".json", ".csv", "/export/")):
            continue
        response = page.goto(live_server.url + path)
        if response is not None and response.status >= 400 and path not in guessed:  # a link leads nowhere
            seen[path] = [{"id": "http-status", "impact": "serious", "nodes": 1, "target": [f"HTTP {response.status}"]}]
            continue
        if response is None or not page.url.startswith(live_server.url):
            seen[path] = []
            continue
        seen[path] = _check(page)
        if signed_in:
            nav = page.eval_on_selector_all(".site-nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
            deeper = [h for h in _links(page) if h.startswith(FOLLOW) and h.count("/") <= 5]
            if path.startswith("/clients/") and path.count("/") == 3:
                deeper.insert(0, path + "checkins/")  # her timeline, for those who may read it
                guessed.add(path + "checkins/")
            queue += [h for h in nav + deeper[:8] if h not in seen]
    return seen


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_of_every_persona_has_no_serious_accessibility_violation(browser, live_server, axe_source, language):
    call_command("seed_demo", verbosity=0)
    report: dict[str, dict[str, list]] = {}
    for persona, email in [("anonymous", None), *DEMO_PERSONAS.items()]:
        context = browser.new_context(
            viewport={"width": 390, "height": 844},
            locale=language,
            extra_http_headers={"Accept-Language": language},
            bypass_csp=True,
        )  # bypass_csp: axe is injected as an inline script
        context.add_init_script(script=axe_source)  # on every page, before its own scripts
        page = context.new_page()
        if email:
            user = User.objects.get(email=email)
            user.language = language
            user.save(update_fields=["language"])
            sign_in_with_session(page, live_server, user)
            report[persona] = _crawl(page, live_server, ["/home/"], signed_in=True)
        else:
            report[persona] = _crawl(page, live_server, PUBLIC_PAGES, signed_in=False)
        context.close()
    if os.environ.get("AXE_REPORT"):
        Path(f"{os.environ['AXE_REPORT']}.{language}.json").write_text(json.dumps(report, indent=1))
    pages = sum(len(p) for p in report.values())
    assert pages >= 30, report  # the crawl reached the program, not just the front door
    failures = {f"{who} {path}": found for who, paths in report.items() for path, found in paths.items() if found}
    assert not failures, json.dumps(failures, indent=1)
