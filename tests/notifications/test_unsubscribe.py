"""One-click signed unsubscribe links, per kind, in every email (crisis alerts excepted)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlparse

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications import services
from notifications.models import Delivery, EmailOptOut, Priority

pytestmark = pytest.mark.django_db


def send(user, key, kind="checkin_nudge", **kwargs):
    n = services.notification_create(recipient=user, kind=kind, title="t", dedupe_key=key, **kwargs)
    for d in Delivery.objects.filter(notification=n):
        services.delivery_attempt(delivery_id=d.pk)
    return mail.outbox[-1]


def link_path(message):
    return urlparse(message.extra_headers["List-Unsubscribe"].strip("<>")).path


def test_every_email_carries_a_one_click_link_and_headers(maya):
    message = send(maya, "a")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url in message.body and url in message.alternatives[0][0]


def test_the_link_stops_that_kind_only_and_needs_no_sign_in(maya):
    path = link_path(send(maya, "a"))
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    assert not EmailOptOut.objects.exists()  # a link scanner's GET changes nothing
    done = anonymous.post(path)
    assert done.status_code == 200 and "unsubscribed" in done.content.decode()
    assert list(EmailOptOut.objects.values_list("user_id", "kind")) == [(maya.pk, "checkin_nudge")]
    before = len(mail.outbox)
    services.notification_create(recipient=maya, kind="checkin_nudge", title="t", dedupe_key="b")
    assert len(mail.outbox) == before and not Delivery.objects.filter(notification__dedupe_key="b").exists()
    # Another kind still emails.
    send(maya, "c", kind="match_accepted")
    assert len(mail.outbox) == before + 1


def test_crisis_alerts_carry_no_unsubscribe_link(dr_reyes):
    message = send(dr_reyes, "crisis", kind="crisis_alert", priority=Priority.CRITICAL)
    assert "List-Unsubscribe" not in message.extra_headers
    assert "unsubscribe" not in message.body.lower()


def test_a_crisis_token_changes_nothing(dr_reyes):
    token = services.unsubscribe_token(user=dr_reyes, kind="crisis_alert")
    r = Client().post(f"/unsubscribe/{token}/")
    assert r.status_code == 400 and "cannot be turned off" in r.content.decode()
    assert not EmailOptOut.objects.exists()


@pytest.mark.parametrize("mangle", [lambda t: t[:-3] + "abc", lambda t: "nonsense", lambda t: t[::-1]])
def test_a_forged_token_shows_a_clear_page_and_changes_nothing(maya, mangle):
    token = mangle(services.unsubscribe_token(user=maya, kind="checkin_nudge"))
    for method in ("get", "post"):
        r = getattr(Client(), method)(f"/unsubscribe/{token}/")
        assert r.status_code in (200, 400) and "not valid" in r.content.decode()
    assert not EmailOptOut.objects.exists()


def test_an_expired_token_changes_nothing(maya):
    with time_machine.travel(timezone.now() - timedelta(days=services.unsubscribe.MAX_AGE_DAYS + 1)):
        token = services.unsubscribe_token(user=maya, kind="checkin_nudge")
    r = Client().post(f"/unsubscribe/{token}/")
    assert r.status_code == 400 and "expired" in r.content.decode()
    assert not EmailOptOut.objects.exists()


def test_someone_elses_token_changes_nothing(maya, jordan, omar):
    token = services.unsubscribe_token(user=maya, kind="checkin_nudge")
    for other in (jordan, omar):
        browser = Client()
        browser.force_login(other)
        r = browser.post(f"/unsubscribe/{token}/")
        assert r.status_code == 400 and "someone else" in r.content.decode()
    assert not EmailOptOut.objects.exists()


def test_a_changed_email_address_voids_old_links(maya):
    token = services.unsubscribe_token(user=maya, kind="checkin_nudge")
    maya.email = "maya.new@example.org"
    maya.save()
    assert Client().post(f"/unsubscribe/{token}/").status_code == 400
    assert not EmailOptOut.objects.exists()
