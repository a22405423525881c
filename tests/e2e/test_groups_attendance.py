"""A facilitator takes attendance for a whole session on a phone-sized screen: one tap per
person, one save."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from groups import services
from groups.models import Attendance, Session
from members.choices import Role
from tests.e2e.conftest import screenshot
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def sign_in_with_cookie(page, live_server, user) -> None:  # type: ignore[no-untyped-def]
    """A real session for `user`, handed to the browser (the sign-in form is not what we test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}])


def test_facilitator_takes_attendance_in_one_screen(page, live_server, org, jordan, dr_reyes):
    chicago = ZoneInfo("America/Chicago")
    start = (timezone.now().astimezone(chicago) - timedelta(days=3)).replace(hour=7, minute=0, second=0, microsecond=0)
    group = services.group_create(
        actor=dr_reyes,
        data={
            "name": "Morning check-in circle",
            "kind": "peer_support",
            "timezone": "America/Chicago",
            "rrule": "FREQ=DAILY",
            "start_local": start.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 45,
            "location": "Riverbend community room",
            "address": "200 River Rd, Springfield, IL 62701, USA",
            "facilitators": [jordan.pk],
        },
    )
    services.sessions_materialize(group=group, since=timezone.now() - timedelta(days=2), until=timezone.now())
    session = Session.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("-starts_at").first()
    names = ["Alex", "Bea", "Cruz", "Dee"]
    people = [UserFactory(organization=org, role=Role.CLIENT, display_name=n) for n in names]
    for person in people:
        services.enrollment_join(actor=person, group=group, member=person)

    sign_in_with_cookie(page, live_server, jordan)
    page.goto(f"{live_server.url}/groups/manage/{group.pk}/")
    page.get_by_role("link", name="Take attendance").click()
    page.wait_for_url(f"**/groups/sessions/{session.pk}/attendance/")
    page.get_by_role("group", name="Bea").get_by_text("Late").click()
    page.get_by_role("group", name="Cruz").get_by_text("Absent").click()
    page.get_by_role("group", name="Dee").get_by_text("Excused").click()
    page.get_by_role("button", name="Mark the rest present").click()
    expect(page.get_by_text("4 of 4 recorded")).to_be_visible()
    screenshot(page, "groups-attendance")
    page.get_by_role("button", name="Save attendance").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Attendance saved for 4 people")).to_be_visible()
    recorded = {a.member.display_name: a.status for a in Attendance.objects.filter(session=session).select_related("member")}
    assert recorded == {"Alex": "present", "Bea": "late", "Cruz": "absent", "Dee": "excused"}
    # The saved choices are shown again on reload.
    assert page.get_by_role("group", name="Bea").get_by_label("Late").is_checked()
