"""Browser journeys of the members pages in Chromium: sign-up → onboarding → profile; consent
grant → the mentor reads → revoke → the mentor is shut out, and the access log shows the read;
pages fit a 360 px phone without horizontal scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from members.choices import Role, VettingStatus
from members.models import ClientProfile, ConsentGrant
from notifications.services import notification_create
from tests.e2e.conftest import open_menu, screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def horizontal_overflow(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_sign_up_onboarding_then_profile_shows_the_answers(page, live_server, org):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Program code").fill("riverbend")
    page.get_by_label("Your name").fill("Ren")
    page.get_by_label("Email").fill("ren@example.org")
    page.get_by_label("Password").fill("Long-enough-2026")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Create my account").click()

    # Sign-up never says whether the email was taken (M6): the new member signs in once.
    page.wait_for_url(re.compile(r"/login/"))
    expect(page.get_by_text("Your account is ready")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value("ren@example.org")
    page.get_by_label("Password").fill("Long-enough-2026")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/onboarding/1/$"))
    expect(page.get_by_text("Step 1 of 5")).to_be_visible()
    page.get_by_label("Using less, more safely").check()
    page.get_by_role("button", name="Next").click()

    page.wait_for_url(re.compile(r"/onboarding/2/$"))
    page.get_by_label("SMART Recovery").check()
    page.get_by_label("Harm reduction").check()
    page.get_by_label("Spanish · Español").check()
    page.get_by_role("button", name="Next").click()

    # A mistake on the way: no way to connect chosen. The error shows; nothing is lost.
    page.wait_for_url(re.compile(r"/onboarding/3/$"))
    page.get_by_label("Tuesday evenings").check()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("Choose at least one way to connect.")).to_be_visible()
    page.get_by_label("Video").check()
    page.get_by_label("Text messages").check()
    page.get_by_label("Tuesday evenings").check()
    page.get_by_label("Saturday mornings").check()
    page.get_by_role("button", name="Next").click()

    page.wait_for_url(re.compile(r"/onboarding/4/$"))
    # Back keeps what was saved.
    page.get_by_role("link", name="Back").click()
    page.wait_for_url(re.compile(r"/onboarding/3/$"))
    assert page.get_by_label("Video").is_checked()
    assert page.get_by_label("Saturday mornings").is_checked()
    page.get_by_role("button", name="Next").click()

    page.wait_for_url(re.compile(r"/onboarding/4/$"))
    page.get_by_label("What are you working toward?").fill("Drinking less on weekends and not driving after.")
    page.get_by_label("Parent").check()
    page.get_by_role("button", name="Next").click()

    page.wait_for_url(re.compile(r"/onboarding/5/$"))
    page.get_by_label("I agree that the clinicians on my care team").check()
    page.get_by_role("button", name="Finish").click()

    page.wait_for_url(re.compile(r"/profile/$"))
    answers = page.locator("dl.kv").inner_text()
    for shown in (
        "Using less, more safely",
        "SMART Recovery, Harm reduction",
        "Spanish",
        "Video, Text messages",
        "Tuesday 18:00–21:00",
        "Saturday 09:00–12:00",
        "Drinking less on weekends",
        "Given on",
    ):
        assert shown in answers, shown
    profile = ClientProfile.objects.get(user__email="ren@example.org")
    assert profile.goal == "moderation" and profile.onboarded_at is not None and profile.treatment_consent


def test_consent_grant_lets_the_mentor_read_and_revoke_shuts_them_out(page, live_server, sign_in, care_team, jordan):
    maya = care_team
    detail = f"{live_server.url}/clients/{maya.pk}/"

    # Before any grant the mentor sees only the limited view (API.md): nothing of her records.
    sign_in(jordan)
    assert page.goto(detail).status == 200
    expect(page.get_by_text("Nothing of their records at the moment.")).to_be_visible()
    expect(page.get_by_text("Group attendance")).to_have_count(0)
    sign_out(page)

    sign_in(maya)
    page.goto(live_server.url + "/privacy/")
    share = page.locator("form").filter(has=page.get_by_role("button", name="Share", exact=True))  # not the family invite
    share.get_by_label("Who may see it?").select_option(label="Jordan (peer mentor)")
    share.get_by_label("Check-in summary").check()
    share.get_by_label("Group attendance").check()
    share.get_by_label("Type your name to sign").fill("Maya")
    share.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_text("Jordan can now see what you chose.")).to_be_visible()
    sign_out(page)

    sign_in(jordan)
    response = page.goto(detail)
    assert response.status == 200
    expect(page.get_by_role("heading", name="Maya", exact=True)).to_be_visible()
    expect(page.get_by_text("Group attendance")).to_be_visible()
    sign_out(page)

    sign_in(maya)
    page.goto(live_server.url + "/privacy/")
    log = page.locator("#access-log table").inner_text()
    assert "Jordan" in log and "Your profile" in log
    page.get_by_role("button", name="Revoke sharing with Jordan").click()
    expect(page.get_by_text("Jordan can no longer see it.")).to_be_visible()
    assert ConsentGrant.objects.get(client=maya, grantee=jordan).revoked_at is not None
    sign_out(page)

    sign_in(jordan)
    assert page.goto(detail).status == 200  # the limited view again, at once
    expect(page.get_by_text("Nothing of their records at the moment.")).to_be_visible()
    expect(page.get_by_text("Group attendance")).to_have_count(0)


@pytest.mark.parametrize("path", ["/", "/onboarding/1/", "/onboarding/2/", "/onboarding/3/", "/onboarding/4/", "/onboarding/5/"])
def test_pages_fit_a_360px_phone(page, live_server, sign_in, maya, path):
    page.set_viewport_size({"width": 360, "height": 740})
    if path != "/":
        sign_in(maya)
    page.goto(live_server.url + path)
    assert horizontal_overflow(page) <= 0


# Every page, as the role that uses it, at a phone and a desktop width: no horizontal scroll,
# and screenshots (SCREENSHOT_DIR) to look at.
PAGES = [
    ("landing", None, "/"),
    ("login", None, "/login/"),
    ("signup", None, "/signup/"),
    ("password-reset", None, "/password-reset/"),
    ("not-found", None, "/no-such-page/"),
    ("home-client", "maya", "/home/"),
    ("onboarding-1", "maya", "/onboarding/1/"),
    ("onboarding-2", "maya", "/onboarding/2/"),
    ("onboarding-3", "maya", "/onboarding/3/"),
    ("onboarding-4", "maya", "/onboarding/4/"),
    ("onboarding-5", "maya", "/onboarding/5/"),
    ("profile-client", "maya", "/profile/"),
    ("privacy", "maya", "/privacy/"),
    ("notifications", "maya", "/notifications/"),
    ("reminders", "maya", "/settings/reminders/"),
    ("home-mentor", "jordan", "/home/"),
    ("profile-mentor", "jordan", "/profile/"),
    ("clients-mentor", "jordan", "/clients/"),
    ("home-clinician", "dr_reyes", "/home/"),
    ("clients-clinician", "dr_reyes", "/clients/"),
    ("account-clinician", "dr_reyes", "/profile/"),
    ("client-detail-clinician", "dr_reyes", "/clients/{maya}/"),
    ("home-staff", "sam", "/home/"),
    ("staff-users", "sam", "/staff/users/"),
    ("staff-mentors", "sam", "/staff/mentors/"),
    ("client-detail-staff", "sam", "/clients/{maya}/"),
    ("home-family", "lee", "/home/"),
    ("client-detail-family", "lee", "/clients/{maya}/"),
    ("forbidden", "lee", "/staff/users/"),
]


@pytest.mark.parametrize("width", [390, 1280])
def test_every_page_renders_without_horizontal_scroll(
    page, live_server, sign_in, care_team, jordan, dr_reyes, sam, lee, org, width
):
    maya = care_team
    people = {"maya": maya, "jordan": jordan, "dr_reyes": dr_reyes, "sam": sam, "lee": lee}
    ClientProfile.objects.filter(user=maya).update(
        working_toward="Getting my kids back on weekends.",
        availability=[{"day": 2, "start": "18:00", "end": "21:00"}, {"day": 4, "start": "09:00", "end": "12:00"}],
    )
    ConsentGrant.objects.create(organization=org, client=maya, grantee=lee, scopes=["checkin_summary"])
    UserFactory(display_name="Tyler", role=Role.MENTOR, organization=org, profile__status=VettingStatus.PENDING)
    for i, title in enumerate(["Time for your check-in", "Your group meets tomorrow at 7 pm"]):
        notification_create(recipient=maya, kind="checkin_nudge", title=title, body="A gentle reminder.", dedupe_key=f"e2e:{i}")
    page.set_viewport_size({"width": width, "height": 900})
    current = None
    problems = []
    for name, who, path in PAGES:
        if who != current:
            if current is not None:
                sign_out(page)
            if who is not None:
                sign_in(people[who])
            current = who
        page.goto(live_server.url + path.format(maya=maya.pk))
        screenshot(page, f"{name}-{width}")
        overflow = horizontal_overflow(page)
        if overflow > 0:
            problems.append(f"{name}: {overflow}px")
    assert not problems
