"""Losing Redis (issue 14, part 4): the test starts its own redis-server, stops it, and checks
that the web app keeps accepting check-ins and crisis alerts (no 500; the rows wait in
PostgreSQL) and that /healthz says the broker is down; then it starts Redis again with a real
Celery worker, and the dispatcher sends everything: none lost, none doubled."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from members.choices import Role
from notifications import services
from notifications.models import Delivery, DeliveryStatus, Notification
from tests.factories import UserFactory

from .conftest import sent_emails, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]

DRILL_PORT = 6390


class DrillRedis:
    """A redis-server of the test's own, on its own port, without persistence."""

    def __init__(self, port: int, workdir: Path) -> None:
        self.port, self.workdir, self.proc = port, workdir, None
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed for the drill"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.up, timeout=10, what="the drill's redis-server")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None
        wait_for(lambda: not self.up(), timeout=10, what="the drill's redis-server to stop")

    def up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False


def _point_app_at(url: str) -> None:
    from recovery_site.celery import app

    app.conf.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    from kombu import pools

    # Celery keeps connection and producer pools per broker URL: drop them all, so the next
    # publish connects afresh (to a server that may have restarted meanwhile).
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def drill_redis(tmp_path: Path, worker_env: dict[str, str], settings) -> Iterator[DrillRedis]:  # type: ignore[no-untyped-def]
    from recovery_site.celery import app

    previous = app.conf.CELERY_BROKER_URL
    redis = DrillRedis(DRILL_PORT, tmp_path)
    redis.start()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    _point_app_at(redis.url)
    worker_env["REDIS_URL"] = redis.url
    worker_env["CELERY_BROKER_URL"] = redis.url
    try:
        yield redis
    finally:
        redis.stop()
        _point_app_at(previous)


def test_with_redis_gone_nothing_fails_and_once_back_everything_is_sent_once(
    drill_redis, start_worker, worker_env, tmp_path, api, care_team, dr_reyes, jordan
):
    luis = UserFactory(role=Role.CLIENT, organization=care_team.organization)
    drill_redis.stop()

    # The broker is down: a crisis check-in and an ordinary one still answer, no 500.
    t0 = time.monotonic()
    crisis = {"mood": 1, "craving": 9, "used": "yes", "connected": False, "need_support": True}
    r = api(care_team).post("/api/v1/checkins/", crisis, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["crisis_resources"]
    r = api(luis).post("/api/v1/checkins/", {"mood": 4, "craving": 1, "used": "no", "connected": True}, format="json")
    assert r.status_code == 201, r.content
    assert time.monotonic() - t0 < 20  # the enqueue gives up quickly (CELERY_BROKER_CONNECTION_TIMEOUT)
    health = api().get("/healthz")
    assert health.status_code == 200 and health.json()["broker"] == "down"

    # A planner's batch while Redis is away: written, waiting.
    people = [UserFactory(role=Role.CLIENT, organization=care_team.organization) for _ in range(30)]
    created = services.notifications_create_many(
        [
            services.NotificationSpec(recipient_id=p.pk, kind="checkin_nudge", title="t", dedupe_key=f"drill:{p.pk}")
            for p in people
        ]
    )
    assert len(created) == 30
    # The dispatcher cannot reach Redis either: it fails, the rows stay pending.
    with pytest.raises(Exception):  # noqa: B017 (whatever kombu raises for a refused connection)
        services.deliveries_dispatch_due()
    waiting = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    alerts = Notification.objects.filter(kind="crisis_alert")
    assert alerts.filter(recipient=dr_reyes).exists()
    assert waiting.filter(notification__in=alerts).exists()
    expected = waiting.filter(channel="email").count()
    assert expected >= 31 and not Delivery.objects.exclude(status=DeliveryStatus.PENDING).exists()

    # Redis is back: a worker starts, beat's dispatcher runs (twice, as two beats would).
    # The web process is not restarted or reconfigured: its connection pool reconnects by itself.
    drill_redis.start()
    start_worker("drill")
    assert services.deliveries_dispatch_due() == Delivery.objects.count()
    services.deliveries_dispatch_due()
    wait_for(lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(), what="everything sent")
    assert api().get("/healthz").json()["broker"] == "ok"

    ids = sorted(
        int(line.split(":", 1)[1])
        for m in sent_emails(tmp_path / "mail")
        for line in m.splitlines()
        if line.startswith("X-Kinship-Notification:")
    )
    email_rows = sorted(Delivery.objects.filter(channel="email").values_list("notification_id", flat=True))
    assert ids == email_rows and len(ids) == expected  # none lost, none doubled
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
