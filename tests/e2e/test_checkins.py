"""Browser journey on a 390 px phone: check in with a few taps, then ask for support and see
the crisis resources at once."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from checkins.models import CheckIn, FlagKind, RiskFlag
from members.choices import CareRole
from members.models import CareTeamMember
from notifications.models import Notification
from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_with_session(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    """A real Django session for `user`, handed to the browser as its cookie (the sign-in form
    itself is covered by the members journeys)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def test_check_in_on_a_phone_and_see_crisis_resources_when_asking_for_support(page, live_server, maya, dr_reyes):
    CareTeamMember.objects.create(organization=maya.organization, client=maya, member=dr_reyes, role=CareRole.CLINICIAN)
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/checkin/")
    assert page.viewport_size["width"] == 390
    page.get_by_role("heading", name="How are you today?").wait_for()
    # Nothing scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Large tap targets: every answer is at least 44 px tall.
    heights = page.eval_on_selector_all(".taps label", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44
    crisis = page.locator("#crisis")
    expect(crisis).to_be_hidden()
    screenshot(page, "checkin-phone")

    page.get_by_text("Good", exact=True).click()
    page.get_by_role("radiogroup", name="Cravings today").get_by_text("3", exact=True).click()
    page.get_by_role("radiogroup", name="Did you use today?").get_by_text("No", exact=True).click()
    page.get_by_label("Anything you want to note? (optional)").fill("Went to my SMART meeting.")
    page.get_by_role("button", name="Check in").click()
    page.get_by_role("heading", name="Thanks for checking in").wait_for()
    assert "1 day in a row" in page.content()
    checkin = CheckIn.objects.get(client=maya)
    assert (checkin.mood, checkin.craving, checkin.used, checkin.note) == (4, 3, "no", "Went to my SMART meeting.")

    # Asking for support shows the resources the moment the box is ticked ...
    page.get_by_role("link", name="Change today's answers").click()
    page.get_by_label("I need support right now").check()
    expect(crisis).to_be_visible()
    expect(page.get_by_role("link", name="Call 988")).to_be_visible()
    # ... and on a phone the box scrolls into view: it sat ~620 px above, off-screen (issue 13, 3).
    expect(crisis).to_be_in_viewport()
    top = crisis.evaluate("el => el.getBoundingClientRect().top")
    assert -1 <= top < page.viewport_size["height"] / 2
    screenshot(page, "checkin-phone-asking-for-support")
    # ... and again, with the care team alerted, once the check-in is sent.
    page.get_by_role("button", name="Update check-in").click()
    page.get_by_role("heading", name="You don't have to go through this alone").wait_for()
    box = page.locator("#crisis")
    expect(box).to_be_visible()
    text = box.inner_text()
    assert "988" in text and "1-800-662-4357" in text and "911" in text
    assert "Your care team has been told" in text
    assert page.get_by_role("link", name="Call 988").get_attribute("href") == "tel:988"
    assert page.get_by_role("link", name="Text 988").get_attribute("href") == "sms:988"
    screenshot(page, "checkin-phone-crisis")
    assert RiskFlag.objects.filter(client=maya, kind=FlagKind.CRISIS, resolved_at__isnull=True).count() == 1
    assert Notification.objects.filter(recipient=dr_reyes, kind="crisis_alert").count() == 1


def test_support_ticked_before_the_page_script_runs_still_brings_the_crisis_box_into_view(page, live_server, maya):
    """On a slow phone connection she can tick the box before kinship.js has loaded: once it
    runs, the box is shown and scrolled to, as if she had ticked it afterwards."""
    sign_in_with_session(page, live_server, maya)
    held = []
    page.route("**/js/kinship.js*", lambda route: held.append(route))
    page.goto(live_server.url + "/checkin/", wait_until="commit")
    page.get_by_label("I need support right now").check()
    assert held, "the page script is held back"
    crisis = page.locator("#crisis")
    expect(crisis).not_to_be_in_viewport()
    for route in held:
        route.continue_()
    expect(crisis).to_be_visible()
    expect(crisis).to_be_in_viewport()


def test_progress_page_on_a_phone(page, live_server, maya):
    from datetime import timedelta

    from checkins.services import local_today

    today = local_today(maya)
    for back in range(0, 20):
        if back % 6 == 5:
            continue
        CheckIn.objects.create(
            organization=maya.organization,
            client=maya,
            local_date=today - timedelta(days=back),
            mood=2 + back % 4,
            craving=back % 8,
        )
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/progress/")
    page.get_by_role("heading", name="My progress").wait_for()
    expect(page.locator("svg.calendar")).to_be_visible()
    assert page.locator("svg.chart").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "5" in page.locator(".stat__value").first.inner_text()
    screenshot(page, "progress-phone")


def test_a_questionnaire_on_a_phone_gives_a_plain_language_result(page, live_server, maya):
    sign_in_with_session(page, live_server, maya)
    page.goto(live_server.url + "/assessments/gad-7/")
    page.get_by_role("heading", name="Worry and anxiety (GAD-7)").wait_for()
    for n in range(1, 8):
        page.get_by_role("group", name=f"{n}.").get_by_label("Several days").check()
    screenshot(page, "assessment-phone")
    page.get_by_role("button", name="See my result").click()
    page.get_by_role("heading", name="Worry and anxiety (GAD-7): your result").wait_for()
    assert "Some signs of anxiety" in page.content()
    screenshot(page, "assessment-result-phone")


def test_the_clinician_resolves_a_flag_on_the_timeline(page, live_server, maya, dr_reyes):
    from django.utils import timezone

    from checkins import services
    from members.models import ClientProfile

    ClientProfile.objects.filter(user=maya).update(treatment_consent_at=timezone.now())
    CareTeamMember.objects.create(organization=maya.organization, client=maya, member=dr_reyes, role=CareRole.CLINICIAN)
    services.checkin_record(actor=maya, client=maya, mood=2, craving=8, used="skip", note="Payday again.")
    flag, _ = services.risk_flag_open(
        client=maya, kind=FlagKind.HIGH_CRAVING, reason="Craving of 7 or more on 2 of the last 3 check-ins."
    )
    sign_in_with_session(page, live_server, dr_reyes)
    page.goto(live_server.url + f"/clients/{maya.pk}/checkins/")
    page.get_by_role("heading", name="Risk flags").wait_for()
    assert "Payday again." in page.content()
    screenshot(page, "timeline-clinician-phone")
    page.get_by_label("What was done?").fill("Called her; she went to a meeting.")
    page.get_by_role("button", name="Resolve with this note").click()
    page.get_by_text("Flag resolved").wait_for()
    flag.refresh_from_db()
    assert flag.resolved_by == dr_reyes and flag.resolution_note == "Called her; she went to a meeting."
