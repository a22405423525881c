"""Browser journey: a clinician signs in, opens the caseload dashboard from the menu and finds
the member in crisis at the top; staff open the program dashboard and download the CSV."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from checkins.models import CheckIn, FlagKind, RiskFlag
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile
from tests.e2e.conftest import open_menu, screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _caseload(org, clinician):  # type: ignore[no-untyped-def]
    today = timezone.now().date()
    clients = {}
    for name, days in (("Alba", [0, 1, 2]), ("Bruno", [0]), ("Maya", [5])):
        c = UserFactory(display_name=name, role=Role.CLIENT, organization=org, timezone="UTC")
        ClientProfile.objects.filter(user=c).update(treatment_consent_at=timezone.now(), treatment_consent_version="2026-11")
        CareTeamMember.objects.create(organization=org, client=c, member=clinician, role=CareRole.CLINICIAN)
        for d in days:
            CheckIn.objects.create(organization=org, client=c, local_date=today - timedelta(days=d), mood=3, craving=2)
        clients[name] = c
    RiskFlag.objects.create(organization=org, client=clients["Maya"], kind=FlagKind.CRISIS, reason="Asked for support")
    return clients


def test_clinician_sees_the_member_in_crisis_at_the_top(page, live_server, sign_in, org, dr_reyes):
    clients = _caseload(org, dr_reyes)
    sign_in(dr_reyes)
    open_menu(page)
    page.get_by_role("link", name="Caseload dashboard").first.click()
    page.get_by_role("heading", name="Caseload dashboard", level=1).wait_for()
    first = page.locator(".dash-row").first
    assert first.locator(".dash-row__name").inner_text() == "Maya"
    assert first.locator(".badge--danger").inner_text() == "Crisis"
    assert "5 days ago" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing scrolls sideways
    screenshot(page, "dashboard-caseload-390")
    # Only flagged: Maya alone; her name opens her page.
    page.get_by_label("Only flagged").check()
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state()
    assert page.locator(".dash-row").count() == 1
    page.get_by_role("link", name="Maya").click()
    page.wait_for_url(f"**/clients/{clients['Maya'].pk}/")


def test_staff_program_dashboard_and_csv(page, live_server, sign_in, org, sam, dr_reyes):
    _caseload(org, dr_reyes)
    sign_in(sam)
    open_menu(page)
    page.get_by_role("link", name="Program dashboard").first.click()
    page.get_by_role("heading", name="Program dashboard", level=1).wait_for()
    page.wait_for_load_state("load")  # the page's stylesheet decides which chart shows
    assert page.locator(".stat--danger .stat__value").inner_text() == "1"  # Maya's open crisis flag
    expect(page.locator("svg.chart--narrow")).to_be_visible()
    expect(page.locator("svg.chart--wide")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "dashboard-program-390")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("program-") and download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8") as fh:
        text = fh.read()
    assert "open_crisis_flags,1" in text and "week_start,checkins" in text
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("svg.chart--wide")).to_be_visible()
    screenshot(page, "dashboard-program-1280")
