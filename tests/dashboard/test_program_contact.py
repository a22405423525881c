"""The program's north star and contact rhythm (API.md "Dashboards"): `median_hours_to_first_contact`
(sign-up → the mentor's first message or logged contact) and `contact_rhythm_7d` (the share of
active matches with a mentor contact in the last 7 days), against hand-computed data, in the API,
the page and the CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.choices import Role
from messaging.models import Conversation
from messaging.services import message_send
from tests.factories import UserFactory

from .conftest import NOW, contact, local, make_client, match

URL = "/api/v1/dashboard/program/"
WINDOW = {"from": "2026-11-01", "to": "2026-11-20"}  # ends Nov 21 00:00 Chicago; last 7 days from Nov 14


def say(frozen, m, sender, at: datetime, body: str = "Hi, checking in") -> None:
    """`sender` writes in the match's conversation at `at` (through the real service)."""
    frozen.move_to(at)
    message_send(sender=sender, conversation=Conversation.objects.get(match=m), body=body)
    frozen.move_to(NOW)


@pytest.fixture
def contacts(frozen, org, jordan):
    """Five active matches and one ended, all with Jordan (clients join at 06:00 local):
    - Ana joined Nov 2; she wrote first (not contact), Jordan wrote Nov 3 06:00, logged a call
      Nov 5: first contact 24 h. No contact in the last 7 days (her own message on Nov 19 is not).
    - Bo joined Nov 4; a logged call Nov 4 16:00 (10 h) before Jordan's first message Nov 6;
      a logged call Nov 18: in the rhythm.
    - Cy joined Oct 1 (before the window, and before the clocks went back on Nov 1); Jordan's first
      message Nov 10 06:00: 40 days + 1 hour = 961 h. Jordan wrote Nov 19: in the rhythm.
    - Di's first contact was Oct 20, before the window: not in the median; nothing since Nov 12.
    - Ed joined Nov 15, matched, nobody wrote yet: not in the median, not in the rhythm.
    - Fay's match ended Nov 16 with a call on Nov 15: not active at the end, so not in the rhythm;
      her first contact (Nov 15, joined Nov 14: 33 h) is in the median.
    Median of 10, 24, 33, 961 = 28.5 h; rhythm 2 of 5 = 0.4."""
    ana = make_client(org, "Ana", joined=date(2026, 11, 2))
    bo = make_client(org, "Bo", joined=date(2026, 11, 4))
    cy = make_client(org, "Cy", joined=date(2026, 10, 1))
    di = make_client(org, "Di", joined=date(2026, 9, 1))
    ed = make_client(org, "Ed", joined=date(2026, 11, 15))
    fay = make_client(org, "Fay", joined=date(2026, 11, 14))

    ana_m = match(ana, jordan, accepted=local(date(2026, 11, 2), 18))
    say(frozen, ana_m, ana, local(date(2026, 11, 2), 20), "Hello! Nice to meet you")
    say(frozen, ana_m, jordan, local(date(2026, 11, 3), 6))
    contact(ana_m, local(date(2026, 11, 5)))
    say(frozen, ana_m, ana, local(date(2026, 11, 19)), "Are you around this week?")

    bo_m = match(bo, jordan, accepted=local(date(2026, 11, 4), 8))
    contact(bo_m, local(date(2026, 11, 4), 16))
    say(frozen, bo_m, jordan, local(date(2026, 11, 6)))
    contact(bo_m, local(date(2026, 11, 18)))

    cy_m = match(cy, jordan, accepted=local(date(2026, 11, 9)))
    say(frozen, cy_m, jordan, local(date(2026, 11, 10), 6))
    say(frozen, cy_m, jordan, local(date(2026, 11, 19)))

    di_m = match(di, jordan, accepted=local(date(2026, 10, 1)))
    contact(di_m, local(date(2026, 10, 20)))
    say(frozen, di_m, jordan, local(date(2026, 11, 12)))

    match(ed, jordan, accepted=local(date(2026, 11, 16)))

    fay_m = match(fay, jordan, accepted=local(date(2026, 11, 14), 12), ended=local(date(2026, 11, 16)))
    contact(fay_m, local(date(2026, 11, 15), 15))
    return {"ana": ana, "bo": bo, "cy": cy, "di": di, "ed": ed, "fay": fay}


def test_first_contact_and_rhythm_match_hand_computed_values(api, contacts, sam):
    body = api(sam).get(URL, WINDOW).json()
    assert body["median_hours_to_first_contact"] == 28.5
    assert body["contact_rhythm_7d"] == 0.4


def test_an_odd_cohort_takes_the_middle_member(api, contacts, frozen, org, jordan, sam):
    """A fifth member whose mentor wrote 2 h after she joined: 2, 10, 24, 33, 961 → 24 h."""
    gil = make_client(org, "Gil", joined=date(2026, 11, 17))
    m = match(gil, jordan, accepted=local(date(2026, 11, 17), 7))
    say(frozen, m, jordan, local(date(2026, 11, 17), 8))
    body = api(sam).get(URL, WINDOW).json()
    assert body["median_hours_to_first_contact"] == 24.0
    assert body["contact_rhythm_7d"] == 0.5  # Gil's match is active and had contact: 3 of 6


def test_a_window_before_any_contact_has_nulls(api, contacts, sam):
    body = api(sam).get(URL, {"from": "2026-08-01", "to": "2026-08-31"}).json()
    assert body["median_hours_to_first_contact"] is None
    assert body["contact_rhythm_7d"] is None  # no match was active then


def test_a_past_window_reads_its_own_last_seven_days(api, contacts, sam):
    """Window ending Nov 10: active then are Ana, Bo, Cy, Di (Ed and Fay came later); contact in
    Nov 4-10: Ana (the call Nov 5; Jordan's message of Nov 3 is before), Bo (call Nov 4, message Nov 6),
    Cy (Jordan wrote Nov 10), Di (nothing since Oct 20) → 3 of 4."""
    body = api(sam).get(URL, {"from": "2026-11-01", "to": "2026-11-10"}).json()
    assert body["contact_rhythm_7d"] == 0.75
    # First contacts by Nov 10: Ana 24 h, Bo 10 h, Cy 961 h → 24 h.
    assert body["median_hours_to_first_contact"] == 24.0


def test_other_programs_see_none_of_it(api, contacts, omar):
    body = api(omar).get(URL, WINDOW).json()
    assert body["median_hours_to_first_contact"] is None and body["contact_rhythm_7d"] is None


def test_page_and_csv_show_them(client, contacts, sam):
    client.force_login(sam)
    html = client.get("/dashboard/program/", WINDOW).content.decode()
    assert "28.5 h" in html and "median time from sign-up to first mentor contact" in html
    assert "40%" in html and "active matches with contact in the last 7 days" in html
    rows = list(csv.reader(io.StringIO(client.get("/dashboard/program.csv", WINDOW).content.decode())))
    figures = {r[0]: r[1] for r in rows[: rows.index([])] if len(r) == 2}
    assert figures["median_hours_to_first_contact"] == "28.5"
    assert figures["contact_rhythm_7d"] == "0.4"


def test_query_count_does_not_grow_with_matches_or_messages(api, frozen, org, sam):
    def count() -> int:
        api(sam).get(URL, WINDOW)
        with CaptureQueriesContext(connection) as ctx:
            api(sam).get(URL, WINDOW)
        return len(ctx.captured_queries)

    def grow(n: int, start: int) -> None:
        mentor = UserFactory(role=Role.MENTOR, organization=org)
        for i in range(start, start + n):
            c = make_client(org, f"C{i}", joined=date(2026, 11, 2))
            m = match(c, mentor, accepted=local(date(2026, 11, 4)))
            say(frozen, m, mentor, local(date(2026, 11, 5)))
            contact(m, local(date(2026, 11, 18)))

    grow(2, 0)
    small = count()
    grow(8, 100)
    assert count() == small
