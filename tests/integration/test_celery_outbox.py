"""The outbox with real workers: each notification is sent once, even when two workers race
for duplicated task messages, and a worker killed mid-send is recovered by the sweeper."""

from __future__ import annotations

import json
import os
import signal
from datetime import timedelta

import pytest

from members.choices import Role
from notifications import services
from notifications.models import Delivery, DeliveryStatus
from tests.factories import OrganizationFactory, UserFactory

from .conftest import sent_emails, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres]


def test_two_workers_send_each_notification_exactly_once(start_worker, worker_env, tmp_path):
    org = OrganizationFactory(slug="celery-org")
    people = [
        UserFactory(email=f"member{i}@example.org", role=Role.CLIENT, organization=org, phone=f"+1555000{i:04d}" if i % 2 else "")
        for i in range(24)
    ]
    for person in people:
        services.preference_update(
            user=person, actor=person, data={"channels": ["in_app", "email", "sms"] if person.phone else ["in_app", "email"]}
        )
        # Each creation queues its deliveries on commit (one message per delivery)...
        services.notification_create(
            recipient=person, kind="checkin_nudge", title=f"Hello {person.pk}", dedupe_key=f"hello:{person.pk}"
        )
    # ...and the dispatcher queues every due delivery again, twice: three messages per row.
    assert services.deliveries_dispatch_due() == 36
    assert services.deliveries_dispatch_due() == 36

    # Two workers start on the same 108 messages for 36 rows.
    start_worker("alpha")
    start_worker("beta")
    wait_for(lambda: not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists(), what="all deliveries sent")

    emails = sent_emails(tmp_path / "mail")
    recipients = sorted(line.split(":", 1)[1].strip() for m in emails for line in m.splitlines() if line.startswith("To:"))
    assert recipients == sorted(p.email for p in people)  # every person once, nobody twice
    sms = [json.loads(p.read_text()) for p in (tmp_path / "sms").glob("*.json")]
    assert sorted(s["to"] for s in sms) == sorted(p.phone for p in people if p.phone)
    assert Delivery.objects.filter(attempts=1).count() == 36
    # Two workers raced for the same rows; batched claims (select_for_update skip_locked) mean one
    # worker may well take a whole batch, so which worker sent what is not asserted: only that
    # nothing was sent twice or left behind, with every delivery claimed exactly once (above).


def test_worker_killed_mid_send_is_recovered_by_the_sweeper(start_worker, worker_env, tmp_path):
    org = OrganizationFactory(slug="celery-org-2")
    clinician = UserFactory(email="oncall@example.org", role=Role.CLINICIAN, organization=org, phone="+15550009999")
    notification = services.notification_create(
        recipient=clinician,
        kind="crisis_alert",
        title="A member asked for support",
        dedupe_key="crisis:kill",
        force_channels=["sms"],
    )
    delivery = notification.deliveries.get()
    sms_dir = tmp_path / "sms"

    doomed = start_worker("doomed", SMS_BACKEND="tests.support.sms.SlowFileSmsBackend", SLOW_SMS_SECONDS="120")
    wait_for(lambda: any(sms_dir.glob("started-*")), what="the first worker to start sending")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING and delivery.attempts == 1
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=10)
    assert not list(sms_dir.glob("*.json"))  # nothing went out

    # The broker message was acknowledged on receipt, so only the sweeper can bring it back.
    assert services.deliveries_sweep_stuck(older_than=timedelta(0)) == 1
    start_worker("rescuer")
    wait_for(lambda: Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).exists(), what="the rescue send")
    sent = [json.loads(p.read_text()) for p in sms_dir.glob("*.json")]
    assert [s["to"] for s in sent] == ["+15550009999"]
    delivery.refresh_from_db()
    assert delivery.attempts == 2
