"""Reads of the matching app. What a viewer may read of a member is asked of members.access (STYLE.md)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, DateTimeField, Exists, F, Max, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Conflict, NotVisible
from members.access import (
    ClientView,
    access_log_record_many,
    care_team_visible,
    client_get_for_viewer,
    client_scopes_for_many,
    clients_visible_to,
)
from members.choices import Role, VettingStatus
from members.models import CareTeamMember, ClientProfile, MentorProfile, User

from . import fit_reasons, scoring
from .contact_sources import contact_sources
from .models import OPEN_MATCH_STATUSES, ContactLog, Match, MatchRequest, MatchStatus, RequestStatus
from .scopes import CONTACT_LOG

PREFERENCE_FIELDS = (
    "goal",
    "pathways",
    "languages",
    "formats",
    "availability",
    "experience_tags",
    "mentor_gender",
    "mentor_gender_required",
)
MENTOR_FIELDS = (
    "user_id",
    "user__display_name",
    "bio",
    "pathways",
    "languages",
    "formats",
    "availability",
    "experience_tags",
    "years_in_recovery",
    "supports_harm_reduction",
    "gender",
    "capacity",
)


def _pk(value: int | str) -> int:
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotVisible() from None
    if not 0 < pk < 2**63:
        raise NotVisible()
    return pk


# --- the organization's mentor pool, cached -------------------------------------------------
#
# Suggestions score one client against every approved mentor. Building the arrays costs a
# query and a pass over all profiles, so each process keeps the pool per organization and
# checks a version token in the shared cache (one round trip); any change to a mentor, a
# profile or a match bumps the token, in every process at once.

# Family members are offered family peer mentors only (`family_peer`), members the others: two
# pools per organization, never mixed (API.md "Family members' own recovery").
_POOLS: dict[tuple[int, bool], tuple[str, scoring.MentorPool]] = {}


def is_family_request_owner(user: User) -> bool:
    return user.role == Role.FAMILY


def _version_key(organization_id: int) -> str:
    return f"matching:pool-version:{organization_id}"


def mentor_pool_invalidate(*, organization_id: int | None) -> None:
    if organization_id is None:
        return

    def bump() -> None:
        cache.set(_version_key(organization_id), uuid.uuid4().hex, timeout=None)
        _POOLS.pop((organization_id, False), None)
        _POOLS.pop((organization_id, True), None)

    bump()
    # A process that rebuilt between our write and its commit cached old rows: bump again.
    transaction.on_commit(bump)


def mentor_loads(*, organization_id: int, mentor_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Proposed + active matches per mentor: the places each one has taken."""
    qs = Match.objects.filter(organization_id=organization_id, status__in=OPEN_MATCH_STATUSES)
    if mentor_ids is not None:
        qs = qs.filter(mentor_id__in=list(mentor_ids))
    return dict(qs.values_list("mentor_id").annotate(n=Count("id")).values_list("mentor_id", "n"))


def mentor_pool_load(*, organization_id: int, family_peers: bool = False) -> scoring.MentorPool:
    rows = (
        MentorProfile.objects.filter(
            organization_id=organization_id,
            status=VettingStatus.APPROVED,
            user__is_active=True,
            capacity__gt=0,
            family_peer=family_peers,
        )
        .order_by("user_id")
        .values(*MENTOR_FIELDS)
    )
    mentors = [{**row, "id": row["user_id"], "display_name": row["user__display_name"]} for row in rows]
    return scoring.pool_build(mentors, mentor_loads(organization_id=organization_id))


def mentor_pool_get(*, organization_id: int, family_peers: bool = False) -> scoring.MentorPool:
    key = _version_key(organization_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(key, version, timeout=None)
        version = cache.get(key) or version
    cached = _POOLS.get((organization_id, family_peers))
    if cached is not None and cached[0] == version:
        return cached[1]
    pool = mentor_pool_load(organization_id=organization_id, family_peers=family_peers)
    _POOLS[(organization_id, family_peers)] = (version, pool)
    return pool


# --- requests and matches ----------------------------------------------------------------


def open_request_for_client(*, client: User) -> MatchRequest | None:
    return MatchRequest.objects.filter(client=client, status=RequestStatus.OPEN).first()


def request_get_for_viewer(*, viewer: User, request_id: int | str) -> MatchRequest:
    """The client's own request, or any request of the organization for staff; else 404."""
    qs = MatchRequest.objects.filter(pk=_pk(request_id), organization_id=viewer.org_id).select_related("client")
    if viewer.role in (Role.CLIENT, Role.FAMILY):
        qs = qs.filter(client=viewer)
    elif viewer.role != Role.STAFF:
        raise NotVisible()
    req = qs.first()
    if req is None:
        raise NotVisible()
    return req


def matches_for_viewer(*, viewer: User) -> QuerySet[Match]:
    if viewer.organization_id is None:
        return Match.objects.none()
    base = Match.objects.filter(organization_id=viewer.org_id).select_related("client", "mentor")
    if viewer.role in (Role.CLIENT, Role.FAMILY):
        qs = base.filter(client=viewer)
    elif viewer.role == Role.MENTOR:
        qs = base.filter(mentor=viewer)
    elif viewer.role == Role.STAFF:
        qs = base
    elif viewer.role == Role.CLINICIAN:
        qs = base.filter(client__in=clients_visible_to(viewer=viewer))
    else:
        qs = base.none()
    return qs.order_by("-proposed_at", "-pk")


def match_get_for_viewer(*, viewer: User, match_id: int | str) -> Match:
    match = matches_for_viewer(viewer=viewer).filter(pk=_pk(match_id)).first()
    if match is None:
        raise NotVisible()
    return match


def match_get_for_mentor(*, mentor: User, match_id: int | str) -> Match:
    """Accept/decline: only the proposed mentor sees the proposal (anyone else: 404)."""
    match = Match.objects.filter(pk=_pk(match_id), mentor=mentor, organization_id=mentor.org_id).first()
    if match is None:
        raise NotVisible()
    return match


def match_get_for_contacts(*, viewer: User, match_id: int | str) -> Match:
    """A match whose contact log the viewer may ask for: its mentor while the match is active,
    its client, staff, or a member of the client's care team (consent is checked when the log
    is read); else 404. Once the match ends the ex-mentor is off the care team, so she neither
    reads nor writes it (API.md)."""
    if viewer.organization_id is None:
        raise NotVisible()
    qs = Match.objects.filter(pk=_pk(match_id), organization_id=viewer.org_id).select_related("client", "mentor")
    if viewer.role != Role.STAFF:
        on_team = CareTeamMember.objects.filter(client=OuterRef("client"), member=viewer, ended_at__isnull=True)
        qs = qs.filter(Q(mentor=viewer, status=MatchStatus.ACTIVE) | Q(client=viewer) | Exists(on_team))
    match = qs.first()
    if match is None:
        raise NotVisible()
    return match


def current_match_for_client(*, client: User) -> Match | None:
    return (
        Match.objects.filter(client=client, status__in=OPEN_MATCH_STATUSES)
        .select_related("mentor", "mentor__mentor_profile")
        .first()
    )


def recent_matches_for_client(*, client: User, limit: int = 5) -> list[Match]:
    return list(Match.objects.filter(client=client).select_related("mentor").order_by("-proposed_at", "-pk")[:limit])


def mentor_proposals(*, mentor: User) -> list[Match]:
    """The proposals waiting for the mentor's answer, each with `fit_reasons` (why the pair
    fits). They show members who are not yet on her care team (their matching profile and
    their own words about what they are working toward), so the read is written to each
    member's access log."""
    proposals = list(
        Match.objects.filter(mentor=mentor, status=MatchStatus.PROPOSED, organization_id=mentor.org_id)
        .select_related("client", "client__client_profile")
        .order_by("expires_at", "pk")
    )
    if not proposals:
        return proposals
    profile = MentorProfile.objects.filter(user=mentor).first()
    for p in proposals:
        p.fit_reasons = match_reasons(match=p, mentor_profile=profile) if profile else p.reasons  # type: ignore[attr-defined]
    access_log_record_many(viewer=mentor, clients=[p.client for p in proposals], resource="matching_profile")
    return proposals


def mentor_mentees(*, mentor: User) -> list[Any]:
    matches: list[Any] = list(
        Match.objects.filter(mentor=mentor, status=MatchStatus.ACTIVE)
        .select_related("client")
        .annotate(last_contact_at=Max("contacts__occurred_at"))
        .order_by("client__display_name", "pk")
    )
    # Contact the registered sources count (messaging: her messages) is contact too.
    for source in contact_sources():
        latest = {
            (c, m): at
            for c, m, at in source.last_by_pair([m.client_id for m in matches]).values_list("client_id", "mentor_id", "at")
        }
        for m in matches:
            at = latest.get((m.client_id, mentor.pk))
            if at is not None and (m.last_contact_at is None or at > m.last_contact_at):
                m.last_contact_at = at
    return matches


def current_match_reasons(*, match: Match) -> list[str]:
    """Why the client's current (proposed or active) mentor fits her (current_match_for_client)."""
    profile = getattr(match.mentor, "mentor_profile", None)
    return match_reasons(match=match, mentor_profile=profile) if profile is not None else []


def matching_profile_incomplete(*, client: User) -> bool:
    """Suggestions need at least her languages and weekly availability."""
    profile = ClientProfile.objects.filter(user=client).only("languages", "availability").first()
    return profile is None or not profile.languages or not profile.availability


def match_reasons(*, match: Match, mentor_profile: MentorProfile) -> list[str]:
    """Why a pair fits: stored when a client chose; batch runs store none (writing thousands of
    proposals stays fast), so they are worked out from the current profiles when shown."""
    if match.reasons:
        # "Has room for new mentees" helped choose; once proposed it says nothing.
        return [r for r in match.reasons if not r.startswith("Has room")]
    profile = getattr(match.client, "client_profile", None)
    prefs = client_preferences(profile=profile, request=None, client_id=match.client_id)
    mentor = {name: getattr(mentor_profile, name) for name in MENTOR_FIELDS if "__" not in name and name != "user_id"}
    return fit_reasons.reasons_for(prefs, mentor, load=1)


def excluded_mentor_ids(*, client_id: int) -> set[int]:
    """Mentors never to propose again to this client: a declined or ended pair."""
    return set(
        Match.objects.filter(client_id=client_id, status__in=[MatchStatus.DECLINED, MatchStatus.ENDED]).values_list(
            "mentor_id", flat=True
        )
    )


def client_preferences(*, profile: ClientProfile | None, request: MatchRequest | None, client_id: int) -> dict[str, Any]:
    """The client's matching preferences: profile, with the request's overrides on top."""
    prefs: dict[str, Any] = {"id": client_id}
    for name in PREFERENCE_FIELDS:
        prefs[name] = getattr(profile, name) if profile is not None else None
    if request is not None:
        prefs.update({k: v for k, v in (request.preferences or {}).items() if k in PREFERENCE_FIELDS})
    return prefs


@dataclass
class Suggestion:
    mentor: dict[str, Any]
    score: int
    reasons: list[str]


def suggestions_for_request(*, request: MatchRequest, limit: int = 5) -> list[Suggestion]:
    """Best mentors first for an open request. Hard constraints always hold: org, approved,
    under capacity, language, harm reduction, required gender, format, no declined/ended pair.
    A request that is no longer open has no suggestions (409): the client has a proposal or a
    mentor already, or withdrew."""
    if request.status != RequestStatus.OPEN:
        raise Conflict(_("This request is no longer open, so there is nobody to suggest. Start a new request to look again."))
    profile = ClientProfile.objects.filter(user_id=request.client_id).first()
    prefs = client_preferences(profile=profile, request=request, client_id=request.client_id)
    family = is_family_request_owner(request.client)
    pool = mentor_pool_get(organization_id=request.organization_id, family_peers=family)
    ranked = scoring.suggestions_rank(prefs, pool, excluded_ids=excluded_mentor_ids(client_id=request.client_id), limit=limit)
    out = []
    for row, score in ranked:
        m = pool.profiles[row]
        out.append(
            Suggestion(
                mentor={
                    "id": m["id"],
                    "display_name": m["display_name"],
                    "bio": m["bio"],
                    "pathways": m["pathways"],
                    "languages": m["languages"],
                    "years_in_recovery": m["years_in_recovery"],
                    "formats": m["formats"],
                    "experience_tags": m["experience_tags"],
                },
                score=score,
                reasons=fit_reasons.reasons_for(prefs, m, load=int(pool.load[row])),
            )
        )
    return out


def open_requests_for_batch(*, organization_id: int, family: bool = False) -> list[dict[str, Any]]:
    """Open requests whose client has no proposed or active match (never move matched people),
    as preference dicts with the request id and client name."""
    busy = Match.objects.filter(organization_id=organization_id, status__in=OPEN_MATCH_STATUSES).values("client_id")
    rows = (
        MatchRequest.objects.filter(
            organization_id=organization_id,
            status=RequestStatus.OPEN,
            client__is_active=True,
            client__role=Role.FAMILY if family else Role.CLIENT,
        )
        .exclude(client_id__in=busy)
        .order_by("created_at", "pk")
        .values(
            "id", "client_id", "client__display_name", "preferences", *(f"client__client_profile__{f}" for f in PREFERENCE_FIELDS)
        )
    )
    out = []
    for row in rows:
        prefs: dict[str, Any] = {name: row[f"client__client_profile__{name}"] for name in PREFERENCE_FIELDS}
        prefs.update({k: v for k, v in (row["preferences"] or {}).items() if k in PREFERENCE_FIELDS})
        prefs.update({"id": row["client_id"], "request_id": row["id"], "display_name": row["client__display_name"]})
        out.append(prefs)
    return out


def excluded_pairs(*, organization_id: int) -> list[tuple[int, int]]:
    return list(
        Match.objects.filter(organization_id=organization_id, status__in=[MatchStatus.DECLINED, MatchStatus.ENDED])
        .values_list("client_id", "mentor_id")
        .distinct()
    )


def proposals_due_to_expire(*, now: datetime | None = None) -> QuerySet[Match]:
    return Match.objects.filter(status=MatchStatus.PROPOSED, expires_at__lte=now or timezone.now())


# --- contact log ------------------------------------------------------------------------------


def contacts_for_match(*, viewer: User, match: Match) -> list[dict[str, Any]]:
    """The mentor of an active match reads her own log; everyone else (the ex-mentor too) only
    through the checkpoint: the client's consent (`contact_log` scope), and the read is written
    to the client's access log. Newest first: the contacts she logged and those the registered
    contact sources derive (a day of her messages), never what was said."""
    if not (viewer.pk == match.mentor_id and match.status == MatchStatus.ACTIVE):
        client_get_for_viewer(viewer=viewer, client_id=match.client_id, scope=CONTACT_LOG, log_as="contact_log")
    rows: list[dict[str, Any]] = [
        {
            "id": c.pk,
            "match": c.match_id,
            "occurred_at": c.occurred_at,
            "mode": c.mode,
            "duration_minutes": c.duration_minutes,
            "note": c.note,
            "created_at": c.created_at,
            "source": "logged",
            "count": 1,
        }
        for c in ContactLog.objects.filter(match=match).order_by("-occurred_at", "-pk")
    ]
    for source in contact_sources():
        for e in source.entries(match):
            rows.append(
                {
                    "id": None,
                    "match": match.pk,
                    "occurred_at": e.occurred_at,
                    "mode": e.mode,
                    "duration_minutes": e.duration_minutes,
                    "note": e.note,
                    "created_at": None,
                    "source": e.source,
                    "count": e.count,
                }
            )
    rows.sort(key=lambda r: r["occurred_at"], reverse=True)
    return rows


def last_contacts(*, client_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """{client_id: {mentor, last_contact_at, by_mentor: {mentor_id: last_contact_at}}} for
    many clients in one query: her active match (who her mentor is), the last logged contact
    per mentor and what each registered contact source counts as contact (messaging: the
    mentor's messages), as one UNION ALL."""
    ids = list(client_ids)
    if not ids:
        return {}
    no_time = Value(None, output_field=DateTimeField())
    active = (
        Match.objects.filter(client_id__in=ids, status=MatchStatus.ACTIVE)
        .annotate(tag=Value("match"), at=no_time, name=F("mentor__display_name"))
        .values_list("tag", "client_id", "mentor_id", "at", "name")
        .order_by()
    )
    logged = (
        ContactLog.objects.filter(client_id__in=ids)
        .values("client_id", "mentor_id")
        .annotate(tag=Value("contact"), at=Max("occurred_at"), name=Value(""))
        .values_list("tag", "client_id", "mentor_id", "at", "name")
        .order_by()
    )
    sources = [
        source.last_by_pair(ids)
        .annotate(tag=Value("contact"), name=Value(""))
        .values_list("tag", "client_id", "mentor_id", "at", "name")
        for source in contact_sources()
    ]
    out: dict[int, dict[str, Any]] = {}
    for tag, client_id, mentor_id, at, name in active.union(logged, *sources, all=True):
        row = out.setdefault(client_id, {"mentor": None, "last_contact_at": None, "by_mentor": {}})
        if tag == "match":
            row["mentor"] = {"id": mentor_id, "display_name": name}
            continue
        if row["by_mentor"].get(mentor_id) is None or at > row["by_mentor"][mentor_id]:
            row["by_mentor"][mentor_id] = at
        if row["last_contact_at"] is None or at > row["last_contact_at"]:
            row["last_contact_at"] = at
    return out


def match_summaries(
    viewer: User, clients: Sequence[User], known: dict[int, tuple[str, frozenset[str]]] | None = None
) -> dict[int, dict[str, Any]]:
    """The summary provider (members.client_records): {client_id: {mentor, last_contact_at}}
    for those of `clients` the viewer may see, in at most five queries, by members.access:

    - who her mentor is belongs to her care team: shown when the viewer sees the care team
      (`care_team_visible`: not family, not a mentor without a grant), and to the mentor herself;
    - the last-contact time is a `contact_log` record: staff see it (a fact of engagement the
      program runs on, never the log's content), and so does whoever reads the contact log; the
      active mentor sees her own last contact.
    Family see nothing from here. `known`: client_scopes_for_many's answer, when the caller
    already has it."""
    access = client_scopes_for_many(viewer=viewer, clients=clients) if known is None else known
    if not access:
        return {}
    data = last_contacts(client_ids=list(access))
    out: dict[int, dict[str, Any]] = {}
    for client in clients:
        if client.pk not in access:
            continue
        relation, scopes = access[client.pk]
        view = ClientView(client=client, viewer=viewer, relation=relation, scopes=scopes)
        row = data.get(client.pk, {})
        mentor = row.get("mentor")
        own = mentor is not None and mentor["id"] == viewer.pk
        if not (own or care_team_visible(view)):
            continue
        if relation == "staff" or view.sees(CONTACT_LOG):
            last = row.get("last_contact_at")
        else:
            last = row.get("by_mentor", {}).get(viewer.pk) if own else None
        out[client.pk] = {"mentor": mentor, "last_contact_at": last}
    return out


def open_request_stats(*, organization_id: int) -> dict[str, int]:
    """Numbers for the staff batch page: a handful of aggregate queries."""
    busy = Match.objects.filter(organization_id=organization_id, status__in=OPEN_MATCH_STATUSES).values("client_id")
    open_requests = MatchRequest.objects.filter(organization_id=organization_id, status=RequestStatus.OPEN)
    counts = dict(
        Match.objects.filter(organization_id=organization_id, status__in=OPEN_MATCH_STATUSES)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    pool = mentor_pool_get(organization_id=organization_id)
    return {
        "open_requests": open_requests.count(),
        "waiting": open_requests.exclude(client_id__in=busy).count(),
        "proposed": counts.get(MatchStatus.PROPOSED, 0),
        "active": counts.get(MatchStatus.ACTIVE, 0),
        "mentors": len(pool),
        "free_places": int((pool.capacity.astype(int) - pool.load.astype(int)).clip(min=0).sum()) if len(pool) else 0,
    }


def first_contact_milestones(since: Any) -> Any:
    """checkins.providers milestone source: each member's first logged contact with a mentor,
    for members with a contact since `since` (None: everyone)."""
    from django.db.models import Min
    from django.db.models.functions import TruncDate

    qs = ContactLog.objects.all()
    if since is not None:
        qs = qs.filter(client_id__in=ContactLog.objects.filter(created_at__gte=since).values("client_id"))
    return qs.values("client_id", "organization_id").annotate(reached_on=TruncDate(Min("occurred_at")))
