"""C1: with the broker (Redis) away, a member in crisis still gets her crisis resources, not a
server error; the alerts wait in the outbox for the dispatcher."""

from __future__ import annotations

import pytest

from notifications.models import Delivery, DeliveryStatus, Notification

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(settings):  # type: ignore[no-untyped-def]
    from recovery_site.celery import app

    previous = app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER
    app.conf.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    app.conf.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.pool.force_close_all()
    app._pool = None
    try:
        yield
    finally:
        from kombu import pools

        app.conf.CELERY_BROKER_URL, app.conf.CELERY_TASK_ALWAYS_EAGER = previous
        # Leave no closed pool behind for the next test that publishes for real.
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None


def test_a_crisis_check_in_shows_resources_and_the_alerts_wait(api, care_team, dr_reyes, jordan, broker_down):
    body = {"mood": 1, "craving": 9, "used": "yes", "connected": False, "need_support": True}
    r = api(care_team).post("/api/v1/checkins/", body, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["crisis_resources"]
    alerts = Notification.objects.filter(kind="crisis_alert")
    assert set(alerts.values_list("recipient_id", flat=True)) >= {dr_reyes.pk}
    pending = Delivery.objects.filter(notification__in=alerts)
    assert pending.exists() and set(pending.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    assert api().get("/healthz").json()["broker"] == "down"
