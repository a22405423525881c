"""Reads. `client_get_for_viewer` is THE permission-checked lookup of a client's record:
every view, API endpoint and task that reads about a client goes through it (or through
`clients_visible_to` for lists), so the rules live in one tested place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from recovery_site.errors import NotAllowed, NotVisible

from .choices import ALL_SCOPES, CareRole, ConsentScope, Role
from .models import AccessLog, AuditEvent, CareTeamMember, ClientProfile, ConsentGrant, MentorProfile, User

# What program staff may read without a grant: enough to run the program (attendance,
# whether people check in), never clinical detail.
STAFF_SCOPES: frozenset[str] = frozenset({ConsentScope.CHECKIN_SUMMARY, ConsentScope.ATTENDANCE})


@dataclass(frozen=True)
class ClientView:
    """A client's record as one viewer may see it."""

    client: User
    viewer: User
    relation: str  # "self", "staff", "clinician", "mentor", "family"
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_self(self) -> bool:
        return self.relation == "self"

    def can(self, scope: str) -> bool:
        return scope in self.scopes

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise NotAllowed(f"{self.client.display_name} has not shared this with you.")


def active_grants(*, now: datetime | None = None) -> QuerySet[ConsentGrant]:
    now = now or timezone.now()
    return ConsentGrant.objects.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def granted_scopes(*, client: User, grantee: User) -> frozenset[str]:
    scopes: set[str] = set()
    for grant_scopes in active_grants().filter(client=client, grantee=grantee).values_list("scopes", flat=True):
        scopes.update(grant_scopes)
    return frozenset(scopes & ALL_SCOPES)


def _active_membership(*, client_id: int, member: User) -> CareTeamMember | None:
    return CareTeamMember.objects.filter(client_id=client_id, member=member, ended_at__isnull=True).only("id", "role").first()


def client_get_for_viewer(
    *, viewer: User, client_id: int | str, scope: str | None = None, log_as: str | None = None
) -> ClientView:
    """The client `client_id` as `viewer` may see them, or NotVisible (404).

    Visibility: same organization, always; then the client themself, program staff, or an
    active care-team member. Scopes: everything for the client; clinicians on the care team
    read under the client's treatment consent; mentors and family only what the client granted
    them; staff `STAFF_SCOPES`. With `scope`, a visible client who has not shared it is a 403.
    With `log_as`, the read is written to the client's access log (not for self-reads).
    """
    try:
        pk = int(client_id)
    except (TypeError, ValueError):
        raise NotVisible() from None
    if not viewer.is_authenticated or viewer.organization_id is None or not viewer.is_active:
        raise NotVisible()
    client = (
        User.objects.select_related("organization", "client_profile")
        .filter(pk=pk, organization_id=viewer.organization_id, role=Role.CLIENT, is_active=True)
        .first()
    )
    if client is None:
        raise NotVisible()

    relation: str
    scopes: frozenset[str]
    if client.pk == viewer.pk:
        relation, scopes = "self", ALL_SCOPES
    elif viewer.role == Role.STAFF:
        relation, scopes = "staff", STAFF_SCOPES
    else:
        membership = _active_membership(client_id=client.pk, member=viewer)
        if membership is None:
            raise NotVisible()
        relation = membership.role
        if membership.role == CareRole.CLINICIAN and viewer.role == Role.CLINICIAN:
            profile = getattr(client, "client_profile", None)
            scopes = ALL_SCOPES if profile is not None and profile.treatment_consent else frozenset()
            scopes = scopes | granted_scopes(client=client, grantee=viewer)
        else:
            scopes = granted_scopes(client=client, grantee=viewer)

    view = ClientView(client=client, viewer=viewer, relation=relation, scopes=scopes)
    if scope is not None:
        view.require(scope)
    if log_as and not view.is_self:
        AccessLog.objects.create(organization_id=client.org_id, client=client, actor=viewer, resource=log_as)
    return view


def client_scopes_for_many(*, viewer: User, clients: Sequence[User]) -> dict[int, tuple[str, frozenset[str]]]:
    """{client_id: (relation, scopes)} for those of `clients` the viewer may see: the rules of
    client_get_for_viewer (tests/members/test_client_scopes_for_many.py holds them equal),
    for many clients in at most three queries, for lists and summaries. Writes no access-log
    rows: a caller that shows the data logs with access_log_record_many."""
    if not viewer.is_authenticated or viewer.organization_id is None or not viewer.is_active:
        return {}
    visible = [c for c in clients if c.organization_id == viewer.organization_id and c.role == Role.CLIENT and c.is_active]
    out: dict[int, tuple[str, frozenset[str]]] = {c.pk: ("self", ALL_SCOPES) for c in visible if c.pk == viewer.pk}
    others = [c for c in visible if c.pk != viewer.pk]
    if viewer.role == Role.STAFF:
        out.update({c.pk: ("staff", STAFF_SCOPES) for c in others})
        return out
    if not others:
        return out
    roles = dict(
        CareTeamMember.objects.filter(client_id__in=[c.pk for c in others], member=viewer, ended_at__isnull=True).values_list(
            "client_id", "role"
        )
    )
    if not roles:
        return out
    grants: dict[int, set[str]] = {}
    for client_id, scopes in active_grants().filter(client_id__in=list(roles), grantee=viewer).values_list("client_id", "scopes"):
        grants.setdefault(client_id, set()).update(scopes or [])
    treating = [pk for pk, role in roles.items() if role == CareRole.CLINICIAN] if viewer.role == Role.CLINICIAN else []
    consented = (
        set(
            ClientProfile.objects.filter(user_id__in=treating, treatment_consent_at__isnull=False).values_list(
                "user_id", flat=True
            )
        )
        if treating
        else set()
    )
    for c in others:
        if c.pk in roles:
            scopes = ALL_SCOPES if c.pk in consented else frozenset(grants.get(c.pk, set()) & ALL_SCOPES)
            out[c.pk] = (roles[c.pk], scopes)
    return out


def clients_visible_to(*, viewer: User) -> QuerySet[User]:
    """The clients `viewer` may see in lists: staff the organization, clinicians their
    caseload, mentors their mentees, family the person they support."""
    base = User.objects.filter(organization_id=viewer.organization_id, role=Role.CLIENT, is_active=True)
    if viewer.organization_id is None or not viewer.is_active:
        return base.none()
    if viewer.role == Role.STAFF:
        return base
    if viewer.role == Role.CLIENT:
        return base.filter(pk=viewer.pk)
    on_team = CareTeamMember.objects.filter(client=OuterRef("pk"), member=viewer, ended_at__isnull=True)
    return base.filter(Exists(on_team))


def access_log_record_many(*, viewer: User, clients: Iterable[User], resource: str) -> None:
    rows = [AccessLog(organization_id=c.org_id, client=c, actor=viewer, resource=resource) for c in clients if c.pk != viewer.pk]
    if rows:
        AccessLog.objects.bulk_create(rows)


def client_list_for_viewer(*, viewer: User) -> QuerySet[User]:
    return (
        clients_visible_to(viewer=viewer)
        .select_related("client_profile")
        .prefetch_related("care_team__member")
        .order_by("display_name", "pk")
    )


def care_team_for_client(*, client: User) -> QuerySet[CareTeamMember]:
    return (
        CareTeamMember.objects.filter(client=client, ended_at__isnull=True)
        .select_related("member")
        .order_by("role", "member__display_name")
    )


def consents_for_client(*, client: User) -> QuerySet[ConsentGrant]:
    return ConsentGrant.objects.filter(client=client).select_related("grantee").order_by("-created_at", "-pk")


def consent_get_for_client(*, client: User, consent_id: int | str) -> ConsentGrant:
    try:
        return consents_for_client(client=client).get(pk=int(consent_id))
    except (ConsentGrant.DoesNotExist, TypeError, ValueError):
        raise NotVisible() from None


def access_log_for_client(*, client: User) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(client=client).select_related("actor").order_by("-at", "-pk")


def users_for_staff(*, staff: User, role: str | None = None) -> QuerySet[User]:
    qs = User.objects.filter(organization_id=staff.organization_id).order_by("display_name", "pk")
    if role:
        qs = qs.filter(role=role)
    return qs


def user_get_for_staff(*, staff: User, user_id: int | str) -> User:
    try:
        return users_for_staff(staff=staff).get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotVisible() from None


def org_user_get(*, viewer: User, user_id: int | str, roles: Iterable[str] | None = None) -> User | None:
    """A user of the viewer's organization, or None (for body references: 400, not 404)."""
    try:
        pk = int(user_id)
    except (TypeError, ValueError):
        return None
    qs = User.objects.filter(pk=pk, organization_id=viewer.organization_id, is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs.first()


def mentors_for_staff(*, staff: User, status: str | None = None) -> QuerySet[MentorProfile]:
    qs = MentorProfile.objects.filter(organization_id=staff.org_id, user__is_active=True).select_related("user")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("status", "user__display_name", "pk")


def mentor_get_for_staff(*, staff: User, mentor_id: int | str) -> MentorProfile:
    try:
        return mentors_for_staff(staff=staff).get(user_id=int(mentor_id))
    except (MentorProfile.DoesNotExist, TypeError, ValueError):
        raise NotVisible() from None


def client_profile_get(*, user: User) -> ClientProfile:
    profile = ClientProfile.objects.filter(user=user).first()
    if profile is None:
        raise NotVisible("This account has no member profile.")
    return profile


def mentor_profile_get(*, user: User) -> MentorProfile:
    profile = MentorProfile.objects.filter(user=user).first()
    if profile is None:
        raise NotVisible("This account has no mentor profile.")
    return profile


def audit_for_staff(*, staff: User, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AuditEvent]:
    qs = AuditEvent.objects.filter(organization_id=staff.org_id).select_related("actor", "client")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-at", "-pk")


def access_log_for_staff(*, staff: User, client_id: int | None = None, actor_id: int | None = None) -> QuerySet[AccessLog]:
    qs = AccessLog.objects.filter(organization_id=staff.org_id).select_related("actor", "client")
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    return qs.order_by("-at", "-pk")


# --- added for the HTML pages (ui branch) -------------------------------------------------


def people_counts_for_staff(*, staff: User) -> dict[str, int]:
    """Active people of the staff member's organization by role, and mentors awaiting vetting."""
    from django.db.models import Count

    rows = (
        User.objects.filter(organization_id=staff.org_id, is_active=True).values("role").annotate(n=Count("pk")).order_by("role")
    )
    counts = {row["role"]: row["n"] for row in rows}
    counts["mentors_pending"] = MentorProfile.objects.filter(
        organization_id=staff.org_id, status="pending", user__is_active=True
    ).count()
    return counts


def care_team_candidates(*, viewer: User, client: User) -> list[User]:
    """Clinicians, mentors and family of the organization who could join `client`'s care team
    (not already on it)."""
    on_team = CareTeamMember.objects.filter(client=client, ended_at__isnull=True).values("member_id")
    return list(
        User.objects.filter(organization_id=viewer.org_id, is_active=True, role__in=[Role.CLINICIAN, Role.MENTOR, Role.FAMILY])
        .exclude(pk__in=on_team)
        .order_by("role", "display_name", "pk")
    )


# Relations that see a client's page only while the client shares something with them.
CONSENT_ONLY_RELATIONS = frozenset({CareRole.MENTOR.value, CareRole.FAMILY.value})


def client_page_for_viewer(*, viewer: User, client_id: int | str) -> ClientView:
    """The client's page as `viewer` may open it. Mentors and family open it only while the
    client shares at least one scope with them (otherwise 404, and nothing is logged);
    staff and clinicians as `client_get_for_viewer` allows. A successful open is logged."""
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    if view.relation in CONSENT_ONLY_RELATIONS and not view.scopes:
        raise NotVisible()
    if not view.is_self:
        AccessLog.objects.create(organization_id=view.client.org_id, client=view.client, actor=viewer, resource="profile")
    return view


def clients_sharing_with(*, viewer: User, client_ids: Iterable[int]) -> set[int]:
    """Which of `client_ids` currently share at least one scope with `viewer` (one query)."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(active_grants().filter(grantee=viewer, client_id__in=ids).values_list("client_id", flat=True))
