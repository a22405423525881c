"""Delivery: a worker claims a batch of due deliveries (`select_for_update(skip_locked=True)`
plus a conditional UPDATE pending → sending), sends them over one email connection, and marks
them sent in one UPDATE. A failed send goes back to `pending` with a backoff (the dispatcher
picks it up again); after the last attempt it is `failed` with its error, visible to operators.
Nothing is dropped silently. A sweeper returns rows left in `sending` by a dead worker. No
task carries an ETA or countdown: what waits, waits in the database."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..kinds import GENERIC_OUTSIDE, kind_info, kind_known
from ..models import Channel, Delivery, DeliveryStatus, Notification
from ..sms import get_backend
from .create import DELIVERY_BATCH
from .unsubscribe import unsubscribe_url

log = logging.getLogger(__name__)


def _absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _outside(notification: Notification) -> str:
    """Nothing clinical leaves by email or SMS: only the notification's bare line."""
    return notification.outside_text or str(GENERIC_OUTSIDE)


def email_message(notification: Notification) -> EmailMultiAlternatives:
    """The email for a notification: the bare line, a link, and (for every kind that can be
    unsubscribed) a one-click signed unsubscribe link plus List-Unsubscribe headers (RFC 8058).
    Written in the recipient's language, whoever's request or task sends it."""
    with translation.override(notification.recipient.language or settings.LANGUAGE_CODE):
        return _email_message(notification)


def _email_message(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    unsubscribe = ""
    if kind_known(notification.kind) and kind_info(notification.kind).unsubscribable:
        unsubscribe = _absolute(unsubscribe_url(user=recipient, kind=notification.kind))
    context = {
        "notification": notification,
        "outside": _outside(notification),
        "recipient": recipient,
        "link": _absolute(notification.url) or _absolute("/notifications/"),
        "unsubscribe_url": unsubscribe,
    }
    headers = {"X-Kinship-Notification": str(notification.pk)}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=_outside(notification),
        body=render_to_string("notifications/email/message.txt", context),
        to=[recipient.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string("notifications/email/message.html", context), "text/html")
    return message


def _send_sms(notification: Notification) -> None:
    # SMS may be read by someone else on a lock screen: never put record details in it.
    with translation.override(notification.recipient.language or settings.LANGUAGE_CODE):
        outside = _outside(notification)
    text = outside + " " + (_absolute(notification.url) or _absolute("/notifications/"))
    get_backend().send(to=notification.recipient.phone, body=text[:480], reference=f"n{notification.pk}")


def _may_reach_inactive(kind: str) -> bool:
    # A row queued under a kind no app registers any more (or a worker started without that app)
    # is treated as an ordinary message: an inactive account does not get it.
    return kind_known(kind) and kind_info(kind).to_inactive


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def deliveries_claim(*, ids: Sequence[int] | None = None, limit: int = DELIVERY_BATCH) -> list[int]:
    """Claim up to `limit` due deliveries (these ids, or any): rows another worker holds are
    skipped, not waited for, and only pending rows move to sending. Returns the claimed ids."""
    now = timezone.now()
    with transaction.atomic():
        qs = Delivery.objects.filter(status=DeliveryStatus.PENDING, scheduled_for__lte=now)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        picked = list(
            qs.order_by("-notification__priority", "scheduled_for", "pk")
            .select_for_update(skip_locked=True, of=("self",))
            .values_list("pk", flat=True)[:limit]
        )
        if not picked:
            return []
        # Conditional as well: on a database without row locks (SQLite) the status is the claim.
        Delivery.objects.filter(pk__in=picked, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return picked


def _fail(delivery: Delivery, exc: BaseException) -> str:
    log.warning("delivery %s via %s failed (attempt %s): %s", delivery.pk, delivery.channel, delivery.attempts, exc)
    final = delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
        scheduled_for=timezone.now() + backoff(delivery.attempts),
        claimed_at=None,
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )
    if final:
        log.error("delivery %s gave up after %s attempts", delivery.pk, delivery.attempts)
    return "failed" if final else "retry"


def deliveries_send(*, ids: Sequence[int]) -> dict[int, str]:
    """Send deliveries this worker has claimed (status `sending`): every email over one
    connection to the email backend, SMS one by one. Returns {id: outcome} with outcome
    "sent", "retry", "failed" or "skipped"."""
    rows = list(
        Delivery.objects.filter(pk__in=list(ids), status=DeliveryStatus.SENDING).select_related("notification__recipient")
    )
    outcome: dict[int, str] = {}
    sent: list[int] = []
    skipped: list[int] = []
    emails: list[Delivery] = []
    for delivery in rows:
        notification = delivery.notification
        if not notification.recipient.is_active and not _may_reach_inactive(notification.kind):
            skipped.append(delivery.pk)
        elif delivery.channel == Channel.EMAIL.value:
            emails.append(delivery)
        else:
            try:
                _send_sms(notification)
            except Exception as exc:  # any provider failure: keep the row and try again later
                outcome[delivery.pk] = _fail(delivery, exc)
            else:
                sent.append(delivery.pk)
    if emails:
        connection = None
        try:
            connection = mail.get_connection(fail_silently=False)
            connection.open()
        except Exception as exc:  # the mail server is away: the whole batch waits for a retry
            for delivery in emails:
                outcome[delivery.pk] = _fail(delivery, exc)
            emails = []
        try:
            for delivery in emails:
                try:
                    message = email_message(delivery.notification)
                    message.connection = connection
                    message.send(fail_silently=False)
                except Exception as exc:
                    outcome[delivery.pk] = _fail(delivery, exc)
                else:
                    sent.append(delivery.pk)
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):  # the messages are sent; a failed QUIT changes nothing
                    connection.close()
    if skipped:
        Delivery.objects.filter(pk__in=skipped, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SKIPPED, last_error="recipient inactive"
        )
        outcome.update(dict.fromkeys(skipped, "skipped"))
    if sent:
        Delivery.objects.filter(pk__in=sent, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
        )
        outcome.update(dict.fromkeys(sent, "sent"))
    return outcome


def deliveries_deliver(*, ids: Sequence[int] | None = None, limit: int = DELIVERY_BATCH) -> dict[int, str]:
    """Claim (these ids, or any due) and send: what a worker does with one batch."""
    claimed = deliveries_claim(ids=ids, limit=limit if ids is None else max(limit, len(ids)))
    return deliveries_send(ids=claimed) if claimed else {}


def delivery_attempt(*, delivery_id: int) -> str:
    """Claim, send, mark one delivery. Returns "sent", "retry", "failed", "skipped" or
    "not-claimed"."""
    return deliveries_deliver(ids=[delivery_id]).get(delivery_id, "not-claimed")


def deliveries_due(*, limit: int = 5000) -> list[int]:
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, scheduled_for__lte=timezone.now())
        .order_by("-notification__priority", "scheduled_for")
        .values_list("pk", flat=True)[:limit]
    )


def _enqueue_now(ids: list[int]) -> None:
    from ..tasks import deliver_batch

    for i in range(0, len(ids), DELIVERY_BATCH):
        deliver_batch.delay(ids[i : i + DELIVERY_BATCH])


def deliveries_dispatch_due(*, limit: int = 5000) -> int:
    """Queue every pending delivery that is due, in batches. Safe to run often and
    concurrently: a delivery queued twice is claimed once."""
    ids = deliveries_due(limit=limit)
    _enqueue_now(ids)
    return len(ids)


def deliveries_sweep_stuck(*, older_than: timedelta | None = None) -> int:
    """Rows claimed by a worker that died mid-send go back to pending and are queued again."""
    cutoff = timezone.now() - (older_than if older_than is not None else settings.NOTIFICATION_STUCK_AFTER)
    with transaction.atomic():
        stuck = list(
            Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:5000]
        )
        # Conditional again: the worker may have finished between our read and this update.
        Delivery.objects.filter(pk__in=stuck, status=DeliveryStatus.SENDING, claimed_at__lt=cutoff).update(
            status=DeliveryStatus.PENDING, claimed_at=None, scheduled_for=timezone.now(), last_error="worker lost mid-send"
        )
    requeued = list(Delivery.objects.filter(pk__in=stuck, status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    if requeued:
        log.warning("re-queued %s deliveries stuck in sending", len(requeued))
        _enqueue_now(requeued)
    return len(requeued)
