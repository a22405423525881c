"""Reads of the messaging app. Who takes part in a conversation is THE rule here, derived from
the member's care team at every read (so leaving the team is leaving its conversations):

- the member herself, in every one of her conversations;
- `match`: her mentor while the match is active (closed and read-only for her once it ends);
- `care_team`: everyone on her active care team (clinicians, her mentor, family she added);
- `direct`: the one person she talks with, while that person is on her active care team.

A clinician does not read the private match conversation; staff read a conversation only
through a report (moderation), and that read is access-logged."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from common.errors import NotVisible
from matching.models import MatchStatus
from members.choices import CareRole, Role
from members.models import CareTeamMember, User

from .models import Conversation, Kind, Message, ReadMark, Report, ReportStatus, Suspension

PAGE_SIZE = 50
ROLE_ORDER = {CareRole.CLINICIAN.value: 1, CareRole.MENTOR.value: 2, CareRole.FAMILY.value: 3}


def _on_team(viewer: User) -> Exists:
    return Exists(CareTeamMember.objects.filter(client=OuterRef("client_id"), member=viewer, ended_at__isnull=True))


def conversations_for_viewer(*, viewer: User) -> QuerySet[Conversation]:
    """Every conversation `viewer` takes part in now (no rows for anyone else)."""
    if not viewer.is_authenticated or viewer.organization_id is None or not viewer.is_active:
        return Conversation.objects.none()
    takes_part = (
        Q(client=viewer)
        | (Q(kind=Kind.CARE_TEAM) & _on_team(viewer))
        | (Q(kind=Kind.DIRECT, other=viewer) & _on_team(viewer))
        | Q(kind=Kind.MATCH, match__mentor=viewer, match__status=MatchStatus.ACTIVE)
    )
    return Conversation.objects.filter(organization_id=viewer.organization_id, client__is_active=True).filter(takes_part)


def conversation_get_for_viewer(*, viewer: User, conversation_id: int | str) -> Conversation:
    """The conversation if `viewer` takes part in it, else NotVisible (404)."""
    try:
        pk = int(conversation_id)
    except (TypeError, ValueError, OverflowError):
        raise NotVisible() from None
    if not 0 < pk < 2**63:
        raise NotVisible()
    conv = (
        conversations_for_viewer(viewer=viewer).select_related("client", "match", "match__mentor", "other").filter(pk=pk).first()
    )
    if conv is None:
        raise NotVisible()
    return conv


def match_conversation_between(*, viewer: User, other_id: int) -> Conversation | None:
    """The open match conversation of the viewer and `other_id` (member and mentor), if any."""
    return (
        conversations_for_viewer(viewer=viewer)
        .filter(kind=Kind.MATCH, match__status=MatchStatus.ACTIVE)
        .filter(Q(client_id=other_id, match__mentor=viewer) | Q(client=viewer, match__mentor_id=other_id))
        .first()
    )


def direct_pair(*, actor: User, with_id: Any) -> tuple[User, CareTeamMember]:
    """Who a direct conversation of `actor` with `with_id` is between: (the member, her care-team
    row of the other person). For the member `with` is someone on her active care team; for a
    team member it is the member. Anyone else is NotVisible (404), never a hint that they exist."""
    try:
        pk = int(with_id)
    except (TypeError, ValueError, OverflowError):
        raise NotVisible("No such person on the care team.") from None
    if not actor.is_active or actor.organization_id is None or pk == actor.pk or not 0 < pk < 2**63:
        raise NotVisible("No such person on the care team.")
    if actor.role == Role.CLIENT:
        client, other_id = actor, pk
    else:
        found = User.objects.filter(pk=pk, organization_id=actor.organization_id, role=Role.CLIENT, is_active=True).first()
        if found is None:
            raise NotVisible("No such person on the care team.")
        client, other_id = found, actor.pk
    member = (
        CareTeamMember.objects.filter(
            client=client, member_id=other_id, ended_at__isnull=True, member__is_active=True, organization_id=client.org_id
        )
        .select_related("member")
        .first()
    )
    if member is None:
        raise NotVisible("No such person on the care team.")
    return client, member


def direct_conversation_between(*, client: User, other_id: int) -> Conversation | None:
    """Their direct conversation, if either has opened it (direct_pair says whether they may)."""
    return Conversation.objects.filter(client=client, other_id=other_id, kind=Kind.DIRECT).first()


@dataclass
class Participant:
    id: int
    display_name: str
    role: str
    user: User | None = None


@dataclass
class ConversationInfo:
    conversation: Conversation
    participants: list[Participant]
    closed: bool
    unread_count: int = 0
    title: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def participant_ids(self) -> list[int]:
        return [p.id for p in self.participants]


def _teams(client_ids: Sequence[int]) -> dict[int, list[CareTeamMember]]:
    out: dict[int, list[CareTeamMember]] = {pk: [] for pk in client_ids}
    if not client_ids:
        return out
    rows = (
        CareTeamMember.objects.filter(client_id__in=list(client_ids), ended_at__isnull=True, member__is_active=True)
        .select_related("member")
        .order_by("client_id", "pk")
    )
    for m in rows:
        out.setdefault(m.client_id, []).append(m)
    return out


def _person(user: User, role: str | None = None) -> Participant:
    return Participant(id=user.pk, display_name=user.display_name, role=role or user.role, user=user)


def _info(conv: Conversation, team: list[CareTeamMember], viewer: User | None) -> ConversationInfo:
    client = conv.client
    people = [_person(client)]
    closed = False
    if conv.kind == Kind.MATCH:
        match = conv.match
        closed = match is None or match.status != MatchStatus.ACTIVE
        if match is not None and not closed:
            people.append(_person(match.mentor))
    elif conv.kind == Kind.CARE_TEAM:
        for m in sorted(team, key=lambda m: (ROLE_ORDER.get(m.role, 9), m.pk)):
            people.append(_person(m.member))
    else:
        on_team = any(m.member_id == conv.other_id for m in team)
        closed = not on_team
        if on_team and conv.other is not None:
            people.append(_person(conv.other))
    others = [p.display_name for p in people if viewer is None or p.id != viewer.pk]
    if conv.kind == Kind.CARE_TEAM:
        title = _("%(name)s's care team") % {"name": client.display_name}
    elif conv.kind == Kind.MATCH and conv.match is not None and viewer is not None and viewer.pk == client.pk:
        title = conv.match.mentor.display_name
    elif conv.kind == Kind.DIRECT and viewer is not None and viewer.pk == client.pk and conv.other is not None:
        title = conv.other.display_name
    else:
        title = ", ".join(others) or client.display_name
    return ConversationInfo(conversation=conv, participants=people, closed=closed, title=title)


def conversation_info(*, conversation: Conversation, viewer: User | None = None) -> ConversationInfo:
    """Who takes part now, and whether it is closed (one query)."""
    return _info(conversation, _teams([conversation.client_id])[conversation.client_id], viewer)


def participant_ids(*, conversation: Conversation) -> list[int]:
    return conversation_info(conversation=conversation).participant_ids


def conversation_list(*, viewer: User) -> QuerySet[Conversation]:
    """The viewer's conversations, latest activity first, each with `unread_count` (the
    messages of others after her read mark): one query, whatever the number of messages."""
    last_read = ReadMark.objects.filter(conversation=OuterRef("pk"), user=viewer).values("last_read_id")[:1]
    unread = (
        Message.objects.filter(conversation=OuterRef("pk"), id__gt=OuterRef("my_last_read"))
        .exclude(sender=viewer)
        .order_by()
        .values("conversation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        conversations_for_viewer(viewer=viewer)
        .select_related("client", "match", "match__mentor", "other")
        .annotate(my_last_read=Coalesce(Subquery(last_read), Value(0)))
        .annotate(unread_count=Coalesce(Subquery(unread), Value(0)))
        .order_by(F("last_message_at").desc(nulls_last=True), "-pk")
    )


def conversation_infos(*, viewer: User, conversations: Sequence[Conversation]) -> list[ConversationInfo]:
    """Participants of many conversations in one more query."""
    teams = _teams(sorted({c.client_id for c in conversations}))
    out = []
    for conv in conversations:
        info = _info(conv, teams.get(conv.client_id, []), viewer)
        info.unread_count = int(getattr(conv, "unread_count", 0) or 0)
        out.append(info)
    return out


def unread_messages(*, viewer: User) -> QuerySet[Message]:
    """The messages of others after her read mark, across every conversation she takes part in
    (the navigation's count)."""
    last_read = ReadMark.objects.filter(conversation=OuterRef("conversation"), user=viewer).values("last_read_id")[:1]
    return (
        Message.objects.filter(conversation__in=conversations_for_viewer(viewer=viewer).values("pk"))
        .filter(id__gt=Coalesce(Subquery(last_read), Value(0)))
        .exclude(sender=viewer)
    )


def messages_page(*, conversation: Conversation, before: int | None = None, limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    """Newest first: up to `limit` messages older than `before`, and whether more are older."""
    qs = Message.objects.filter(conversation=conversation).select_related("sender").order_by("-id")
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: limit + 1])
    return rows[:limit], len(rows) > limit


def read_marks(*, conversation: Conversation, participant_ids: Sequence[int]) -> dict[int, int]:
    """{user_id: last read message id} of the people who take part now."""
    return dict(
        ReadMark.objects.filter(conversation=conversation, user_id__in=list(participant_ids)).values_list(
            "user_id", "last_read_id"
        )
    )


def read_by(message: Message, marks: dict[int, int]) -> list[int]:
    return sorted(uid for uid, last in marks.items() if last >= message.pk and uid != message.sender_id)


def message_get_for_viewer(*, viewer: User, message_id: int | str) -> Message:
    try:
        pk = int(message_id)
    except (TypeError, ValueError, OverflowError):
        raise NotVisible() from None
    if not 0 < pk < 2**63:
        raise NotVisible()
    msg = Message.objects.filter(pk=pk, conversation__in=conversations_for_viewer(viewer=viewer)).select_related("sender").first()
    if msg is None:
        raise NotVisible()
    return msg


def is_suspended(*, user: User) -> bool:
    return Suspension.objects.filter(user=user, lifted_at__isnull=True).exists()


def recent_sent_count(*, user: User, since: datetime) -> int:
    return Message.objects.filter(sender=user, sent_at__gte=since).count()


# --- moderation (staff) --------------------------------------------------------------------


def reports_for_staff(*, viewer: User, status: str | None = ReportStatus.OPEN) -> QuerySet[Report]:
    if viewer.role != Role.STAFF or viewer.organization_id is None:
        return Report.objects.none()
    qs = Report.objects.filter(organization_id=viewer.organization_id).select_related(
        "message", "message__sender", "message__conversation", "message__conversation__client", "reporter"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def report_get_for_staff(*, viewer: User, report_id: int | str) -> Report:
    try:
        pk = int(report_id)
    except (TypeError, ValueError, OverflowError):
        raise NotVisible() from None
    if not 0 < pk < 2**63:
        raise NotVisible()
    report = reports_for_staff(viewer=viewer, status=None).filter(pk=pk).first()
    if report is None:
        raise NotVisible()
    return report


def report_context(*, report: Report, around: int = 5) -> list[Message]:
    """The reported message and a few before it, oldest first (what staff need to judge it)."""
    before = list(
        Message.objects.filter(conversation_id=report.message.conversation_id, id__lte=report.message_id)
        .select_related("sender")
        .order_by("-id")[: around + 1]
    )
    return list(reversed(before))


def active_match_conversation_of(*, client: User) -> Conversation | None:
    """Her open conversation with her mentor (the active match's), with the mentor loaded."""
    return (
        Conversation.objects.filter(client=client, kind=Kind.MATCH, match__status=MatchStatus.ACTIVE)
        .select_related("match__mentor")
        .first()
    )
