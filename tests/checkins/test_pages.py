"""The pages: check-in, my progress, questionnaires, the care team's timeline."""

import pytest

from checkins import services
from checkins.models import CheckIn, FlagKind, RiskFlag
from members.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_checkin_page_records_and_shows_the_streak(maya, signed_in, frozen):
    browser = signed_in(maya)
    page = browser.get("/checkin/")
    html = page.content.decode()
    assert page.status_code == 200 and "How are you today?" in html
    assert 'name="amount"' in html  # Maya's goal is moderation
    response = browser.post("/checkin/", {"mood": "4", "craving": "2", "used": "no", "note": "Good day"})
    assert response.status_code == 200 and "Thanks for checking in" in response.content.decode()
    assert "1 day in a row" in response.content.decode()
    assert CheckIn.objects.get(client=maya).note == "Good day"
    again = browser.get("/checkin/")
    assert "You already checked in today" in again.content.decode()


def test_checkin_page_shows_field_errors(maya, signed_in, frozen):
    response = signed_in(maya).post("/checkin/", {"mood": "9", "craving": "2", "used": "no", "amount": "2"})
    assert response.status_code == 400
    assert not CheckIn.objects.exists()
    response = signed_in(maya).post("/checkin/", {"mood": "3", "craving": "2", "used": "no", "amount": "2"})
    assert response.status_code == 400 and "Record an amount only on a day you used." in response.content.decode()


def test_checkin_page_is_for_members(dr_reyes, signed_in, client):
    assert signed_in(dr_reyes).get("/checkin/").status_code == 403
    client.logout()
    assert client.get("/checkin/").status_code == 302


def test_progress_page_draws_charts_and_calendar_inline(maya, signed_in, post_checkin, frozen):
    post_checkin(maya, mood=3, craving=4)
    html = signed_in(maya).get("/progress/").content.decode()
    assert html.count("<svg") == 3 and "Check-in calendar" in html and "1 check-in in the last 12 weeks" in html
    assert "days since you last used" not in html
    assert "Suggested now" in html and "http" not in html.split("<main", 1)[1].split("</main>")[0].replace(
        "http://www.w3.org/2000/svg", ""
    )


def test_assessment_form_and_plain_language_result(maya, signed_in, frozen):
    browser = signed_in(maya)
    form = browser.get("/assessments/gad-7/")
    assert form.status_code == 200 and "Feeling nervous, anxious, or on edge" in form.content.decode()
    missing = browser.post("/assessments/gad-7/", {"q1": "1"})
    assert missing.status_code == 400 and "Please answer every question" in missing.content.decode()
    done = browser.post("/assessments/gad-7/", {f"q{i}": "2" for i in range(1, 8)})
    html = done.content.decode()
    assert done.status_code == 200 and "your result" in html and "Moderate anxiety" in html
    assert browser.get("/assessments/nope/").status_code == 404
    assert browser.get("/assessments/").status_code == 200


def test_phq9_item9_form_shows_crisis_resources(maya, signed_in, frozen):
    answers = {f"q{i}": "0" for i in range(1, 10)} | {"q9": "1"}
    html = signed_in(maya).post("/assessments/phq-9/", answers).content.decode()
    assert 'href="tel:988"' in html and "1-800-662-4357" in html


def test_timeline_for_the_care_team(care_team, dr_reyes, jordan, omar, grant, signed_in, post_checkin, client, frozen):
    post_checkin(care_team, note="Tough one", mood=2)
    flag, _ = services.risk_flag_open(client=care_team, kind=FlagKind.LOW_MOOD, reason="Mood of 2 or lower 3 days running.")
    html = signed_in(dr_reyes).get(f"/clients/{care_team.pk}/checkins/").content.decode()
    assert "Tough one" in html and "Risk flags" in html and "Resolve with this note" in html
    # L4: one row per kind of record the page showed, so her access log says what was read.
    logged = set(AccessLog.objects.filter(actor=dr_reyes, client=care_team).values_list("resource", flat=True))
    assert logged == {"checkins", "assessments", "risk_flags"}
    resolved = client.post(f"/clients/{care_team.pk}/flags/{flag.pk}/resolve/", {"note": "Called, she is safe."})
    assert resolved.status_code == 302
    assert RiskFlag.objects.get(pk=flag.pk).resolution_note == "Called, she is safe."
    client.logout()
    assert signed_in(jordan).get(f"/clients/{care_team.pk}/checkins/").status_code == 403
    grant(care_team, jordan, "checkin_summary")
    html = client.get(f"/clients/{care_team.pk}/checkins/").content.decode()
    assert "Tough one" not in html and "Risk flags" not in html
    assert client.post(f"/clients/{care_team.pk}/flags/{flag.pk}/resolve/", {"note": "x"}).status_code == 404
    client.logout()
    assert signed_in(omar).get(f"/clients/{care_team.pk}/checkins/").status_code == 404


def test_a_member_opening_their_own_timeline_lands_on_my_progress(maya, signed_in):
    response = signed_in(maya).get(f"/clients/{maya.pk}/checkins/")
    assert response.status_code == 302 and response["Location"] == "/progress/"


def test_timeline_shows_questionnaire_flags_in_words(care_team, dr_reyes, signed_in, api, frozen):
    api(care_team).post("/api/v1/assessments/", {"instrument": "GAD-7", "answers": [2] * 7}, format="json")
    html = signed_in(dr_reyes).get(f"/clients/{care_team.pk}/checkins/").content.decode()
    assert "10+: evaluate" in html and "Moderate anxiety" in html


def test_progress_shows_days_since_last_use_only_when_asked(maya, signed_in, post_checkin, frozen):
    from members.models import ClientProfile

    post_checkin(maya, used="no")
    assert "days since you last used" not in signed_in(maya).get("/progress/").content.decode()
    ClientProfile.objects.filter(user=maya).update(show_sober_days=True, recovery_start="2026-11-01")
    html = signed_in(maya).get("/progress/").content.decode()
    assert "days since you last used" in html and ">19<" in html


def test_mentors_and_clinicians_see_the_crisis_lines_on_their_home_with_the_programs_own_line_as_a_call_link(
    client, jordan, dr_reyes, maya
):
    """Issue 13 (6): crisis was missing from their landing pages; the program's 24/7 line was plain text."""
    org = maya.organization
    org.crisis_resources = "After-hours line: (555) 010-4400, staffed 24/7 by our nurses."
    org.save()
    for person in (jordan, dr_reyes):
        client.force_login(person)
        page = client.get("/home/").content.decode()
        assert "If someone you support is in crisis" in page
        assert 'href="tel:988"' in page and 'href="tel:+15550104400"' in page
    client.force_login(maya)
    assert 'href="tel:+15550104400"' in client.get("/checkin/").content.decode()
