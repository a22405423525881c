"""Reads of the plans app, scoped through members.access: the plan is the member's; her
clinicians read it under her treatment consent, her mentor and family under the `plan` scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from checkins.models import Assessment, Instrument
from checkins.scopes import ASSESSMENTS
from common.errors import NotAllowed
from members.access import ClientView, access_log_record_many, client_get_for_viewer, client_ids_seeing
from members.choices import CareRole
from members.models import CareTeamMember, User

from .models import Domain, Goal, Milestone, Plan, Step
from .scopes import PLAN_RECORD

WRITERS = frozenset({"self", CareRole.CLINICIAN.value, CareRole.MENTOR.value})
# BARC-10 items (1-based) and the recovery-capital domain each speaks to: a low answer suggests
# where a goal could help.
BARC10_DOMAINS: dict[int, str] = {
    1: Domain.HUMAN, 2: Domain.HUMAN, 3: Domain.PHYSICAL, 4: Domain.CULTURAL, 5: Domain.SOCIAL,
    6: Domain.HUMAN, 7: Domain.PHYSICAL, 8: Domain.HUMAN, 9: Domain.SOCIAL, 10: Domain.HUMAN,
}  # fmt: skip
BARC10_LOW = 3  # "slightly disagree" or lower


def plan_view_for(*, viewer: User, client_id: int | str, write: bool = False, log: bool = True) -> ClientView:
    """The member whose plan `viewer` opens: 404 when she is not visible to the viewer, 403 when
    she does not share her plan with them (or, to write, when they are family or staff); a read by
    someone else goes into her access log."""
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    if not view.sees(PLAN_RECORD):
        raise NotAllowed(_("This member has not shared her plan with you."))
    if write and view.relation not in WRITERS:
        raise NotAllowed(_("The member, her clinicians and her mentor write her plan."))
    if log and not view.is_self:
        access_log_record_many(viewer=viewer, clients=[view.client], resource=PLAN_RECORD)
    return view


def goals_for_client(*, client: User) -> QuerySet[Goal]:
    return (
        Goal.objects.filter(client=client, organization_id=client.org_id)
        .select_related("owner")
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("pk")))
        .order_by("status", "due", "pk")
    )


def plan_backup(*, client: User) -> Plan | None:
    return Plan.objects.filter(client=client).first()


@dataclass(frozen=True)
class BarcPoint:
    on: date
    score: int


def barc10_history(*, client: User, limit: int = 12) -> list[BarcPoint]:
    rows = Assessment.objects.filter(client=client, instrument=Instrument.BARC10).order_by("-taken_at")[:limit]
    return [BarcPoint(on=a.local_date, score=a.score) for a in reversed(list(rows))]


def barc10_suggestions(*, client: User) -> list[str]:
    """Domains the latest BARC-10 answers suggest goals in (items answered 3 or lower)."""
    latest = Assessment.objects.filter(client=client, instrument=Instrument.BARC10).order_by("-taken_at").first()
    if latest is None:
        return []
    found = {BARC10_DOMAINS[i + 1] for i, a in enumerate(latest.answers[:10]) if isinstance(a, int) and a <= BARC10_LOW}
    return [d for d in Domain.values if d in found]


def plan_people_choices(*, client: User) -> list[User]:
    """Who may own a goal or be one of her people: she and her active care team."""
    team = CareTeamMember.objects.filter(client=client, ended_at__isnull=True).select_related("member")
    return [client, *[m.member for m in team]]


def milestones_for_client(*, client: User) -> QuerySet[Milestone]:
    return Milestone.objects.filter(client=client).order_by("-reached_on", "-pk")


def milestones_for_family(*, viewer: User, clients: Sequence[User]) -> dict[int, list[Milestone]]:
    """Milestones of the members who share their plan with `viewer` (one query after access)."""
    ids = client_ids_seeing(viewer=viewer, clients=clients, kind=PLAN_RECORD)
    out: dict[int, list[Milestone]] = {pk: [] for pk in ids}
    for m in Milestone.objects.filter(client_id__in=ids).order_by("-reached_on", "-pk"):
        out[m.client_id].append(m)
    shown = [c for c in clients if c.pk in ids]
    access_log_record_many(viewer=viewer, clients=shown, resource="milestones")
    return out


def assessments_shared(view: ClientView) -> bool:
    return view.can(ASSESSMENTS) or view.is_self


def plan_summary_for_home(*, client: User) -> dict[str, Any]:
    """The home card: active goals with the title of their next open step (one query)."""
    next_step = Step.objects.filter(goal=OuterRef("pk"), done_at__isnull=True).order_by("due", "pk").values("title")[:1]
    goals = list(
        Goal.objects.filter(client=client, status="active").annotate(next_step=Subquery(next_step)).order_by("due", "pk")[:3]
    )
    return {"goals": [{"goal": g, "next_step": g.next_step} for g in goals]}  # type: ignore[attr-defined]


def milestones_document(*, client: User) -> list[dict[str, Any]]:
    """GET /me/milestones/: her milestones, newest first; a count of days without use only
    when she turned "show sober days" on in her profile (computed, never stored)."""
    from checkins.selectors import progress_for_client

    from .services.milestones import milestone_title

    rows: list[dict[str, Any]] = [
        {"kind": m.kind, "title": milestone_title(m.kind), "reached_on": m.reached_on.isoformat()}
        for m in milestones_for_client(client=client)
    ]
    profile = getattr(client, "client_profile", None)
    if profile is not None and profile.show_sober_days:
        days = progress_for_client(client=client).days_since_last_use
        if days:
            rows.insert(
                0,
                {
                    "kind": "days_without_use",
                    "title": ngettext("%(n)s day", "%(n)s days", days) % {"n": days},
                    "reached_on": None,
                },
            )
    return rows


def plan_document(*, view: ClientView) -> dict[str, Any]:
    """GET /clients/{id}/plan/ and the plan pages: goals with steps, the backup plan, and beside
    them what the viewer may see of her BARC-10 totals, milestones and curriculum progress."""
    from resources.selectors import curriculum_for_client

    from .serializers import GoalSerializer
    from .services.milestones import milestone_title

    client = view.client
    plan = plan_backup(client=client)
    place = curriculum_for_client(client=client)
    doc: dict[str, Any] = {
        "client": {"id": client.pk, "display_name": client.display_name},
        "goals": GoalSerializer(goals_for_client(client=client), many=True).data,
        "backup_plan": {
            "warning_signs": plan.warning_signs if plan else [],
            "coping_steps": plan.coping_steps if plan else [],
            "people": plan.people if plan else [],
        },
        "updated_at": plan.updated_at if plan else None,
        "milestones": [
            {"kind": m.kind, "title": milestone_title(m.kind), "reached_on": m.reached_on}
            for m in milestones_for_client(client=client)[:20]
        ],
        "curriculum": {
            "week": place.week,
            "done": sorted(place.done_ids),
            "modules": len(place.modules),
            "this_week": {"id": place.this_week.pk, "week": place.this_week.week, "title": place.this_week.title}
            if place.this_week
            else None,
        },
    }
    if assessments_shared(view):
        if not view.is_self:
            access_log_record_many(viewer=view.viewer, clients=[client], resource=ASSESSMENTS)
        doc["barc10"] = [{"on": p.on, "score": p.score} for p in barc10_history(client=client)]
        doc["suggested_domains"] = barc10_suggestions(client=client)
    return doc
