"""THE answer to "what may this viewer see of this member", for one member or many.

Every read of another person's member data (API, page, CSV, task, notification) asks this
module, so the rule lives in one tested place:

1. organization: nobody sees across organizations;
2. role and relation: the member herself, program staff, or an active care-team member;
3. consent scope: clinicians on the care team read under the member's treatment consent;
   mentors and family only what the member granted them; staff the scopes registered as
   staff-readable (enough to run the program, never clinical detail);
4. access log: a read by someone else is written to the member's access log.

Features register their own consent scopes (`consent_scope_register`) and record kinds
(`record_kind_register`: which scopes, if any, open a kind of record such as risk flags), from
their AppConfig.ready(), so this module names no feature.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from common.errors import NotAllowed, NotVisible

from .choices import CareRole, Role
from .models import AccessLog, CareTeamMember, ClientProfile, ConsentGrant, User

# --- the registries -------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentScopeInfo:
    value: str
    label: str | Promise
    staff: bool  # program staff read it without a grant
    order: int
    # What the grantee is told she receives, from her side, by the member's subject pronoun
    # ("she", "he", "they"): "her check-in summary (whether she checked in, her streak)".
    shared_as: Mapping[str, str | Promise] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordKind:
    """A kind of record and who reads it: anyone holding one of `scopes`, staff when `staff`,
    the member herself when `self_reads`."""

    name: str
    scopes: frozenset[str]
    staff: bool
    self_reads: bool


_scopes: dict[str, ConsentScopeInfo] = {}
_record_kinds: dict[str, RecordKind] = {}


def consent_scope_register(
    value: str,
    label: str | Promise,
    *,
    staff: bool = False,
    order: int = 100,
    shared_as: Mapping[str, str | Promise] | None = None,
) -> None:
    """A scope a member can grant (API.md's `scopes`), labelled as she grants it ("my streak")
    and, in `shared_as`, as the person she shares it with reads it, one phrase per pronoun.
    Idempotent."""
    _scopes[value] = ConsentScopeInfo(value=value, label=label, staff=staff, order=order, shared_as=dict(shared_as or {}))


def record_kind_register(name: str, *, scopes: Iterable[str] = (), staff: bool = False, self_reads: bool = True) -> None:
    _record_kinds[name] = RecordKind(name=name, scopes=frozenset(scopes), staff=staff, self_reads=self_reads)


def consent_scope_choices() -> list[tuple[str, str | Promise]]:
    """(value, label) of every registered scope, in the order the member sees them."""
    return [(s.value, s.label) for s in sorted(_scopes.values(), key=lambda s: (s.order, s.value))]


def consent_scopes_shared(scopes: Iterable[str], *, pronoun: str) -> list[str]:
    """The phrases a grantee reads for `scopes` ("her group attendance"), in the member's order,
    for the member's subject pronoun ("she", "he", "they"); a scope registered without them
    falls back to its label."""
    chosen = sorted((_scopes[s] for s in scopes if s in _scopes), key=lambda s: (s.order, s.value))
    return [str(s.shared_as.get(pronoun) or s.shared_as.get("they") or s.label) for s in chosen]


def all_scopes() -> frozenset[str]:
    return frozenset(_scopes)


def staff_scopes() -> frozenset[str]:
    """What program staff may read without a grant: enough to run the program, never clinical detail."""
    return frozenset(s.value for s in _scopes.values() if s.staff)


def record_kind(name: str) -> RecordKind:
    return _record_kinds[name]


def kind_visible(kind: str, relation: str, scopes: frozenset[str]) -> bool:
    """Whether a viewer with `relation` and `scopes` reads records of `kind`."""
    rk = _record_kinds[kind]
    if relation == "self":
        return rk.self_reads
    if relation == "staff" and rk.staff:
        return True
    if relation == CareRole.CLINICIAN.value and scopes == all_scopes():
        return True  # treating clinician under the member's treatment consent
    return bool(rk.scopes & scopes)


# --- one member -----------------------------------------------------------------------------


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
            raise NotAllowed(_("This member has not shared this with you."))

    def sees(self, kind: str) -> bool:
        return kind_visible(kind, self.relation, self.scopes)


def active_grants(*, now: datetime | None = None) -> QuerySet[ConsentGrant]:
    now = now or timezone.now()
    return ConsentGrant.objects.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def granted_scopes(*, client: User, grantee: User) -> frozenset[str]:
    scopes: set[str] = set()
    for grant_scopes in active_grants().filter(client=client, grantee=grantee).values_list("scopes", flat=True):
        scopes.update(grant_scopes)
    return frozenset(scopes & all_scopes())


def _active_membership(*, client_id: int, member: User) -> CareTeamMember | None:
    return CareTeamMember.objects.filter(client_id=client_id, member=member, ended_at__isnull=True).only("id", "role").first()


def client_get_for_viewer(
    *,
    viewer: User,
    client_id: int | str,
    scope: str | None = None,
    scopes: Sequence[str] | None = None,
    log_as: str | None = None,
) -> ClientView:
    """The client `client_id` as `viewer` may see them, or NotVisible (404).

    Visibility: same organization, always; then the client themself, program staff, or an
    active care-team member. Scopes: everything for the client; clinicians on the care team
    read under the client's treatment consent; mentors and family only what the client granted
    them; staff the staff-readable scopes. With `scope` (or any of `scopes`), a visible client
    who has not shared it is a 403. With `log_as`, the read is written to the client's access
    log (not for self-reads).
    """
    try:
        pk = int(client_id)
    except (TypeError, ValueError, OverflowError):
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
    found: frozenset[str]
    if client.pk == viewer.pk:
        relation, found = "self", all_scopes()
    elif viewer.role == Role.STAFF:
        relation, found = "staff", staff_scopes()
    else:
        membership = _active_membership(client_id=client.pk, member=viewer)
        if membership is None:
            raise NotVisible()
        relation = membership.role
        if membership.role == CareRole.CLINICIAN and viewer.role == Role.CLINICIAN:
            profile = getattr(client, "client_profile", None)
            found = all_scopes() if profile is not None and profile.treatment_consent else frozenset()
            found = found | granted_scopes(client=client, grantee=viewer)
        else:
            found = granted_scopes(client=client, grantee=viewer)

    view = ClientView(client=client, viewer=viewer, relation=relation, scopes=found)
    if scope is not None:
        view.require(scope)
    if scopes is not None and not any(view.can(s) for s in scopes):
        view.require(scopes[0])
    if log_as and not view.is_self:
        access_log_record_many(viewer=viewer, clients=[client], resource=log_as)
    return view


# Relations that see a client's page only while the client shares something with them.
CONSENT_ONLY_RELATIONS = frozenset({CareRole.MENTOR.value, CareRole.FAMILY.value})


def client_page_for_viewer(*, viewer: User, client_id: int | str) -> ClientView:
    """The client's page and `GET /clients/{id}/` as `viewer` may open them, and the read
    logged. The fields shown follow `profile_fields_for`."""
    view = client_get_for_viewer(viewer=viewer, client_id=client_id)
    if not view.is_self:
        access_log_record_many(viewer=viewer, clients=[view.client], resource="profile")
    return view


# --- what of the profile a relation reads ----------------------------------------------------

# Substances and the recovery start date are clinical: only the client and their treating
# clinicians see them. A mentor or family member without a grant sees what matching uses (goal,
# pathways, languages, formats); with any grant a mentor also sees availability, shared
# experience and the member's own words about what she is working toward.
MATCHING_FIELDS = (
    "goal",
    "pathways",
    "languages",
    "gender",
    "mentor_gender",
    "mentor_gender_required",
    "formats",
    "availability",
    "experience_tags",
)
WITHOUT_GRANT_FIELDS = ("goal", "pathways", "languages", "formats")
FIELDS_BY_RELATION: dict[str, tuple[str, ...]] = {
    "self": (*MATCHING_FIELDS, "working_toward", "recovery_start", "substances", "show_sober_days"),
    "clinician": (*MATCHING_FIELDS, "working_toward", "recovery_start", "substances"),
    "staff": MATCHING_FIELDS,
    CareRole.MENTOR.value: ("goal", "pathways", "languages", "formats", "availability", "experience_tags", "working_toward"),
    CareRole.FAMILY.value: WITHOUT_GRANT_FIELDS,
}


def profile_fields_for(view: ClientView) -> tuple[str, ...]:
    if view.relation == "clinician" and not view.scopes:
        return ()  # on the team, but no treatment consent yet
    if view.relation in CONSENT_ONLY_RELATIONS and not view.scopes:
        return WITHOUT_GRANT_FIELDS
    return FIELDS_BY_RELATION.get(view.relation, ())


def care_team_visible(view: ClientView) -> bool:
    """Who treats a member is part of her record: family, and a mentor without a grant, do not see it."""
    if view.relation == CareRole.FAMILY.value:
        return False
    return not (view.relation in CONSENT_ONLY_RELATIONS and not view.scopes)


def treatment_consent_visible(view: ClientView) -> bool:
    return view.relation in ("self", "clinician", "staff")


# --- many members ---------------------------------------------------------------------------


def client_scopes_for_many(*, viewer: User, clients: Sequence[User]) -> dict[int, tuple[str, frozenset[str]]]:
    """{client_id: (relation, scopes)} for those of `clients` the viewer may see: the rules of
    client_get_for_viewer (tests/members/test_client_scopes_for_many.py holds them equal),
    for many clients in at most three queries, for lists and summaries. Writes no access-log
    rows: a caller that shows the data logs with access_log_record_many."""
    if not viewer.is_authenticated or viewer.organization_id is None or not viewer.is_active:
        return {}
    everything = all_scopes()
    visible = [c for c in clients if c.organization_id == viewer.organization_id and c.role == Role.CLIENT and c.is_active]
    out: dict[int, tuple[str, frozenset[str]]] = {c.pk: ("self", everything) for c in visible if c.pk == viewer.pk}
    others = [c for c in visible if c.pk != viewer.pk]
    if viewer.role == Role.STAFF:
        staff = staff_scopes()
        out.update({c.pk: ("staff", staff) for c in others})
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
            found = everything if c.pk in consented else frozenset(grants.get(c.pk, set()) & everything)
            out[c.pk] = (roles[c.pk], found)
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


def clients_sharing_with(*, viewer: User, client_ids: Iterable[int]) -> set[int]:
    """Which of `client_ids` currently share at least one scope with `viewer` (one query)."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(active_grants().filter(grantee=viewer, client_id__in=ids).values_list("client_id", flat=True))


def client_ids_seeing(*, viewer: User, clients: Sequence[User], kind: str) -> frozenset[int]:
    """Which of `clients` the viewer may read records of `kind` of (at most three queries)."""
    access = client_scopes_for_many(viewer=viewer, clients=clients)
    return frozenset(pk for pk, (relation, scopes) in access.items() if kind_visible(kind, relation, scopes))


@dataclass(frozen=True)
class CaseloadAccess:
    """Which of the viewer's clients share each kind of record: None means all of them."""

    ids_by_kind: dict[str, frozenset[int] | None]
    # {client_id: (relation, scopes)} of the whole caseload (client_scopes_for_many), so a page
    # of it needs no second look; None for staff (whose scopes take no query).
    scopes_by_client: dict[int, tuple[str, frozenset[str]]] | None = None

    def scopes_for(self, *, viewer: User, clients: Sequence[User]) -> dict[int, tuple[str, frozenset[str]]]:
        """client_scopes_for_many for some of the caseload, without a query when it is known."""
        if self.scopes_by_client is None:
            return client_scopes_for_many(viewer=viewer, clients=clients)
        return {c.pk: self.scopes_by_client[c.pk] for c in clients if c.pk in self.scopes_by_client}

    def sees(self, kind: str, pk: int) -> bool:
        ids = self.ids_by_kind.get(kind, frozenset())
        return ids is None or pk in ids

    def ids(self, kind: str) -> frozenset[int] | None:
        return self.ids_by_kind.get(kind, frozenset())


def caseload_access(*, viewer: User, kinds: Sequence[str]) -> CaseloadAccess:
    """The consent picture of the viewer's whole caseload, per record kind, in at most four
    queries. When the whole caseload shares a kind (the usual case for clinicians and staff),
    no id list is needed."""
    if viewer.role == Role.STAFF and all(_record_kinds[k].staff for k in kinds):
        return CaseloadAccess(ids_by_kind=dict.fromkeys(kinds))  # staff read these of the whole organization
    clients = list(clients_visible_to(viewer=viewer).only("pk", "organization_id", "role", "is_active"))
    access = client_scopes_for_many(viewer=viewer, clients=clients)
    everyone = frozenset(c.pk for c in clients)
    out: dict[str, frozenset[int] | None] = {}
    for kind in kinds:
        ids = frozenset(pk for pk, (relation, scopes) in access.items() if kind_visible(kind, relation, scopes))
        out[kind] = None if ids == everyone else ids
    return CaseloadAccess(ids_by_kind=out, scopes_by_client=access)


# Why a read happened when no consent of the member's names it (42 CFR Part 2 accounting).
PURPOSE_TREATMENT = "treatment, under the member's consent to treatment"
PURPOSE_OPERATIONS = "program operations"


def _disclosure_bases(*, viewer: User, client_ids: Sequence[int]) -> dict[int, tuple[int | None, str]]:
    """{client_id: (consent id, purpose)} for reads by `viewer` (at most one query)."""
    if viewer.role == Role.STAFF:
        return dict.fromkeys(client_ids, (None, PURPOSE_OPERATIONS))
    if viewer.role == Role.CLINICIAN:
        return dict.fromkeys(client_ids, (None, PURPOSE_TREATMENT))
    out: dict[int, tuple[int | None, str]] = {}
    grants = active_grants().filter(grantee=viewer, client_id__in=list(client_ids)).order_by("client_id", "-created_at", "-pk")
    for client_id, grant_id, purpose in grants.values_list("client_id", "pk", "purpose"):
        out.setdefault(client_id, (grant_id, purpose))
    return {pk: out.get(pk, (None, "")) for pk in client_ids}


def access_log_record_many(*, viewer: User, clients: Iterable[User], resource: str) -> None:
    """Write one access-log row per client read by someone else, with the consent and purpose
    it was read under (two queries)."""
    others = [c for c in clients if c.pk != viewer.pk]
    if not others:
        return
    bases = _disclosure_bases(viewer=viewer, client_ids=[c.pk for c in others])
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                organization_id=c.org_id,
                client=c,
                actor=viewer,
                resource=resource,
                consent_id=bases[c.pk][0],
                purpose=bases[c.pk][1],
            )
            for c in others
        ]
    )


def access_log_record_query(*, viewer: User, clients: QuerySet[User], resource: str) -> int:
    """access_log_record_many for a whole set of members at once (a batch run reads thousands):
    one INSERT … SELECT when the viewer reads under no per-member consent (staff, clinicians),
    the row-by-row path otherwise. Returns the rows written."""
    if viewer.role not in (Role.STAFF, Role.CLINICIAN):
        members = list(clients)
        access_log_record_many(viewer=viewer, clients=members, resource=resource)
        return len([c for c in members if c.pk != viewer.pk])
    _basis, purpose = _disclosure_bases(viewer=viewer, client_ids=[0])[0]
    ids_sql, ids_params = clients.values("pk").query.sql_with_params()
    table, users = AccessLog._meta.db_table, User._meta.db_table
    sql = (
        f"INSERT INTO {table} (organization_id, client_id, actor_id, resource, at, consent_id, purpose) "  # noqa: S608
        f"SELECT u.organization_id, u.id, %s, %s, %s, NULL, %s FROM {users} u WHERE u.id IN ({ids_sql}) AND u.id <> %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [viewer.pk, resource, timezone.now(), purpose, *ids_params, viewer.pk])
        return cursor.rowcount


# --- the people a family member supports (the family home) -----------------------------------


@dataclass(frozen=True)
class FamilyCircle:
    """The members a family member supports (family_supported), and the consent each read is
    disclosed under (for access_log_record_reads, so logging costs no extra lookup)."""

    views: list[ClientView]
    bases: dict[int, tuple[int | None, str]]


def family_circle(*, viewer: User) -> FamilyCircle:
    """Every member whose care team `viewer` is on as family, with what each shares with her
    (one query: the memberships with the members, joined to her active grants to the viewer). The rules of
    client_get_for_viewer for the family relation: same organization, an active membership, the
    member's active grants. Writes no access-log rows (access_log_record_reads does)."""
    if not viewer.is_authenticated or viewer.organization_id is None or not viewer.is_active:
        return FamilyCircle(views=[], bases={})
    now = timezone.now()
    # One row per (membership, active grant of hers to the viewer), or one with no grant.
    rows = list(
        CareTeamMember.objects.filter(
            member=viewer,
            role=CareRole.FAMILY,
            ended_at__isnull=True,
            client__organization_id=viewer.organization_id,
            client__role=Role.CLIENT,
            client__is_active=True,
        )
        .annotate(
            her_grant=FilteredRelation(
                "client__consents_given",
                condition=Q(client__consents_given__grantee=viewer, client__consents_given__revoked_at__isnull=True)
                & (Q(client__consents_given__expires_at__isnull=True) | Q(client__consents_given__expires_at__gt=now)),
            ),
            grant_id=F("her_grant__pk"),
            grant_scopes=F("her_grant__scopes"),
            grant_purpose=F("her_grant__purpose"),
        )
        .select_related("client", "client__organization", "client__client_profile")
        .order_by("client__display_name", "client_id", F("her_grant__created_at").desc(nulls_last=True), "-her_grant__pk")
    )
    if not rows:
        return FamilyCircle(views=[], bases={})
    memberships: list[CareTeamMember] = []
    grants: dict[int, set[str]] = {}
    bases: dict[int, tuple[int | None, str]] = {}
    for row in rows:
        if not memberships or memberships[-1].client_id != row.client_id:
            memberships.append(row)
        if row.grant_id is not None:  # type: ignore[attr-defined]
            grants.setdefault(row.client_id, set()).update(row.grant_scopes or [])  # type: ignore[attr-defined]
            bases.setdefault(row.client_id, (row.grant_id, row.grant_purpose))  # type: ignore[attr-defined]
    everything = all_scopes()
    views = [
        ClientView(
            client=m.client,
            viewer=viewer,
            relation=CareRole.FAMILY.value,
            scopes=frozenset(grants.get(m.client_id, set()) & everything),
        )
        for m in memberships
    ]
    return FamilyCircle(views=views, bases={m.client_id: bases.get(m.client_id, (None, "")) for m in memberships})


def family_supported(*, viewer: User) -> list[ClientView]:
    return family_circle(viewer=viewer).views


def access_log_record_reads(
    *, viewer: User, reads: Iterable[tuple[User, str]], bases: dict[int, tuple[int | None, str]] | None = None
) -> None:
    """access_log_record_many for several kinds of record at once: one row per (member,
    resource) read by someone else, in two queries whatever the number of kinds (one, when the
    caller already holds the disclosure bases: FamilyCircle.bases)."""
    pairs = [(c, resource) for c, resource in reads if c.pk != viewer.pk]
    if not pairs:
        return
    if bases is None or any(c.pk not in bases for c, _ in pairs):
        bases = _disclosure_bases(viewer=viewer, client_ids=sorted({c.pk for c, _ in pairs}))
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                organization_id=c.org_id,
                client=c,
                actor=viewer,
                resource=resource,
                consent_id=bases[c.pk][0],
                purpose=bases[c.pk][1],
            )
            for c, resource in pairs
        ]
    )
