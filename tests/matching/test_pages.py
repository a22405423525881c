"""The matching pages: what a client, a mentor and staff see and can do."""

from __future__ import annotations

import pytest
from django.test import Client

from matching.models import ContactLog, Match, MatchRequest

pytestmark = pytest.mark.django_db


def browser(user):
    c = Client()
    c.force_login(user)
    return c


def test_client_finds_chooses_and_sees_what_happens_next(maya_ready, jordan):
    c = browser(maya_ready)
    page = c.get("/mentor/")
    assert page.status_code == 200 and b"Find a mentor" in page.content
    c.post("/mentor/request/")
    page = c.get("/mentor/").content.decode()
    assert "Mentors who fit you best" in page and "Choose Jordan" in page
    assert "Both on a SMART Recovery path" in page and "Free Tuesday and Thursday evenings" in page
    c.post("/mentor/choose/", {"mentor": jordan.pk})
    page = c.get("/mentor/").content.decode()
    assert "Waiting for Jordan" in page and "What happens next" in page


def test_choose_errors_become_messages_not_500s(maya_ready, mentor_factory):
    c = browser(maya_ready)
    c.post("/mentor/request/")
    suspended = mentor_factory("Suspended", status="suspended")
    page = c.post("/mentor/choose/", {"mentor": suspended.pk}, follow=True).content.decode()
    assert "not taking new mentees" in page
    assert c.post("/mentor/choose/", {"mentor": "nonsense"}, follow=True).status_code == 200
    assert not Match.objects.exists()


def test_mentor_accepts_logs_a_contact_and_ends(maya_ready, jordan):
    req = MatchRequest.objects.create(organization=maya_ready.organization, client=maya_ready)
    m = Match.objects.create(
        organization=req.organization, client=maya_ready, mentor=jordan, request=req, reasons=["Speaks Spanish"]
    )
    c = browser(jordan)
    page = c.get("/proposals/").content.decode()
    assert "Accept Maya" in page and "You both speak Spanish" in page
    c.post(f"/proposals/{m.pk}/accept/")
    page = c.get("/proposals/").content.decode()
    assert "My mentees" in page and "No contact logged yet" in page
    c.post(
        f"/mentees/{m.pk}/contacts/",
        {"occurred_at": "2026-11-01T18:30", "mode": "video", "duration_minutes": 30, "note": "Good talk"},
    )
    logged = ContactLog.objects.get()
    assert logged.duration_minutes == 30
    assert logged.occurred_at.isoformat() == "2026-11-02T00:30:00+00:00"  # 18:30 in Chicago (CST)
    bad = c.post(
        f"/mentees/{m.pk}/contacts/",
        {"occurred_at": "", "mode": "call", "duration_minutes": 0, "note": "She got the job interview"},
        follow=True,
    )
    page = bad.content.decode()
    assert "Check the contact" in page
    # What he typed is still there, in the reopened form (issue 13, 5: the note was lost).
    assert f'id="contact-{m.pk}" open' in page and "She got the job interview</textarea>" in page
    assert '<option value="call" selected>' in page
    assert "She got the job interview" not in c.get("/proposals/").content.decode()  # only once
    c.post(f"/matches/{m.pk}/end/", {"reason": "Maya moved"})
    assert Match.objects.get().status == "ended"
    assert "Maya is now your mentor" not in browser(maya_ready).get("/mentor/").content.decode()


def test_client_ends_with_a_rating(maya_ready, jordan):
    m = Match.objects.create(organization=maya_ready.organization, client=maya_ready, mentor=jordan, status="active")
    c = browser(maya_ready)
    page = c.get("/mentor/").content.decode()
    assert "Jordan is your mentor" in page and "Free Tuesday and Thursday evenings" in page
    c.post(f"/matches/{m.pk}/end/", {"reason": "Ready to go on my own", "rating": "5"})
    assert Match.objects.get().rating == 5


def test_another_mentor_cannot_answer_or_log(maya_ready, jordan, mentor_factory):
    m = Match.objects.create(organization=maya_ready.organization, client=maya_ready, mentor=jordan)
    other = browser(mentor_factory("Other"))
    page = other.post(f"/proposals/{m.pk}/accept/", follow=True).content.decode()
    assert "Not found" in page
    assert Match.objects.get().status == "proposed"


def test_staff_previews_and_proposes_all(org, sam, maya_ready, jordan):
    MatchRequest.objects.create(organization=org, client=maya_ready)
    c = browser(sam)
    assert c.get("/staff/matching/").status_code == 200
    page = c.post("/staff/matching/", {"action": "preview"}).content.decode()
    assert "Who gets whom" in page and "Maya" in page and "Jordan" in page
    assert not Match.objects.exists()
    c.post("/staff/matching/", {"action": "propose"})
    assert Match.objects.get().status == "proposed"
    # Batch proposals store no reasons; the mentor still sees why the pair fits.
    assert "Both on a SMART Recovery path" in browser(jordan).get("/proposals/").content.decode()


@pytest.mark.parametrize(
    ("path", "allowed"),
    [("/mentor/", "maya"), ("/proposals/", "jordan"), ("/staff/matching/", "sam")],
)
def test_pages_are_for_their_role(path, allowed, maya, jordan, sam, request):
    for name in ("maya", "jordan", "sam"):
        status = browser(request.getfixturevalue(name)).get(path).status_code
        assert status == (200 if name == allowed else 403), (path, name)
    assert Client().get(path).status_code == 302  # sign in first
