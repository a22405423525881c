"""A client asks for a mentor and chooses one; the mentor accepts; both see the active match."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from members.choices import Role
from members.models import ClientProfile, MentorProfile
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

EVENINGS = [{"day": 2, "start": "18:00", "end": "21:00"}, {"day": 4, "start": "18:00", "end": "21:00"}]


@pytest.fixture
def people(db):  # type: ignore[no-untyped-def]
    from tests.factories import OrganizationFactory

    org = OrganizationFactory(slug="riverbend", name="Riverbend Recovery")
    maya = UserFactory(email="maya@example.org", display_name="Maya", role=Role.CLIENT, organization=org)
    ClientProfile.objects.filter(user=maya).update(
        goal="moderation", pathways=["smart"], languages=["en", "es"], formats=["video"], availability=EVENINGS
    )
    jordan = UserFactory(email="jordan@example.org", display_name="Jordan", role=Role.MENTOR, organization=org)
    MentorProfile.objects.filter(user=jordan).update(
        pathways=["smart", "harm_reduction"], languages=["en", "es"], formats=["video", "phone"],
        availability=EVENINGS, supports_harm_reduction=True, years_in_recovery=6, capacity=3,
        bio="Six years in recovery through SMART.",
    )  # fmt: skip
    casey = UserFactory(email="casey@example.org", display_name="Casey", role=Role.MENTOR, organization=org)
    MentorProfile.objects.filter(user=casey).update(
        pathways=["twelve_step"], languages=["en"], formats=["video"], supports_harm_reduction=True, years_in_recovery=2
    )
    return maya, jordan


def sign_out(page):  # type: ignore[no-untyped-def]
    page.context.clear_cookies()


def test_client_chooses_mentor_accepts_both_see_the_match(page, sign_in, people):  # type: ignore[no-untyped-def]
    maya, jordan = people

    sign_in(maya)
    page.goto("/mentor/")
    page.get_by_role("button", name="Find a mentor").click()
    cards = page.locator("article.match-card")
    expect(cards.first.get_by_role("heading", name="Jordan")).to_be_visible()
    expect(cards.first.get_by_text("Both on a SMART Recovery path")).to_be_visible()
    expect(cards.first.get_by_text("Speaks Spanish")).to_be_visible()
    screenshot(page, "matching-1-suggestions")
    page.get_by_role("button", name="Choose Jordan").click()
    expect(page.get_by_role("heading", name="Waiting for Jordan")).to_be_visible()
    expect(page.get_by_text("What happens next")).to_be_visible()
    screenshot(page, "matching-2-proposal")

    sign_out(page)
    sign_in(jordan)
    page.goto("/proposals/")
    screenshot(page, "matching-3-mentor-proposals")
    page.get_by_role("button", name="Accept Maya").click()
    mentees = page.locator("section", has=page.get_by_role("heading", name="My mentees"))
    expect(mentees.get_by_role("heading", name="Maya")).to_be_visible()
    page.get_by_text("Log a contact with Maya").click()
    page.get_by_label("Minutes").fill("25")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact with Maya saved.")).to_be_visible()
    screenshot(page, "matching-4-mentees")

    sign_out(page)
    sign_in(maya)
    page.goto("/mentor/")
    expect(page.get_by_role("heading", name="Jordan is your mentor")).to_be_visible()
    screenshot(page, "matching-5-active")


def test_staff_previews_the_batch_plan_then_proposes_all(page, sign_in, people):  # type: ignore[no-untyped-def]
    from matching.models import Match, MatchRequest

    maya, jordan = people
    sam = UserFactory(email="sam@example.org", display_name="Sam", role=Role.STAFF, organization=maya.organization)
    MatchRequest.objects.create(organization=maya.organization, client=maya)
    outsider = UserFactory(email="ivy@example.org", display_name="Ivy", role=Role.CLIENT, organization=maya.organization)
    ClientProfile.objects.filter(user=outsider).update(languages=["fr"])
    MatchRequest.objects.create(organization=maya.organization, client=outsider)

    sign_in(sam)
    page.goto("/staff/matching/")
    page.get_by_role("button", name="Preview the plan (dry run)").click()
    plan = page.locator("table", has=page.get_by_role("columnheader", name="Mentor"))
    expect(plan.get_by_role("cell", name="Maya")).to_be_visible()
    expect(plan.get_by_role("cell", name="Jordan")).to_be_visible()
    expect(page.get_by_role("cell", name="Ivy")).to_be_visible()
    expect(page.get_by_text("speaks their language")).to_be_visible()
    screenshot(page, "matching-6-staff-preview")
    assert not Match.objects.exists()
    page.get_by_role("button", name="Propose all (1)").click()
    expect(page.get_by_text("Proposed 1 match.")).to_be_visible()
    assert Match.objects.get().mentor == jordan
