"""Risk flags: opened by the rules (idempotent while one is open), closed automatically when
the condition is over, resolved by the member's treating clinician with a note, and told to her
mentor once per episode where the member shares her check-in detail with the mentor."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.errors import Conflict, Invalid, NotAllowed, NotVisible
from members.access import ClientView, client_get_for_viewer, client_ids_seeing
from members.choices import CareRole, Role
from members.models import CareTeamMember, User
from members.services import audit_record
from notifications.services import notification_create

from ..models import FlagKind, RiskFlag
from ..scopes import DISENGAGEMENT, RISK_FLAGS

NOTE_MAX = 2000


def care_team_of(client: User, roles: Iterable[str]) -> list[User]:
    """The client's active care-team members in these care roles."""
    return [
        m.member
        for m in CareTeamMember.objects.filter(
            client=client, ended_at__isnull=True, role__in=list(roles), member__is_active=True
        ).select_related("member")
    ]


def risk_flag_open(*, client: User, kind: str, reason: str, now: datetime | None = None) -> tuple[RiskFlag, bool]:
    """Open a flag unless one of this kind is already open for the client. (flag, opened?)"""
    if kind not in FlagKind.values:
        raise ValueError(f"unknown flag kind {kind!r}")
    existing = RiskFlag.objects.filter(client=client, kind=kind, resolved_at__isnull=True).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            flag = RiskFlag.objects.create(
                organization_id=client.org_id, client=client, kind=kind, reason=reason[:500], opened_at=now or timezone.now()
            )
    except IntegrityError:
        # Opened by a concurrent request a moment ago: the constraint keeps it to one.
        return RiskFlag.objects.get(client=client, kind=kind, resolved_at__isnull=True), False
    audit_record(actor=None, action="risk_flag.open", target=flag, client=client, changes={"kind": kind, "fields": ["reason"]})
    return flag, True


def risk_flag_resolve_auto(*, client: User, kind: str, note: str, now: datetime | None = None) -> int:
    """The condition is over (the member checked in, attended again): close the open flag."""
    return RiskFlag.objects.filter(client=client, kind=kind, resolved_at__isnull=True).update(
        resolved_at=now or timezone.now(), resolution_note=note
    )


def risk_flag_may_resolve(view: ClientView) -> bool:
    """THE rule for resolving a flag: a clinician on the member's care team who reads her flags
    (under her treatment consent, or with check-in detail shared). Resolving says "I responded";
    DESIGN.md gives that to the clinicians. Program staff see flags to run the program (kinds
    and dates on the dashboards) but do not resolve them, nor do mentors and family."""
    return view.relation == CareRole.CLINICIAN and view.viewer.role == Role.CLINICIAN and view.sees(RISK_FLAGS)


@transaction.atomic
def risk_flag_resolve(*, actor: User, flag: RiskFlag, note: str) -> RiskFlag:
    """The member's treating clinician closes a flag with a note on what was done. Anyone who
    may not see the member's flags gets NotVisible, anyone else who may not resolve NotAllowed."""
    view = client_get_for_viewer(viewer=actor, client_id=flag.client_id)
    if flag.organization_id != actor.organization_id or not view.sees(RISK_FLAGS):
        raise NotVisible()
    if not risk_flag_may_resolve(view):
        raise NotAllowed("Only the member's clinicians resolve risk flags.")
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        raise Invalid("Say what was done (a call, a session, a referral) before resolving.", field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(f"Keep the note to {NOTE_MAX} characters or fewer.", field="note")
    now = timezone.now()
    # Conditional: another clinician may have resolved it a moment ago.
    if not RiskFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution_note=note
    ):
        raise Conflict("This flag is already resolved.")
    flag.refresh_from_db()
    audit_record(
        actor=actor, action="risk_flag.resolve", target=flag, client=flag.client, changes={"fields": ["resolution_note"]}
    )
    return flag


# The flags a mentor hears about (not crisis: that goes through the crisis alert). One text for
# all of them: an email or a lock screen may be seen by others, so it names no clinical fact
# (no cravings, no mood, no missed groups); the mentor opens the member's timeline for that.
MENTOR_NOTICE_KINDS = frozenset({FlagKind.HIGH_CRAVING, FlagKind.LOW_MOOD, FlagKind.NO_CHECKIN_3D, FlagKind.MISSED_2_SESSIONS})
MENTOR_NOTICE_TEXT = "{name} could use a friendly hello. A call or a text from you could help."


def mentor_notify_flag(*, client: User, flag: RiskFlag) -> int:
    """Tell the client's mentor about a flag, once per episode (the dedupe key carries the flag
    id), and only a mentor who reads the member's flags (members.access: `risk_flags`, which the
    member opens to a mentor by sharing check-in detail). Without that grant the mentor hears
    nothing: that the member is struggling is hers to share."""
    if flag.kind not in MENTOR_NOTICE_KINDS:
        return 0
    created = 0
    for mentor in care_team_of(client, [CareRole.MENTOR]):
        if client.pk not in client_ids_seeing(viewer=mentor, clients=[client], kind=RISK_FLAGS):
            continue
        created += (
            notification_create(
                recipient=mentor,
                kind=DISENGAGEMENT,
                title=f"Check in with {client.display_name}",
                body=MENTOR_NOTICE_TEXT.format(name=client.display_name),
                url=reverse("client-timeline", kwargs={"client_id": client.pk}),
                payload={"client": client.pk, "flag": flag.pk},
                dedupe_key=f"riskflag:{flag.pk}:{mentor.pk}",
            )
            is not None
        )
    return created


def risk_flags_open_for_missed_sessions(*, organization_id: int, client_ids: set[int]) -> int:
    """Open `missed_2_sessions` for these clients (the groups feature finds who missed their
    last two sessions in a row). Idempotent: clients with an open flag get no second one.
    Returns how many flags were opened."""
    clients = User.objects.filter(organization_id=organization_id, pk__in=client_ids, role=Role.CLIENT, is_active=True)
    already = set(
        RiskFlag.objects.filter(client_id__in=client_ids, kind=FlagKind.MISSED_2_SESSIONS, resolved_at__isnull=True).values_list(
            "client_id", flat=True
        )
    )
    opened = 0
    for client in clients.exclude(pk__in=already):
        with transaction.atomic():
            flag, was_opened = risk_flag_open(
                client=client, kind=FlagKind.MISSED_2_SESSIONS, reason="Missed the last two group sessions in a row."
            )
            if was_opened:
                opened += 1
                mentor_notify_flag(client=client, flag=flag)
    return opened


def risk_flags_resolve_for_attendance(*, organization_id: int, client_ids: set[int]) -> int:
    """These clients attended again: close their `missed_2_sessions` flags."""
    return RiskFlag.objects.filter(
        organization_id=organization_id, client_id__in=client_ids, kind=FlagKind.MISSED_2_SESSIONS, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolution_note="Attended a session again.")
