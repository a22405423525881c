"""Reads of the resources app: the directory, referrals (as members.access lets the viewer see
them) and a member's place in the curriculum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import NotAllowed, NotVisible
from members.access import ClientView, access_log_record_many, client_get_for_viewer
from members.choices import CareRole, Role
from members.models import Organization, User

from .models import FollowUp, Module, ModuleDone, Referral, Resource
from .scopes import REFERRALS

WEEKS_IN_PROGRAM = 52


def resources_for_viewer(
    *,
    viewer: User,
    category: str | None = None,
    language: str | None = None,
    q: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Resource]:
    qs = Resource.objects.filter(organization_id=viewer.org_id)
    if not (include_inactive and viewer.role == Role.STAFF):
        qs = qs.filter(active=True)
    if category:
        qs = qs.filter(category=category)
    if language:
        qs = qs.filter(languages__icontains=f'"{language}"')
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q) | Q(address__icontains=q))
    return qs.order_by("category", "name", "pk")


def resources_public(*, organization: Organization) -> QuerySet[Resource]:
    return Resource.objects.filter(organization=organization, public=True, active=True).order_by("category", "name", "pk")


def resource_get_for_viewer(*, viewer: User, resource_id: int) -> Resource:
    resource = Resource.objects.filter(pk=resource_id, organization_id=viewer.org_id).first()
    if resource is None or (not resource.active and viewer.role != Role.STAFF):
        raise NotVisible()
    return resource


def _with_follow_ups(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.select_related("resource", "referrer", "client").prefetch_related(
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("due_on", "pk"))
    )


def referrals_view_for(*, viewer: User, client_id: int | None) -> tuple[ClientView | None, QuerySet[Referral]]:
    """GET /referrals/?client=: the member's own; her clinicians all of hers; anyone else who can
    see her (her mentor) only the referrals they made; staff and family are not readers (403).
    Without ?client: the caller's own referrals (a member) or the ones she made (a referrer)."""
    base = Referral.objects.filter(organization_id=viewer.org_id)
    if client_id is None:
        if viewer.role == Role.CLIENT:
            return None, _with_follow_ups(base.filter(client=viewer))
        if viewer.role in (Role.MENTOR, Role.CLINICIAN):
            return None, _with_follow_ups(base.filter(referrer=viewer))
        raise NotAllowed(_("Referrals are read by the member, her referrers and her clinicians."))
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    qs = base.filter(client=view.client)
    if view.is_self or (view.relation == CareRole.CLINICIAN.value and view.sees(REFERRALS)):
        pass
    elif view.relation in (CareRole.MENTOR.value, CareRole.CLINICIAN.value):
        qs = qs.filter(referrer=viewer)
    else:
        raise NotAllowed(_("Referrals are read by the member, her referrers and her clinicians."))
    if not view.is_self:
        access_log_record_many(viewer=viewer, clients=[view.client], resource=REFERRALS)
    return view, _with_follow_ups(qs)


def follow_ups_open_for_referrer(*, referrer: User) -> QuerySet[Referral]:
    return _with_follow_ups(Referral.objects.filter(organization_id=referrer.org_id, referrer=referrer)).order_by("-created_at")


def referral_counts(*, organization_id: int, since: Any, until: Any) -> dict[str, int]:
    """For the program dashboard: referrals made in the window, and how many of them connected."""
    row = Referral.objects.filter(organization_id=organization_id, created_at__gte=since, created_at__lt=until).aggregate(
        made=Count("pk"), connected=Count("pk", filter=Q(status="connected"))
    )
    return {"referrals_made": row["made"] or 0, "referrals_connected": row["connected"] or 0}


# --- curriculum ------------------------------------------------------------------------------


def modules_for_organization(*, organization_id: int) -> QuerySet[Module]:
    return Module.objects.filter(organization_id=organization_id).order_by("week")


def module_get_for_viewer(*, viewer: User, module_id: int) -> Module:
    """A module of the viewer's own program (another program's is 404), with how many members
    marked it done (`done_count`)."""
    module = Module.objects.filter(pk=module_id, organization_id=viewer.org_id).annotate(done_count=Count("done_by")).first()
    if module is None:
        raise NotVisible()
    return module


@dataclass(frozen=True)
class CurriculumPlace:
    week: int  # her week in the program, by weeks since joining (1-52)
    this_week: Module | None
    done_ids: frozenset[int]
    modules: list[Module]

    @property
    def done_count(self) -> int:
        return len(self.done_ids)


def client_week(*, client: User, today: date | None = None) -> int:
    today = today or timezone.now().astimezone(ZoneInfo(client.timezone)).date()
    joined = client.date_joined.astimezone(ZoneInfo(client.timezone)).date()
    return max(1, min(WEEKS_IN_PROGRAM, (today - joined).days // 7 + 1))


def curriculum_for_client(*, client: User) -> CurriculumPlace:
    """One query: the modules, each marked done or not. This week's module is her week's, or
    when that week has none the latest one up to it she has not finished."""
    modules: list[Module] = list(
        modules_for_organization(organization_id=client.org_id).annotate(
            is_done=Exists(ModuleDone.objects.filter(client=client, module=OuterRef("pk")))
        )
    )
    done = frozenset(m.pk for m in modules if m.is_done)  # type: ignore[attr-defined]
    week = client_week(client=client)
    this_week = next((m for m in modules if m.week == week), None)
    if this_week is None:
        earlier = [m for m in modules if m.week <= week and m.pk not in done]
        this_week = earlier[-1] if earlier else None
    return CurriculumPlace(week=week, this_week=this_week, done_ids=done, modules=modules)
