"""Risk flags: opened by the rules (idempotent while one is open), closed automatically when
the condition is over, resolved by the member's treating clinician with a note, and told to her
mentor once per episode where the member shares her check-in detail with the mentor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy

from common.errors import Conflict, Invalid, NotAllowed, NotVisible
from members.access import ClientView, client_get_for_viewer, client_ids_seeing
from members.choices import CareRole, Role
from members.models import CareTeamMember, User
from members.services import audit_record
from notifications.services import NotificationSpec, notifications_create_many

from ..models import FlagKind, RiskFlag
from ..scopes import CHECKIN_PAUSED, DISENGAGEMENT, RISK_FLAGS

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
        raise NotAllowed(gettext("Only the member's clinicians resolve risk flags."))
    note = note.strip() if isinstance(note, str) else ""
    if not note:
        raise Invalid(gettext("Say what was done (a call, a session, a referral) before resolving."), field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(gettext("Keep the note to %(note_max)s characters or fewer.") % {"note_max": NOTE_MAX}, field="note")
    now = timezone.now()
    # Conditional: another clinician may have resolved it a moment ago.
    if not RiskFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor, resolution_note=note
    ):
        raise Conflict(gettext("This flag is already resolved."))
    flag.refresh_from_db()
    audit_record(
        actor=actor, action="risk_flag.resolve", target=flag, client=flag.client, changes={"fields": ["resolution_note"]}
    )
    return flag


# The flags a mentor hears about (not crisis: that goes through the crisis alert). One text for
# all of them: an email or a lock screen may be seen by others, so it names no clinical fact
# (no cravings, no mood, no missed groups); the mentor opens the member's timeline for that.
MENTOR_NOTICE_KINDS = frozenset({FlagKind.HIGH_CRAVING, FlagKind.LOW_MOOD, FlagKind.NO_CHECKIN_3D, FlagKind.MISSED_2_SESSIONS})
MENTOR_NOTICE_TEXT = gettext_lazy("%(name)s could use a friendly hello. A call or a text from you could help.")


CLINICIAN_NOTICE_TEXT = gettext_lazy("%(name)s has not checked in for a few days. Open her page to see how she is doing.")
# The member's own gentle note: no streak talk, no blame, an open door.
MEMBER_NOTE_TITLE = gettext_lazy("We've missed you. No pressure")
MEMBER_NOTE_BODY = gettext_lazy(
    "It's been a few days since your last check-in. Whenever you're ready, it takes 30 seconds, and you can "
    "skip any question. If things are hard right now, your mentor and care team are here for you."
)
# Which flags tell whom, once per episode: the mentor hears of the flags in MENTOR_NOTICE_KINDS
# (with the member's consent); no check-in for 3 days also tells her clinicians and her.
CLINICIAN_NOTICE_KINDS = frozenset({FlagKind.NO_CHECKIN_3D})
MEMBER_NOTE_KINDS = frozenset({FlagKind.NO_CHECKIN_3D})


CHECK_IN_WITH = gettext_lazy("Check in with %(name)s")
COULD_USE_A_HELLO = gettext_lazy("%(name)s could use a hello")


def _in(recipient: User, text: Any, **values: str) -> str:
    """The text in the recipient's own language (the batch holds people of both)."""
    with translation.override(recipient.language):
        return str(text) % values if values else str(text)


def flags_notify(*, flags: Sequence[RiskFlag], mentor_only: bool = False) -> int:
    """Tell the people around each member about a newly opened flag, once per episode (the
    dedupe keys carry the flag id), in one batch for all the flags:

    - her mentor, for the flags in MENTOR_NOTICE_KINDS, and only a mentor who reads her flags
      (members.access `risk_flags`: the member opens that to a mentor by sharing check-in
      detail); without that grant the mentor hears nothing: that she struggles is hers to share;
    - her clinicians on the care team (who read her flags under treatment consent), for no
      check-in in 3 days;
    - the member herself, a gentle note, for no check-in in 3 days.

    Nothing in email or SMS names the flag: they carry only the kind's bare line. With
    `mentor_only`, only the mentor's notice (a flag a check-in opened)."""
    member_kinds = frozenset() if mentor_only else MEMBER_NOTE_KINDS
    clinician_kinds = frozenset() if mentor_only else CLINICIAN_NOTICE_KINDS
    flags = [f for f in flags if f.kind in MENTOR_NOTICE_KINDS | clinician_kinds | member_kinds]
    if not flags:
        return 0
    clients = {c.pk: c for c in User.objects.filter(pk__in={f.client_id for f in flags})}
    memberships = CareTeamMember.objects.filter(
        client_id__in=list(clients),
        ended_at__isnull=True,
        role__in=[CareRole.MENTOR, CareRole.CLINICIAN],
        member__is_active=True,
    ).select_related("member")
    team: dict[int, list[tuple[str, User]]] = {}
    viewers: dict[int, tuple[User, list[User]]] = {}
    for m in memberships:
        team.setdefault(m.client_id, []).append((m.role, m.member))
        viewers.setdefault(m.member_id, (m.member, []))[1].append(clients[m.client_id])
    # One access decision per person on the care teams, for all her clients at once.
    seeing = {pk: client_ids_seeing(viewer=v, clients=cs, kind=RISK_FLAGS) for pk, (v, cs) in viewers.items()}
    specs = []
    for flag in flags:
        client = clients[flag.client_id]
        url = reverse("client-timeline", kwargs={"client_id": client.pk})
        if flag.kind in member_kinds and client.is_active:
            specs.append(
                NotificationSpec(
                    recipient_id=client.pk,
                    kind=CHECKIN_PAUSED,
                    title=_in(client, MEMBER_NOTE_TITLE),
                    body=_in(client, MEMBER_NOTE_BODY),
                    url=reverse("checkin"),
                    dedupe_key=f"riskflag:{flag.pk}:{client.pk}",
                )
            )
        for role, person in team.get(client.pk, []):
            if client.pk not in seeing.get(person.pk, frozenset()):
                continue
            if role == CareRole.MENTOR and flag.kind in MENTOR_NOTICE_KINDS:
                body = _in(person, MENTOR_NOTICE_TEXT, name=client.display_name)
                title = _in(person, CHECK_IN_WITH, name=client.display_name)
            elif role == CareRole.CLINICIAN and person.role == Role.CLINICIAN and flag.kind in clinician_kinds:
                body = _in(person, CLINICIAN_NOTICE_TEXT, name=client.display_name)
                title = _in(person, COULD_USE_A_HELLO, name=client.display_name)
            else:
                continue
            specs.append(
                NotificationSpec(
                    recipient_id=person.pk,
                    kind=DISENGAGEMENT,
                    title=title,
                    body=body,
                    url=url,
                    payload={"client": client.pk, "flag": flag.pk},
                    dedupe_key=f"riskflag:{flag.pk}:{person.pk}",
                )
            )
    return len(notifications_create_many(specs))


def mentor_notify_flag(*, client: User, flag: RiskFlag) -> int:
    """Tell the client's mentor about one flag, once per episode (see `flags_notify`)."""
    return flags_notify(flags=[flag], mentor_only=True)


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
    opened = []
    with transaction.atomic():
        for client in clients.exclude(pk__in=already):
            flag, was_opened = risk_flag_open(
                client=client, kind=FlagKind.MISSED_2_SESSIONS, reason="Missed the last two group sessions in a row."
            )
            if was_opened:
                opened.append(flag)
        flags_notify(flags=opened, mentor_only=True)
    return len(opened)


def risk_flags_resolve_for_attendance(*, organization_id: int, client_ids: set[int]) -> int:
    """These clients attended again: close their `missed_2_sessions` flags."""
    return RiskFlag.objects.filter(
        organization_id=organization_id, client_id__in=client_ids, kind=FlagKind.MISSED_2_SESSIONS, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolution_note="Attended a session again.")
