"""The outbox. Planners and services call `notification_create` (idempotent on dedupe_key);
the delivery task claims one Delivery with a conditional UPDATE, sends it, and marks it sent.
Failures go back to `pending` with a backoff (the dispatcher picks them up again); a sweeper
returns rows left in `sending` by a dead worker. Nothing is dropped silently: after the last
attempt a row is `failed` with its error, visible to operators."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from common.errors import Invalid, NotAllowed
from members.models import User

from .kinds import GENERIC_OUTSIDE, capped_kinds, kind_info, kind_known
from .models import Channel, Delivery, DeliveryStatus, Notification, NotificationPreference, Priority
from .sms import get_backend

log = logging.getLogger(__name__)

DEFAULT_CHANNELS = [Channel.IN_APP.value, Channel.EMAIL.value]
# Which kinds count against settings.NOTIFICATION_DAILY_CAP per local day is each kind's own
# registration (notifications.kinds: capped=True for routine nudges and reminders); crisis,
# account, care-team and one-off event messages never do.
EXTRA_CHANNELS = (Channel.EMAIL.value, Channel.SMS.value)
PREFERENCE_FIELDS = ("channels", "checkin_time", "checkin_days", "quiet_start", "quiet_end", "group_reminders")


def preference_get(*, user: User) -> NotificationPreference:
    pref, _ = NotificationPreference.objects.get_or_create(
        user=user, defaults={"channels": DEFAULT_CHANNELS, "checkin_days": [0, 1, 2, 3, 4, 5, 6]}
    )
    return pref


def _preference_values(*, user: User, pref: NotificationPreference, data: dict[str, Any]) -> dict[str, Any]:
    """The values `data` asks for, normalized, after the rules every entry point shares (the API
    and the settings page both come here). Fields `data` leaves out keep their current value."""
    values = {name: data[name] for name in PREFERENCE_FIELDS if name in data}
    if "channels" in values:
        channels = list(dict.fromkeys(values["channels"] or []))
        unknown = [c for c in channels if c not in Channel.values]
        if unknown:
            raise Invalid(f"“{unknown[0]}” is not a channel.", field="channels")
        if Channel.IN_APP.value not in channels:
            channels = [Channel.IN_APP.value, *channels]  # the inbox always gets everything
        if Channel.SMS.value in channels and not user.phone:
            raise Invalid("Add a phone number to your account before choosing text messages.", field="channels")
        values["channels"] = channels
    if "checkin_days" in values:
        days = sorted(set(values["checkin_days"] or []))
        if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
            raise Invalid("Days are 0 (Sunday) to 6 (Saturday).", field="checkin_days")
        values["checkin_days"] = days
    # A quiet window needs both ends, whichever of them this change leaves in place.
    start = values.get("quiet_start", pref.quiet_start)
    end = values.get("quiet_end", pref.quiet_end)
    if (start is None) != (end is None):
        raise Invalid("Give both the start and the end of quiet hours, or neither.", field="quiet_end")
    return values


@transaction.atomic
def preference_update(*, user: User, actor: User, data: dict[str, Any]) -> NotificationPreference:
    """Change how and when `user` hears from Kinship. Only the person herself may: reminders and
    quiet hours are hers to choose, not her care team's."""
    if actor.pk != user.pk:
        raise NotAllowed("Only the person herself can change her reminder settings.")
    pref = NotificationPreference.objects.select_for_update().get(pk=preference_get(user=user).pk)
    values = _preference_values(user=user, pref=pref, data=data)
    changed = {}
    for name, value in values.items():
        if getattr(pref, name) != value:
            changed[name] = [str(getattr(pref, name)), str(value)]
            setattr(pref, name, value)
    if Channel.IN_APP.value not in pref.channels:
        pref.channels = [Channel.IN_APP.value, *pref.channels]  # the inbox always gets everything
    if changed:
        pref.save()
        from members.services import audit_record

        audit_record(
            actor=actor,
            action="notification_preference.update",
            target=user,
            organization_id=user.organization_id,
            changes=changed,
        )
    return pref


def _in_quiet_hours(local: time, start: time, end: time) -> bool:
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end  # the window wraps midnight


def quiet_hours_release(*, user: User, pref: NotificationPreference, now: datetime) -> datetime:
    """When a non-urgent message to `user` may go out: now, or the end of their quiet hours."""
    if pref.quiet_start is None or pref.quiet_end is None:
        return now
    zone = ZoneInfo(user.timezone)
    local = now.astimezone(zone)
    if not _in_quiet_hours(local.time(), pref.quiet_start, pref.quiet_end):
        return now
    release = datetime.combine(local.date(), pref.quiet_end, tzinfo=zone)
    if release <= local:
        release = datetime.combine(local.date() + timedelta(days=1), pref.quiet_end, tzinfo=zone)
    return release.astimezone(ZoneInfo("UTC"))


def _channels_for(*, recipient: User, pref: NotificationPreference, priority: int, force: list[str] | None) -> list[str]:
    if force is not None:
        wanted = set(force)
    elif priority >= Priority.CRITICAL:
        wanted = set(EXTRA_CHANNELS)  # a crisis goes out everywhere the person can be reached
    else:
        wanted = set(pref.channels)
    chosen = [c for c in EXTRA_CHANNELS if c in wanted]
    if not recipient.phone and Channel.SMS.value in chosen:
        chosen.remove(Channel.SMS.value)
    return chosen


def _enqueue(delivery_ids: list[int]) -> None:
    if not delivery_ids:
        return
    from .tasks import deliver

    def send() -> None:
        try:
            for pk in delivery_ids:
                deliver.delay(pk)
        except Exception as exc:  # the broker is away (C1): never fail the request that wrote the rows
            # The rows are committed as pending; the dispatcher (beat, every 30 s) sends them once
            # the broker is back. A crisis check-in still shows the member her crisis resources.
            log.warning(
                "broker unavailable, %d deliveries wait for the dispatcher: %s", len(delivery_ids), exc.__class__.__name__
            )

    transaction.on_commit(send)


@transaction.atomic
def notification_create(
    *,
    recipient: User,
    kind: str,
    title: str,
    dedupe_key: str,
    body: str = "",
    url: str = "",
    payload: dict[str, Any] | None = None,
    priority: int = Priority.NORMAL,
    force_channels: list[str] | None = None,
    stale_after: datetime | None = None,
    outside_text: str = "",
) -> Notification | None:
    """Put a notification in the recipient's inbox and queue its email/SMS deliveries.
    `title` and `body` stay in Kinship (the inbox); email and SMS carry only `outside_text`
    (default: the kind's bare line, "You have a new notification in Kinship.") and a link.
    Returns None when `dedupe_key` was already used (the same nudge, alert or reminder), the
    recipient can no longer be reached, or a routine nudge would pass today's cap."""
    if not kind_known(kind):
        # Each app registers its kinds from its AppConfig.ready() (notifications.kinds).
        raise ValueError(f"unknown notification kind {kind!r}")
    if not recipient.is_active and not kind_info(kind).to_inactive:
        return None
    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    now = timezone.now()
    cap = getattr(settings, "NOTIFICATION_DAILY_CAP", 6)  # None or 0: no cap
    capped = capped_kinds()
    if cap and kind in capped and priority < Priority.CRITICAL:
        midnight = datetime.combine(now.astimezone(ZoneInfo(recipient.timezone)).date(), time(0), ZoneInfo(recipient.timezone))
        sent_today = Notification.objects.filter(recipient=recipient, kind__in=capped, created_at__gte=midnight).count()
        if sent_today >= cap:
            return None  # over today's cap: dropped (the dedupe key stays free)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                organization_id=recipient.organization_id,
                recipient=recipient,
                kind=kind,
                priority=priority,
                title=title[:200],
                body=body,
                outside_text=str(outside_text or kind_info(kind).outside)[:200],
                url=url,
                payload=payload or {},
                dedupe_key=dedupe_key,
                created_at=now,
            )
    except IntegrityError:
        return None  # another process inserted the same key a moment ago
    pref = preference_get(user=recipient)
    release = now if priority >= Priority.CRITICAL else quiet_hours_release(user=recipient, pref=pref, now=now)
    channels = _channels_for(recipient=recipient, pref=pref, priority=priority, force=force_channels)
    if stale_after is not None and release > stale_after:
        # Quiet hours would hold it past the moment it is about (a reminder for a session that
        # has begun by then): the inbox copy is enough; no email or text arrives too late.
        channels = []
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notification=notification, channel=channel, scheduled_for=release) for channel in channels]
    )
    _enqueue([d.pk for d in deliveries if d.scheduled_for <= now])
    return notification


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


# --- delivery -----------------------------------------------------------------------------


def _absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _outside(notification: Notification) -> str:
    """Nothing clinical leaves by email or SMS: only the notification's bare line."""
    return notification.outside_text or str(GENERIC_OUTSIDE)


def _send_email(notification: Notification) -> None:
    context = {
        "notification": notification,
        "outside": _outside(notification),
        "recipient": notification.recipient,
        "link": _absolute(notification.url) or _absolute("/notifications/"),
    }
    message = EmailMultiAlternatives(
        subject=_outside(notification),
        body=render_to_string("notifications/email/message.txt", context),
        to=[notification.recipient.email],
        headers={"X-Kinship-Notification": str(notification.pk)},
    )
    message.attach_alternative(render_to_string("notifications/email/message.html", context), "text/html")
    message.send(fail_silently=False)


def _send_sms(notification: Notification) -> None:
    # SMS may be read by someone else on a lock screen: never put record details in it.
    text = _outside(notification) + " " + (_absolute(notification.url) or _absolute("/notifications/"))
    get_backend().send(to=notification.recipient.phone, body=text[:480], reference=f"n{notification.pk}")


SENDERS = {Channel.EMAIL.value: _send_email, Channel.SMS.value: _send_sms}


def _may_reach_inactive(kind: str) -> bool:
    # A row queued under a kind no app registers any more (or a worker started without that app)
    # is treated as an ordinary message: an inactive account does not get it.
    return kind_known(kind) and kind_info(kind).to_inactive


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def delivery_attempt(*, delivery_id: int) -> str:
    """Claim, send, mark. Returns "sent", "retry", "failed", "skipped" or "not-claimed"."""
    now = timezone.now()
    # The claim: only one worker can move this row from pending to sending.
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, scheduled_for__lte=now).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not-claimed"
    delivery = Delivery.objects.select_related("notification__recipient").get(pk=delivery_id)
    recipient = delivery.notification.recipient
    if not recipient.is_active and not _may_reach_inactive(delivery.notification.kind):
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.SKIPPED, last_error="recipient inactive"
        )
        return "skipped"
    try:
        SENDERS[delivery.channel](delivery.notification)
    except Exception as exc:  # any provider failure: keep the row and try again later
        log.warning("delivery %s via %s failed (attempt %s): %s", delivery_id, delivery.channel, delivery.attempts, exc)
        final = delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            scheduled_for=timezone.now() + backoff(delivery.attempts),
            claimed_at=None,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        if final:
            log.error("delivery %s gave up after %s attempts", delivery_id, delivery.attempts)
        return "failed" if final else "retry"
    Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def deliveries_due(*, limit: int = 500) -> list[int]:
    return list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, scheduled_for__lte=timezone.now())
        .order_by("-notification__priority", "scheduled_for")
        .values_list("pk", flat=True)[:limit]
    )


def deliveries_dispatch_due(*, limit: int = 500) -> int:
    """Queue every pending delivery that is due. Safe to run often and concurrently: a
    delivery queued twice is claimed once."""
    from .tasks import deliver

    ids = deliveries_due(limit=limit)
    for pk in ids:
        deliver.delay(pk)
    return len(ids)


def deliveries_sweep_stuck(*, older_than: timedelta | None = None) -> int:
    """Rows claimed by a worker that died mid-send go back to pending and are queued again."""
    cutoff = timezone.now() - (older_than if older_than is not None else settings.NOTIFICATION_STUCK_AFTER)
    stuck = list(Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=cutoff).values_list("pk", flat=True))
    requeued = []
    for pk in stuck:
        # Conditional again: the worker may have finished between our read and this update.
        if Delivery.objects.filter(pk=pk, status=DeliveryStatus.SENDING, claimed_at__lt=cutoff).update(
            status=DeliveryStatus.PENDING, claimed_at=None, scheduled_for=timezone.now(), last_error="worker lost mid-send"
        ):
            requeued.append(pk)
    if requeued:
        log.warning("re-queued %s deliveries stuck in sending", len(requeued))
        from .tasks import deliver

        for pk in requeued:
            deliver.delay(pk)
    return len(requeued)
