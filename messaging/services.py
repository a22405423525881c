"""Writes of the messaging app: who may write what is decided here (STYLE.md). A socket is
only another way to receive: every message goes through `message_send`, which publishes to the
conversation's channel-layer group after the commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from checkins.models import FlagKind
from checkins.services import crisis_alert_send, crisis_resources, local_today, risk_flag_open
from common.errors import Conflict, DomainError, Invalid, NotAllowed, NotVisible
from matching.models import Match, MatchStatus
from members.access import access_log_record_many
from members.choices import Role
from members.models import User
from members.services import audit_record
from notifications.models import Notification
from notifications.services import NotificationSpec, notification_create, notifications_create_many

from . import selectors
from .crisis import reads_as_crisis
from .models import BODY_MAX, Conversation, Kind, Message, ReadMark, Report, ReportStatus, Suspension
from .scopes import MESSAGE, MESSAGES_RECORD, MODERATION_NOTICE, REPORT_RECEIVED

log = logging.getLogger(__name__)

RATE_LIMIT = 30  # messages per sender per minute (API.md)
NOTIFY_EVERY = timedelta(minutes=15)  # at most one `message` notification per conversation per recipient
TITLES = {"dr", "mr", "mrs", "ms", "mx"}


class TooMany(DomainError):
    status_code = 429


def first_name(user: User | None) -> str:
    """What an email or text may say of a sender: "Jordan", "Dr. Reyes"."""
    if user is None:
        return _("a former member")
    words = user.display_name.split()
    if not words:
        return _("someone")
    if len(words) > 1 and words[0].rstrip(".").lower() in TITLES:
        return f"{words[0]} {words[-1]}"
    return words[0]


def group_name(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def _url(conversation: Conversation) -> str:
    return reverse("conversation", kwargs={"conversation_id": conversation.pk})


# --- opening conversations -------------------------------------------------------------------


def conversation_open_for_match(*, match: Match) -> Conversation | None:
    """The match's private conversation, opened when the mentor accepts (idempotent)."""
    if match.status != MatchStatus.ACTIVE and not Conversation.objects.filter(match=match).exists():
        return None
    conv, _created = Conversation.objects.get_or_create(
        match=match, defaults={"organization_id": match.organization_id, "kind": Kind.MATCH, "client_id": match.client_id}
    )
    return conv


def conversation_care_team_ensure(*, client: User) -> Conversation:
    """Her care-team conversation, there once she has a care team (idempotent)."""
    existing = Conversation.objects.filter(client=client, kind=Kind.CARE_TEAM).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Conversation.objects.create(organization_id=client.org_id, client=client, kind=Kind.CARE_TEAM)
    except IntegrityError:
        return Conversation.objects.get(client=client, kind=Kind.CARE_TEAM)


@transaction.atomic
def conversation_direct_open(*, actor: User, with_id: Any) -> tuple[Conversation, bool]:
    """A member and someone on her active care team: (the direct conversation, created?).
    `with` is the other person: for the member someone on her team, for a team member the member.
    Anyone else is NotVisible (404), never a hint that the person exists."""
    client, member = selectors.direct_pair(actor=actor, with_id=with_id)
    other_id = member.member_id
    existing = selectors.direct_conversation_between(client=client, other_id=other_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            conv = Conversation.objects.create(organization_id=client.org_id, client=client, other_id=other_id, kind=Kind.DIRECT)
    except IntegrityError:  # the other side opened it a moment ago
        return Conversation.objects.get(client=client, other_id=other_id, kind=Kind.DIRECT), False
    audit_record(actor=actor, action="conversation.open", target=conv, client=client, changes={"kind": Kind.DIRECT})
    return conv, True


# --- sending ----------------------------------------------------------------------------------


@dataclass
class SendResult:
    message: Message
    read_by: list[int]
    crisis_resources: list[dict[str, str]] = field(default_factory=list)


def body_clean(body: Any) -> str:
    if not isinstance(body, str):
        raise Invalid(_("Write a message."), field="body")
    if "\x00" in body:
        raise Invalid(_("The message contains a NUL character."), field="body")
    text = body.strip()
    if not text:
        raise Invalid(_("Write a message."), field="body")
    if len(text) > BODY_MAX:
        raise Invalid(_("A message is at most %(max)s characters.") % {"max": f"{BODY_MAX:,}"}, field="body")
    return text


def message_send(*, sender: User, conversation: Conversation, body: Any) -> SendResult:
    """A participant writes in an open conversation. Checks first, so nothing is stored half
    way: the body (1–4,000 characters, no NUL), 409 when closed, 403 when staff suspended the
    sender, 429 past 30 messages a minute. A member's message that reads as a crisis opens the
    crisis path (the flag and the alert, once) and returns the crisis resources."""
    text = body_clean(body)
    info = selectors.conversation_info(conversation=conversation, viewer=sender)
    if sender.pk not in info.participant_ids:
        raise NotVisible()
    if info.closed:
        raise Conflict(_("This conversation is closed: it stays here to read, but no new messages."))
    if selectors.is_suspended(user=sender):
        raise NotAllowed(_("Program staff have paused your messages. Please contact them."))
    now = timezone.now()
    if selectors.recent_sent_count(user=sender, since=now - timedelta(minutes=1)) >= RATE_LIMIT:
        raise TooMany(_("You are sending messages very fast. Please wait a minute and try again."))
    crisis = sender.pk == conversation.client_id and reads_as_crisis(text)
    with transaction.atomic():
        msg = Message.objects.create(
            organization_id=conversation.organization_id,
            conversation=conversation,
            sender=sender,
            body=text,
            sent_at=now,
            crisis=crisis,
        )
        updates: dict[str, Any] = {"last_message_at": now}
        if conversation.kind == Kind.MATCH and conversation.match is not None and sender.pk == conversation.match.mentor_id:
            # A mentor's message is contact (matching.contact_sources): keep its first and last time.
            updates["last_mentor_message_at"] = now
            updates["first_mentor_message_at"] = Coalesce(F("first_mentor_message_at"), Value(now))
        Conversation.objects.filter(pk=conversation.pk).update(**updates)
        # Her own message is read by her: one upsert of her read mark.
        ReadMark.objects.bulk_create(
            [ReadMark(conversation=conversation, user=sender, last_read_id=msg.pk, read_at=now)],
            update_conflicts=True,
            unique_fields=["conversation", "user"],
            update_fields=["last_read_id", "read_at"],
        )
        others = [p for p in info.participants if p.id != sender.pk and p.user is not None]
        _notify(sender=sender, conversation=conversation, recipients=[p.user for p in others if p.user], message=msg)
        resources: list[dict[str, str]] = []
        if crisis:
            resources = _crisis_path(client=conversation.client)
        payload = message_payload(msg, read_by=[])
        audience = info.participant_ids
        transaction.on_commit(lambda: publish(conversation_id=conversation.pk, event=payload, audience=audience))
    return SendResult(message=msg, read_by=[], crisis_resources=resources)


def message_payload(msg: Message, *, read_by: list[int]) -> dict[str, Any]:
    sender = msg.sender
    return {
        "id": msg.pk,
        "sender": {"id": sender.pk, "display_name": sender.display_name} if sender else None,
        "body": msg.body,
        "sent_at": msg.sent_at.isoformat(),
        "read_by": read_by,
    }


def _notify(*, sender: User, conversation: Conversation, recipients: list[User], message: Message) -> None:
    """Kind `message`: that there is a new message and from whom, never its text; at most once
    per conversation per recipient per 15 minutes; quiet hours are the outbox's rule."""
    if not recipients:
        return
    since = message.sent_at - NOTIFY_EVERY
    prefix = f"message:{conversation.pk}:"
    recent = set(
        Notification.objects.filter(
            recipient_id__in=[r.pk for r in recipients], kind=MESSAGE, created_at__gte=since, dedupe_key__startswith=prefix
        ).values_list("recipient_id", flat=True)
    )
    specs = []
    for recipient in recipients:
        if recipient.pk in recent:
            continue
        with translation.override(recipient.language):  # in the recipient's language, not the sender's
            name = first_name(sender)
            specs.append(
                NotificationSpec(
                    recipient_id=recipient.pk,
                    kind=MESSAGE,
                    title=_("New message from %(name)s") % {"name": name},
                    body=_("Open the conversation in Kinship to read it."),
                    outside_text=_("New message from %(name)s in Kinship.") % {"name": name},
                    url=_url(conversation),
                    payload={"conversation": conversation.pk},
                    dedupe_key=f"{prefix}{recipient.pk}:{message.pk}",
                )
            )
    notifications_create_many(specs)  # every participant in one set-based write


def _crisis_path(*, client: User) -> list[dict[str, str]]:
    """The same path as a check-in's need_support: one crisis flag while it is open, and one
    alert per recipient per flag per local day (checkins.services.crisis_alert_send)."""
    flag, _opened = risk_flag_open(client=client, kind=FlagKind.CRISIS, reason="Asked for support in a message.")
    crisis_alert_send(client=client, flag=flag, local_date=local_today(client), source="message")
    return crisis_resources(client.organization)


def publish(*, conversation_id: int, event: dict[str, Any], audience: list[int]) -> None:
    """Hand the new message to the open sockets of its conversation. A channel layer that is
    down never fails the request: the page shows the message on its next load."""
    _group_send(
        conversation_id, {"type": "message.new", "message": event, "audience": audience}, what=f"message {event.get('id')}"
    )


def publish_read(*, conversation_id: int, reader_id: int, last_read_id: int, audience: list[int]) -> None:
    """Tell the open sockets of the conversation that `reader_id` has read up to `last_read_id`
    (the "Seen" under one's own messages, without reloading)."""
    event = {"type": "message.read", "reader": reader_id, "last_read_id": last_read_id, "audience": audience}
    _group_send(conversation_id, event, what=f"read mark {last_read_id}")


def _group_send(conversation_id: int, event: dict[str, Any], *, what: str) -> None:
    try:
        from asgiref.sync import async_to_sync
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group_name(conversation_id), event)
    except Exception as exc:  # Redis away: what is stored is stored; live delivery is a bonus
        log.warning("channel layer unavailable, %s not pushed live: %s", what, exc.__class__.__name__)


@transaction.atomic
def conversation_mark_read(*, user: User, conversation: Conversation) -> int:
    """The caller has read up to the newest message: her unread count becomes 0, and the
    others' open pages are told (their messages show "Seen")."""
    newest = Message.objects.filter(conversation=conversation).order_by("-id").values_list("pk", flat=True).first() or 0
    mark, created = ReadMark.objects.get_or_create(
        conversation=conversation, user=user, defaults={"last_read_id": newest, "read_at": timezone.now()}
    )
    advanced = created
    if not created and mark.last_read_id < newest:
        advanced = bool(
            ReadMark.objects.filter(pk=mark.pk, last_read_id__lt=newest).update(last_read_id=newest, read_at=timezone.now())
        )
    if advanced and newest:
        audience = selectors.participant_ids(conversation=conversation)
        transaction.on_commit(
            lambda: publish_read(conversation_id=conversation.pk, reader_id=user.pk, last_read_id=newest, audience=audience)
        )
    return newest


# --- reports and moderation -------------------------------------------------------------------

REPORT_REASON_MAX = 2000
NOTE_MAX = 2000


@transaction.atomic
def message_report(*, reporter: User, message: Message, reason: Any) -> Report:
    """A participant reports a message to program staff (one open report per person per message)."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise Invalid(_("Say briefly what is wrong with this message."), field="reason")
    if "\x00" in text or len(text) > REPORT_REASON_MAX:
        raise Invalid(_("A reason is at most %(max)s characters of text.") % {"max": f"{REPORT_REASON_MAX:,}"}, field="reason")
    if message.sender_id == reporter.pk:
        raise Invalid(_("You can't report your own message."), field="reason")
    if Report.objects.filter(message=message, reporter=reporter, status=ReportStatus.OPEN).exists():
        raise Conflict(_("You already reported this message; staff will look at it."))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                organization_id=message.organization_id, message=message, reporter=reporter, reason=text
            )
    except IntegrityError:
        raise Conflict(_("You already reported this message; staff will look at it.")) from None
    client = message.conversation.client
    audit_record(actor=reporter, action="message.report", target=report, client=client)
    for staff in User.objects.filter(organization_id=message.organization_id, role=Role.STAFF, is_active=True):
        with translation.override(staff.language):
            notification_create(
                recipient=staff,
                kind=REPORT_RECEIVED,
                title=_("A message was reported"),
                body=_("A participant reported a message. Open the moderation queue to look at it."),
                url=reverse("moderation-queue"),
                payload={"report": report.pk},
                dedupe_key=f"report:{report.pk}:{staff.pk}",
            )
    return report


def report_read(*, staff: User, report: Report) -> list[Message]:
    """Staff open a report: the reported message and what led to it. Staff are not
    participants, so the read goes to the member's access log (API.md)."""
    context = selectors.report_context(report=report)
    access_log_record_many(viewer=staff, clients=[report.message.conversation.client], resource=MESSAGES_RECORD)
    return context


def reports_read_log(*, staff: User, reports: list[Report]) -> None:
    """The moderation queue shows reported messages: one access-log row per member whose
    conversation staff read."""
    clients = {r.message.conversation.client_id: r.message.conversation.client for r in reports}
    access_log_record_many(viewer=staff, clients=list(clients.values()), resource=MESSAGES_RECORD)


ACTIONS = ("dismiss", "warn", "suspend_sender")


@transaction.atomic
def report_resolve(*, staff: User, report: Report, action: Any, note: Any = "") -> Report:
    if staff.role != Role.STAFF or staff.organization_id != report.organization_id:
        raise NotVisible()
    if action not in ACTIONS:
        raise Invalid(_("Choose dismiss, warn or suspend_sender."), field="action")
    note_text = note.strip() if isinstance(note, str) else ""
    if "\x00" in note_text or len(note_text) > NOTE_MAX:
        raise Invalid(_("A note is at most %(max)s characters of text.") % {"max": f"{NOTE_MAX:,}"}, field="note")
    claimed = Report.objects.filter(pk=report.pk, status=ReportStatus.OPEN).update(
        status={"dismiss": ReportStatus.DISMISSED, "warn": ReportStatus.WARNED, "suspend_sender": ReportStatus.SUSPENDED}[action],
        resolved_by=staff,
        resolved_at=timezone.now(),
        note=note_text,
    )
    if not claimed:
        raise Conflict(_("This report is already resolved."))
    report.refresh_from_db()
    sender = report.message.sender
    if action != "dismiss" and sender is not None:
        if action == "suspend_sender" and not selectors.is_suspended(user=sender):
            Suspension.objects.create(organization_id=report.organization_id, user=sender, report=report, created_by=staff)
        with translation.override(sender.language):
            notification_create(
                recipient=sender,
                kind=MODERATION_NOTICE,
                title=_("About a message you sent") if action == "warn" else _("Your messages are paused"),
                body=(
                    _("Program staff looked at a message you sent and ask you to keep to the program's guidelines.")
                    if action == "warn"
                    else _("Program staff paused your messages after a report. Please contact them.")
                ),
                url=reverse("inbox"),
                payload={"report": report.pk},
                dedupe_key=f"moderation:{report.pk}",
            )
    audit_record(
        actor=staff, action=f"message_report.{action}", target=report, client=report.message.conversation.client, changes={}
    )
    return report


# --- records ----------------------------------------------------------------------------------


def messaging_erase(user: User) -> None:
    """Erasure (members.exports): the member's conversations go with her (every message in
    them); elsewhere her words stay for the others as "a former member"."""
    Conversation.objects.filter(client=user).delete()
    Message.objects.filter(sender=user).update(sender=None)
    ReadMark.objects.filter(user=user).delete()
    Report.objects.filter(reporter=user).update(reporter=None)
    Suspension.objects.filter(user=user).delete()
