"""Real Celery workers against the real Redis broker and the PostgreSQL test database.

Each worker is a separate `celery worker` process started with the test database's URL, the
default queue (emptied before and after each test), file email and SMS backends in a temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.notifications.feature_kinds import use_feature_kinds

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    d = connection.settings_dict
    auth = d["USER"] or "postgres"
    if d.get("PASSWORD"):
        auth += f":{d['PASSWORD']}"
    return f"postgres://{auth}@{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{d['NAME']}"


@pytest.fixture
def worker_env(tmp_path: Path, transactional_db: None) -> Iterator[dict[str, str]]:
    """Send this test's tasks to the real broker instead of running them in-process. The queue
    is emptied first so messages left by an earlier, interrupted run cannot interfere."""
    from recovery_site.celery import app

    queue = app.conf.task_default_queue
    app.conf.CELERY_TASK_ALWAYS_EAGER = False  # the autouse fixture puts it back
    app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
        "SMS_BACKEND": "notifications.sms.FileSmsBackend",
        "SMS_FILE_PATH": str(tmp_path / "sms"),
        "DEBUG": "1",
        "CONN_MAX_AGE": "0",
        "PYTHONPATH": str(ROOT),
    }
    (tmp_path / "mail").mkdir()
    (tmp_path / "sms").mkdir()
    yield env
    app.control.purge()


@pytest.fixture
def start_worker(worker_env: dict[str, str]) -> Iterator[Callable[..., subprocess.Popen]]:
    procs: list[subprocess.Popen] = []

    def start(name: str, **overrides: str) -> subprocess.Popen:
        env = {**worker_env, **overrides}
        cmd = [
            sys.executable, "-m", "celery", "-A", "recovery_site", "worker",
            "-P", "solo", "-Q", env["CELERY_TASK_DEFAULT_QUEUE"], "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
        ]  # fmt: skip
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(autouse=True)
def _feature_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kinds these tests send (the workers only deliver: they need no registration)."""
    use_feature_kinds(monkeypatch)


def wait_for(condition: Callable[[], bool], timeout: float = 60, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def sent_emails(mail_dir: Path) -> list[str]:
    """Messages written by Django's file email backend (one file per connection)."""
    messages: list[str] = []
    for path in mail_dir.glob("*.log"):
        for chunk in path.read_text().split("-" * 79):
            if "Subject:" in chunk:
                messages.append(chunk)
    return messages


__all__ = ["sent_emails", "settings", "wait_for"]
