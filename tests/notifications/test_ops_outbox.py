"""Operations: the staff outbox (API and page), batch delivery, /healthz `beat`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification, PlannerRun

pytestmark = pytest.mark.django_db


def make(user, key, kind="checkin_nudge", title="Secret title"):
    return services.notification_create(recipient=user, kind=kind, title=title, body="Secret body", dedupe_key=key)


def test_staff_see_pending_failed_with_reasons_and_daily_counts(api, sam, maya, omar, priya, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_ops_outbox.BrokenBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    failed = make(maya, "f")
    services.delivery_attempt(delivery_id=Delivery.objects.get(notification=failed).pk)
    make(maya, "p")  # left pending
    make(priya, "other-org")
    r = api(sam).get("/api/v1/ops/outbox/")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["by_status"]["failed"] == 1 and body["by_status"]["pending"] == 1  # Priya's is Harbor House's
    [row] = body["failed"]
    assert row["last_error"].startswith("ConnectionRefusedError") and row["recipient"]["id"] == maya.pk
    assert body["oldest_pending"]["kind"] == "checkin_nudge"
    assert {(d["status"], d["count"]) for d in body["per_day"]} == {("failed", 1), ("pending", 1)}
    assert "Secret" not in r.content.decode()  # counts and kinds, never what a message says
    assert api(omar).get("/api/v1/ops/outbox/").json()["by_status"]["failed"] == 0


@pytest.mark.parametrize("who", ["maya", "jordan", "dr_reyes", "lee", "priya"])
def test_anyone_but_staff_gets_403(api, who, request):
    assert api(request.getfixturevalue(who)).get("/api/v1/ops/outbox/").status_code == 403


def test_anonymous_gets_401_and_bad_days_400(api, sam):
    assert api().get("/api/v1/ops/outbox/").status_code == 401
    assert api(sam).get("/api/v1/ops/outbox/?days=0").status_code == 400
    assert api(sam).get("/api/v1/ops/outbox/?days=abc").status_code == 400


def test_the_staff_page_is_in_staff_navigation(client, sam, maya):
    make(maya, "x")
    client.force_login(sam)
    home = client.get("/").content.decode()
    assert 'href="/staff/outbox/"' in home
    page = client.get("/staff/outbox/")
    assert page.status_code == 200 and "Oldest pending" in page.content.decode()
    client.force_login(maya)
    assert client.get("/staff/outbox/").status_code == 403


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class CountingBackend:
    opened = 0

    def __init__(self, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        self._inner = EmailBackend()

    def open(self):
        CountingBackend.opened += 1

    def close(self):
        pass

    def send_messages(self, messages):
        return self._inner.send_messages(messages)


def test_a_batch_uses_one_email_connection(org, settings):
    from members.choices import Role
    from tests.factories import UserFactory

    settings.EMAIL_BACKEND = "tests.notifications.test_ops_outbox.CountingBackend"
    CountingBackend.opened = 0
    people = [UserFactory(role=Role.CLIENT, organization=org) for _ in range(20)]
    services.notifications_create_many(
        [services.NotificationSpec(recipient_id=p.pk, kind="checkin_nudge", title="t", dedupe_key=f"k{p.pk}") for p in people]
    )
    outcome = services.deliveries_deliver(limit=100)
    assert list(outcome.values()) == ["sent"] * 20 and len(mail.outbox) == 20
    assert CountingBackend.opened == 1


def test_a_failed_batch_is_retried_never_dropped(maya, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_ops_outbox.BrokenBackend"
    n = make(maya, "r")
    delivery = Delivery.objects.get(notification=n)
    assert services.deliveries_deliver(ids=[delivery.pk]) == {delivery.pk: "retry"}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.scheduled_for > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Delivery.objects.filter(pk=delivery.pk).update(scheduled_for=timezone.now())
    assert services.deliveries_deliver() == {delivery.pk: "sent"}
    assert len(mail.outbox) == 1 and Notification.objects.count() == 1


def test_healthz_says_beat_down_until_a_planner_runs(api):
    assert api().get("/healthz").json()["beat"] == "down"
    services.planner_run_record(task="notifications.tasks.deliveries_dispatch_due")
    assert api().get("/healthz").json()["beat"] == "ok"
    PlannerRun.objects.update(last_run_at=timezone.now() - timedelta(minutes=6))
    body = api().get("/healthz")
    assert body.status_code == 200 and body.json()["beat"] == "down"


def test_a_beat_task_in_a_worker_records_the_heartbeat():
    from notifications.tasks import deliveries_dispatch_due

    deliveries_dispatch_due.apply()
    assert PlannerRun.objects.filter(task="notifications.tasks.deliveries_dispatch_due").exists()
