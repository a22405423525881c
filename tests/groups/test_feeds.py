"""The member's iCal feed (parsed and expanded like a calendar app would) and the public
Meeting Guide feed and organization page."""

from __future__ import annotations

import json
import re
import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
import recurring_ical_events
from icalendar import Calendar

from groups import services
from groups.meeting_types import meeting_types_ensure
from groups.models import MeetingType, Session, SessionStatus
from tests.groups.conftest import NOW

pytestmark = pytest.mark.django_db


def fetch_calendar(api, user) -> Calendar:  # type: ignore[no-untyped-def]
    url = api(user).get("/api/v1/me/calendar/").json()["url"].replace("http://testserver", "")
    response = api().get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def test_ical_feed_expands_to_exactly_the_sessions_table_across_dst(frozen, api, maya, dr_reyes, make_group):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    sessions = list(Session.objects.filter(group=group).order_by("starts_at"))
    services.session_cancel(actor=dr_reyes, session=sessions[3], reason="Thanksgiving week")  # 10 Nov, after DST ends
    moved_to = sessions[4].starts_at + timedelta(days=1, hours=-1)  # Tue 7 pm -> Wed 6 pm
    services.session_move(actor=dr_reyes, session=sessions[4], starts_at=moved_to)

    cal = fetch_calendar(api, maya)
    assert cal.walk("VTIMEZONE") and cal.walk("VTIMEZONE")[0]["TZID"] == "America/Chicago"
    events = cal.walk("VEVENT")
    master = next(e for e in events if "RRULE" in e)
    assert master["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert master.decoded("DTSTART").tzinfo.key == "America/Chicago"
    assert "EXDATE" in master
    override = next(e for e in events if "RECURRENCE-ID" in e)
    assert override["UID"] == master["UID"]
    assert override.decoded("RECURRENCE-ID").astimezone(UTC) == sessions[4].original_start

    window = (NOW, NOW + timedelta(days=90))
    expanded = recurring_ical_events.of(cal).between(*window)
    from_feed = sorted((e.decoded("DTSTART").astimezone(UTC), e.decoded("DTEND").astimezone(UTC)) for e in expanded)
    table = sorted(
        Session.objects.filter(
            group=group, status=SessionStatus.SCHEDULED, starts_at__gte=window[0], starts_at__lt=window[1]
        ).values_list("starts_at", "ends_at")
    )
    assert from_feed == table
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    regular = [start.astimezone(chicago) for start, _ in from_feed if start != moved_to]
    assert {(s.hour, s.minute) for s in regular} == {(19, 0)}
    assert {s.utcoffset() for s in regular} == {timedelta(hours=-5), timedelta(hours=-6)}  # both sides of DST


def test_feed_still_matches_the_table_after_a_schedule_change(frozen, api, maya, dr_reyes, make_group):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    frozen.move_to(NOW + timedelta(days=21))
    services.group_update(actor=dr_reyes, group=group, data={"rrule": "FREQ=WEEKLY;BYDAY=TH", "start_local": "2026-10-08T18:30"})
    cal = fetch_calendar(api, maya)
    window = (NOW - timedelta(days=1), NOW + timedelta(days=90))
    expanded = recurring_ical_events.of(cal).between(*window)
    from_feed = sorted(e.decoded("DTSTART").astimezone(UTC) for e in expanded)
    table = sorted(
        Session.objects.filter(
            group=group, status=SessionStatus.SCHEDULED, starts_at__gte=window[0], starts_at__lt=window[1]
        ).values_list("starts_at", flat=True)
    )
    assert from_feed == table
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    weekdays = [s.astimezone(chicago).strftime("%a %H:%M") for s in from_feed]
    assert weekdays[:3] == ["Tue 19:00"] * 3  # before the change: the old Tuesday sessions
    assert set(weekdays[3:]) == {"Thu 18:30"}


def test_uid_is_stable_and_sequence_goes_up_on_changes(frozen, api, maya, dr_reyes, make_group):
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)

    def master():  # type: ignore[no-untyped-def]
        return next(e for e in fetch_calendar(api, maya).walk("VEVENT") if "RRULE" in e)

    first = master()
    services.session_cancel(actor=dr_reyes, session=Session.objects.filter(group=group).first(), reason="")
    second = master()
    services.group_update(actor=dr_reyes, group=group, data={"start_local": "2026-10-06T18:30"})
    third = master()
    assert first["UID"] == second["UID"] == third["UID"]
    assert int(first["SEQUENCE"]) < int(second["SEQUENCE"]) < int(third["SEQUENCE"])
    assert third.decoded("DTSTART").hour == 18


def test_feed_includes_online_link_and_only_my_groups(frozen, api, maya, make_group):
    online = make_group(
        name="Online SMART", attendance_mode="online", conference_url="https://meet.example.org/smart", location=""
    )
    make_group(name="Someone else's group")
    services.enrollment_join(actor=maya, group=online, member=maya)
    events = fetch_calendar(api, maya).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Online SMART"]
    assert str(events[0]["LOCATION"]) == "https://meet.example.org/smart"
    assert "https://meet.example.org/smart" in str(events[0]["DESCRIPTION"])


def test_unknown_calendar_token_is_404(frozen, api):
    assert api().get("/calendar/not-a-token.ics").status_code == 404


# --- Meeting Guide ----------------------------------------------------------------------------


@pytest.fixture
def public_groups(frozen, make_group, dr_reyes):  # type: ignore[no-untyped-def]
    meeting_types_ensure()
    in_person = make_group(name="Open Discussion", visibility="public", rrule="FREQ=WEEKLY;BYDAY=MO,TH", facilitators=[dr_reyes])
    in_person.meeting_types.set(MeetingType.objects.filter(code__in=["O", "D"]))
    online = make_group(
        name="Online Newcomers",
        visibility="public",
        attendance_mode="online",
        location="",
        conference_url="https://meet.example.org/newcomers",
        conference_phone="+15555550100,,123456#",
        rrule="FREQ=WEEKLY",
        start_local="2026-10-04T08:15",
        duration_minutes=60,
    )
    online.meeting_types.set(MeetingType.objects.filter(code__in=["BE"]))
    make_group(name="Program only", visibility="organization")
    make_group(name="Closed IOP", visibility="closed")
    make_group(name="Fortnightly", visibility="public", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=SA")
    make_group(name="Monthly", visibility="public", rrule="FREQ=MONTHLY;BYDAY=1SA")
    return in_person, online


def test_meeting_guide_feed_fields_and_formats(public_groups, api, org, dr_reyes):
    in_person, online = public_groups
    response = api().get(f"/o/{org.slug}/meetings.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    meetings = response.json()
    assert isinstance(meetings, list)
    assert sorted(m["name"] for m in meetings) == ["Online Newcomers", "Open Discussion", "Open Discussion"]
    slugs = [m["slug"] for m in meetings]
    assert len(set(slugs)) == len(slugs)
    valid_codes = set(MeetingType.objects.values_list("code", flat=True))
    for m in meetings:
        assert isinstance(m["name"], str) and 0 < len(m["name"]) <= 255
        assert re.fullmatch(r"[a-z0-9-]{1,64}", m["slug"])
        assert isinstance(m["day"], int) and 0 <= m["day"] <= 6
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", m["time"])
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", m["end_time"])
        assert m["timezone"] in zoneinfo.available_timezones()
        assert isinstance(m["types"], list) and set(m["types"]) <= valid_codes
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", m["updated"])
    by_day = {(m["name"], m["day"]): m for m in meetings}
    monday = by_day[("Open Discussion", 1)]
    assert by_day[("Open Discussion", 4)]["time"] == "19:00"
    assert (monday["time"], monday["end_time"]) == ("19:00", "20:30")
    assert monday["types"] == ["D", "O"]
    assert monday["formatted_address"] == "412 Main St, Springfield, IL 62701, USA"  # four parts: not approximate
    assert monday["group"] == "Open Discussion"  # meets twice a week: clients list the days together
    assert "conference_url" not in monday
    sunday = by_day[("Online Newcomers", 0)]  # 4 Oct 2026 is a Sunday: day 0
    assert (sunday["time"], sunday["end_time"]) == ("08:15", "09:15")
    assert sunday["conference_url"] == "https://meet.example.org/newcomers"
    assert sunday["conference_phone"] == "+15555550100,,123456#"
    assert sunday["formatted_address"] == "USA"  # the program's locality (here only its country)
    assert "group" not in sunday and "location" not in sunday
    in_person.refresh_from_db()
    updated = datetime.strptime(monday["updated"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert updated == in_person.updated_at.replace(microsecond=0)
    # No names of people, first or last, anywhere in the feed.
    assert "Reyes" not in response.content.decode() and "Jordan" not in response.content.decode()


def test_meeting_guide_feed_of_an_unknown_org_is_404_and_other_orgs_are_separate(public_groups, api, other_org):
    assert api().get("/o/nowhere/meetings.json").status_code == 404
    assert api().get(f"/o/{other_org.slug}/meetings.json").json() == []


def test_organization_page_links_the_feed(public_groups, client, org):
    response = client.get(f"/o/{org.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    link = re.search(r'<link rel="alternate" type="application/json" title="Meetings Feed" href="([^"]+)">', html)
    assert link and link.group(1) == f"http://testserver/o/{org.slug}/meetings.json"
    assert "Open Discussion" in html and "Program only" not in html and "Closed IOP" not in html
    assert json.loads(client.get(link.group(1).replace("http://testserver", "")).content)


def test_meeting_guide_clients_get_venue_address_and_an_approximate_place_for_online_meetings(api, org, make_group):
    """Issue 13 (10): in TSML UI only 2 of the demo's 7 entries showed: online meetings had no
    address, the venue name sat inside formatted_address, and multi-day groups were unlinked."""
    org.city, org.state, org.country = "Springfield", "IL", "USA"
    org.save()
    make_group(
        name="Venue Group",
        visibility="public",
        location="Riverside Recovery Collective",
        address="1200 River Rd, Springfield, IL 62701",
    )
    make_group(
        name="Online Only", visibility="public", attendance_mode="online", address="",
        conference_url="https://meet.example.org/x", rrule="FREQ=WEEKLY;BYDAY=WE",
    )  # fmt: skip
    feed = {m["name"]: m for m in api().get(f"/o/{org.slug}/meetings.json").json()}
    venue = feed["Venue Group"]
    assert venue["location"] == "Riverside Recovery Collective"
    assert venue["formatted_address"] == "1200 River Rd, Springfield, IL 62701, USA"
    assert len(venue["formatted_address"].split(", ")) == 4
    assert feed["Online Only"]["formatted_address"] == "Springfield, IL, USA"


def test_groups_can_carry_every_meeting_type_of_the_spec_named_in_both_languages(db):
    from django.utils import translation

    from groups.meeting_types import meeting_types_ensure

    meeting_types_ensure()  # a transactional test before this one flushed the migration's rows
    types = {t.code: t for t in MeetingType.objects.all()}
    assert len(types) == 87 and {"POA", "NB", "TL", "AR", "LS", "ABSI"} <= set(types)
    with translation.override("es"):
        assert types["BE"].label == "Principiantes" and types["O"].label == "Abierta"
    with translation.override("en"):
        assert types["BE"].label == "Newcomer"
