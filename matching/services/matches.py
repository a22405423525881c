"""A member's way to a mentor: the request, her choice, the mentor's answer, the end of a
match, and proposals that expire. Who may do each is decided here (STYLE.md)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.errors import Conflict, Invalid, NotAllowed, NotVisible
from members.choices import CareRole, Role, VettingStatus
from members.models import CareTeamMember, ClientProfile, MentorProfile, User
from members.services import audit_record, care_team_add, care_team_end
from notifications.services import NotificationSpec, notification_create, notifications_create_many

from .. import fit_reasons, scoring, selectors
from ..models import OPEN_MATCH_STATUSES, Match, MatchRequest, MatchStatus, RequestStatus
from ..scopes import MATCH_ACCEPTED, MATCH_DECLINED, MATCH_PROPOSED, PROPOSAL_EXPIRED

PROPOSAL_TTL = timedelta(hours=72)


def _url(name: str) -> str:
    try:
        return reverse(name)
    except Exception:  # the page may not be installed (API-only deployments)
        return ""


# --- requests ---------------------------------------------------------------------------


@transaction.atomic
def match_request_create(*, client: User, preferences: dict[str, Any] | None = None) -> MatchRequest:
    """A member asks for a mentor for herself (one open request at a time); a family member
    asks for a family peer mentor the same way."""
    if client.role not in (Role.CLIENT, Role.FAMILY):
        raise NotAllowed(_("Only members can ask for a mentor."))
    if selectors.open_request_for_client(client=client) is not None:
        raise Conflict(_("You already have an open request for a mentor."))
    if Match.objects.filter(client=client, status=MatchStatus.ACTIVE).exists():
        raise Conflict(_("You already have a mentor. End that match before asking for a new one."))
    try:
        with transaction.atomic():
            req = MatchRequest.objects.create(organization_id=client.org_id, client=client, preferences=preferences or {})
    except IntegrityError:
        # Another request of the same client committed a moment ago (one_open_match_request_per_client).
        raise Conflict(_("You already have an open request for a mentor.")) from None
    audit_record(actor=client, action="match_request.create", target=req, client=client, changes=preferences or {})
    return req


# --- choosing and answering ------------------------------------------------------------------


def _pair_check(*, prefs: dict[str, Any], profile: MentorProfile, load: int) -> tuple[bool, int, list[str]]:
    mentor = {
        "id": profile.user_id,
        "pathways": profile.pathways,
        "languages": profile.languages,
        "formats": profile.formats,
        "availability": profile.availability,
        "experience_tags": profile.experience_tags,
        "gender": profile.gender,
        "supports_harm_reduction": profile.supports_harm_reduction,
        "years_in_recovery": profile.years_in_recovery,
        "capacity": profile.capacity,
    }
    pool = scoring.pool_build([mentor], {profile.user_id: load})
    feasible, score = scoring.score_matrix(scoring.clients_encode([prefs], pool), pool)
    return bool(feasible[0, 0]), int(score[0, 0]), fit_reasons.reasons_for(prefs, mentor, load=load)


@transaction.atomic
def match_choose(*, client: User, request: MatchRequest, mentor_id: int | str) -> Match:
    """The client proposes a mentor for her own request (anyone else's request: 404). The
    mentor's profile row is locked, so two clients who choose the same last place at the same
    instant cannot both get it."""
    req = MatchRequest.objects.select_for_update().filter(pk=request.pk, client=client).first()
    if req is None:
        raise NotVisible()
    if req.status != RequestStatus.OPEN:
        raise Conflict(_("This request is no longer open. Start a new one to look for a mentor."))
    try:
        mentor_pk = int(mentor_id)
    except (TypeError, ValueError):
        raise NotVisible(_("No such mentor.")) from None
    profile = (
        MentorProfile.objects.select_for_update()
        .filter(user_id=mentor_pk, organization_id=client.org_id, user__role=Role.MENTOR, user__is_active=True)
        .select_related("user")
        .first()
    )
    if profile is None:
        raise NotVisible(_("No such mentor."))
    if Match.objects.filter(client=client, status__in=OPEN_MATCH_STATUSES).exists():
        raise Conflict(_("You already have a proposal or a mentor. Wait for their answer first."))
    if profile.family_peer != (client.role == Role.FAMILY):
        # Family are offered family peer mentors only, members the others (two pools, never mixed).
        raise Conflict(
            _("%(name)s is not among the mentors offered to you. Please choose someone else.")
            % {"name": profile.user.display_name}
        )
    if profile.status != VettingStatus.APPROVED:
        raise Conflict(
            _("%(name)s is not taking new mentees right now. Please choose someone else.") % {"name": profile.user.display_name}
        )
    if profile.user_id in selectors.excluded_mentor_ids(client_id=client.pk):
        raise Conflict(
            _("You have already worked with %(name)s. Please choose someone else.") % {"name": profile.user.display_name}
        )
    load = Match.objects.filter(mentor_id=profile.user_id, status__in=OPEN_MATCH_STATUSES).count()
    if load >= profile.capacity:
        raise Conflict(
            _("%(name)s has no room for a new mentee right now. Please choose someone else.")
            % {"name": profile.user.display_name}
        )
    prefs = selectors.client_preferences(
        profile=ClientProfile.objects.filter(user=client).first(), request=req, client_id=client.pk
    )
    feasible, score, reasons = _pair_check(prefs=prefs, profile=profile, load=load)
    if not feasible:
        raise Conflict(_("%(name)s does not fit your language, format or other needs.") % {"name": profile.user.display_name})
    now = timezone.now()
    try:
        with transaction.atomic():
            match = Match.objects.create(
                organization_id=client.org_id,
                client=client,
                mentor=profile.user,
                request=req,
                score=score,
                reasons=reasons,
                source="client",
                proposed_by=client,
                proposed_at=now,
                expires_at=now + PROPOSAL_TTL,
            )
    except IntegrityError:
        raise Conflict(_("You already have a proposal or a mentor. Wait for their answer first.")) from None
    audit_record(
        actor=client, action="match.propose", target=match, client=client, changes={"mentor": profile.user_id, "score": score}
    )
    notify_proposed(match)
    selectors.mentor_pool_invalidate(organization_id=client.org_id)
    return match


def notify_proposed(match: Match) -> None:
    with translation.override(match.mentor.language):
        title = _("%(name)s would like you as their mentor") % {"name": match.client.display_name}
        body = _("Please accept or decline within 72 hours. If you can't take a new mentee now, declining is fine.")
    notification_create(
        recipient=match.mentor,
        kind=MATCH_PROPOSED,
        title=title,
        body=body,
        url=_url("mentor-proposals"),
        dedupe_key=f"match:{match.pk}:proposed",
        payload={"match": match.pk},
    )


def _locked_proposal(match: Match) -> Match:
    locked = Match.objects.select_for_update().select_related("client", "mentor").get(pk=match.pk)
    if locked.status != MatchStatus.PROPOSED:
        raise Conflict(_("This proposal is already %(status)s.") % {"status": locked.get_status_display().lower()})
    if locked.expires_at is not None and locked.expires_at <= timezone.now():
        raise Conflict(_("This proposal has expired."))
    return locked


@transaction.atomic
def match_accept(*, mentor: User, match: Match) -> Match:
    """Only the proposed mentor answers a proposal; to anyone else it does not exist."""
    if match.mentor_id != mentor.pk:
        raise NotVisible()
    match = _locked_proposal(match)
    now = timezone.now()
    match.status, match.responded_at, match.accepted_at = MatchStatus.ACTIVE, now, now
    match.save(update_fields=["status", "responded_at", "accepted_at"])
    if match.request_id:
        MatchRequest.objects.filter(pk=match.request_id, status=RequestStatus.OPEN).update(
            status=RequestStatus.MATCHED, closed_at=now
        )
    if not CareTeamMember.objects.filter(client=match.client, member=mentor, ended_at__isnull=True).exists():
        care_team_add(actor=mentor, client=match.client, member=mentor, role=CareRole.MENTOR)
    audit_record(actor=mentor, action="match.accept", target=match, client=match.client)
    with translation.override(match.client.language):
        title = _("%(name)s is now your mentor") % {"name": mentor.display_name}
        body = _("%(name)s accepted. Expect them to reach out soon, or say hello first.") % {"name": mentor.display_name}
    notification_create(
        recipient=match.client,
        kind=MATCH_ACCEPTED,
        title=title,
        body=body,
        url=_url("find-mentor"),
        dedupe_key=f"match:{match.pk}:accepted",
        payload={"match": match.pk},
    )
    selectors.mentor_pool_invalidate(organization_id=match.organization_id)
    return match


@transaction.atomic
def match_decline(*, mentor: User, match: Match) -> Match:
    """Only the proposed mentor answers a proposal; to anyone else it does not exist."""
    if match.mentor_id != mentor.pk:
        raise NotVisible()
    match = _locked_proposal(match)
    match.status, match.responded_at = MatchStatus.DECLINED, timezone.now()
    match.save(update_fields=["status", "responded_at"])
    audit_record(actor=mentor, action="match.decline", target=match, client=match.client)
    with translation.override(match.client.language):
        title = _("Your mentor request needs a new choice")
        body = _("%(name)s can't take a new mentee right now. It isn't about you: choose another mentor.") % {
            "name": mentor.display_name
        }
    notification_create(
        recipient=match.client,
        kind=MATCH_DECLINED,
        title=title,
        body=body,
        url=_url("find-mentor"),
        dedupe_key=f"match:{match.pk}:declined",
        payload={"match": match.pk},
    )
    selectors.mentor_pool_invalidate(organization_id=match.organization_id)
    return match


@transaction.atomic
def match_end(*, actor: User, match: Match, reason: str, rating: int | None = None) -> Match:
    if actor.org_id != match.organization_id:
        raise NotVisible()
    if actor.pk not in (match.client_id, match.mentor_id) and actor.role != Role.STAFF:
        raise NotAllowed(_("Only the member, their mentor or program staff can end a match."))
    match = Match.objects.select_for_update().select_related("client", "mentor").get(pk=match.pk)
    if match.status != MatchStatus.ACTIVE:
        raise Conflict(_("Only an active match can be ended."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Say briefly why the match ends."), field="reason")
    if rating is not None and not 1 <= int(rating) <= 5:
        raise Invalid(_("A rating is from 1 to 5."), field="rating")
    match.status, match.ended_at, match.ended_by = MatchStatus.ENDED, timezone.now(), actor
    match.end_reason, match.rating = reason[:2000], rating
    match.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "rating"])
    for membership in CareTeamMember.objects.filter(
        client=match.client, member=match.mentor, role=CareRole.MENTOR, ended_at__isnull=True
    ):
        care_team_end(actor=actor, membership=membership)
    audit_record(actor=actor, action="match.end", target=match, client=match.client, changes={"rating": rating})
    selectors.mentor_pool_invalidate(organization_id=match.organization_id)
    return match


def proposals_expire(*, now: datetime | None = None) -> int:
    """Planner: proposals unanswered for 72 hours expire, and the client is told they can choose
    again. Safe twice: rows are claimed with a conditional update, keys are unique."""
    now = now or timezone.now()
    expired = 0
    orgs: set[int] = set()
    ids = list(selectors.proposals_due_to_expire(now=now).values_list("pk", flat=True)[:1000])
    specs = []
    with transaction.atomic():
        for match_id in ids:
            claimed = Match.objects.filter(pk=match_id, status=MatchStatus.PROPOSED, expires_at__lte=now).update(
                status=MatchStatus.EXPIRED, responded_at=now
            )
            if not claimed:
                continue  # answered, or another beat got it first
            match = Match.objects.select_related("client", "mentor").get(pk=match_id)
            audit_record(actor=None, action="match.expire", target=match, client=match.client)
            with translation.override(match.client.language):  # each member reads it in their own language
                title = _("Your mentor request expired — choose again")
                body = _("%(name)s didn't answer within 72 hours. Your request is still open: pick another mentor.") % {
                    "name": match.mentor.display_name
                }
            specs.append(
                NotificationSpec(
                    recipient_id=match.client_id,
                    kind=PROPOSAL_EXPIRED,
                    title=title,
                    body=body,
                    url=_url("find-mentor"),
                    dedupe_key=f"match:{match.pk}:expired",
                    payload={"match": match.pk},
                )
            )
            expired += 1
            orgs.add(match.organization_id)
        # The clients are told in one batch, in the same transaction as the expiries.
        notifications_create_many(specs, now=now)
    for org_id in orgs:
        selectors.mentor_pool_invalidate(organization_id=org_id)
    return expired
