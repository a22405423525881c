"""Benchmark behind `manage.py bench_delivery`: notifications per second through ONE real Celery
worker process (`-P solo`) on the real Redis broker, with Django's file email backend. The data
lives in a scratch organization that is deleted afterwards (the worker must see committed rows)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection

from members.choices import Role
from members.models import Organization, User
from notifications.models import Delivery, DeliveryStatus, Notification, NotificationPreference
from notifications.services import NotificationSpec, notifications_create_many

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class DeliveryResult:
    notifications: int
    sent: int
    seconds: float
    emails_written: int

    @property
    def per_second(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0


def _database_url() -> str:
    d = connection.settings_dict
    auth = d["USER"] or "postgres"
    if d.get("PASSWORD"):
        auth += f":{d['PASSWORD']}"
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


def _start_worker(queue: str, mail_dir: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"filemail://{mail_dir}",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + uuid.uuid4().hex),
        "ALLOWED_HOSTS": "localhost",
        "PYTHONPATH": str(ROOT),
    }
    cmd = [
        sys.executable, "-m", "celery", "-A", "recovery_site", "worker", "-P", "solo", "-Q", queue,
        "-n", f"bench-{uuid.uuid4().hex[:6]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--loglevel=WARNING",
    ]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # noqa: S603 (our own argv)


def run(*, notifications: int = 3000, timeout: float = 300) -> DeliveryResult:
    from celery import current_app as app  # the project's app (recovery_site sets it as current)

    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.REDIS_URL:
        raise SystemExit("bench_delivery needs REDIS_URL (a real broker) and a real worker")
    queue = f"bench-delivery-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    app.conf.CELERY_TASK_DEFAULT_QUEUE = queue
    mail_dir = Path(tempfile.mkdtemp(prefix="kinship-bench-mail-"))
    org = Organization.objects.create(slug=f"bench-delivery-{uuid.uuid4().hex[:8]}", name="Bench", timezone="America/Chicago")
    worker = _start_worker(queue, mail_dir)
    try:
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(email=f"d{i}-{org.slug}@bench.kinship.test", display_name=f"Member {i}", role=Role.CLIENT,
                     organization=org, timezone="America/Chicago", password=password)
                for i in range(notifications)
            ],
            batch_size=5000,
        )  # fmt: skip
        ids = list(User.objects.filter(organization=org).values_list("pk", flat=True))
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user_id=pk, channels=["in_app", "email"], checkin_days=[]) for pk in ids], batch_size=5000
        )
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1.0, destination=None) and time.monotonic() < deadline:
            time.sleep(0.5)  # the worker is up before the clock starts
        began = time.perf_counter()
        notifications_create_many(
            [
                NotificationSpec(recipient_id=pk, kind="checkin_nudge", title="Bench", dedupe_key=f"bench:{org.slug}:{pk}")
                for pk in ids
            ]
        )  # committed here: the batches go to Redis on commit
        rows = Delivery.objects.filter(notification__recipient__organization=org)
        total = rows.count()
        end = time.monotonic() + timeout
        while rows.filter(status=DeliveryStatus.SENT).count() < total and time.monotonic() < end:
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        sent = rows.filter(status=DeliveryStatus.SENT).count()
        written = sum(chunk.count("Subject:") for p in mail_dir.glob("*.log") for chunk in [p.read_text()])
        return DeliveryResult(notifications=total, sent=sent, seconds=seconds, emails_written=written)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        Notification.objects.filter(recipient__organization=org).delete()
        User.objects.filter(organization=org).delete()
        org.delete()
