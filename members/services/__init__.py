"""Writes. Each service runs in a transaction, takes keyword arguments, records who did it
(`actor=`) in the audit trail, and raises domain errors (common.errors) on rule breaks.

One module per topic where a topic has grown rules of its own (audit.py: the audit trail;
care_team.py: who changes a care team); callers keep importing `members.services`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.models import AccessAttempt as AxesAccessAttempt
from axes.models import AccessFailureLog as AxesAccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import Conflict, Invalid, NotAllowed

from ..access import all_scopes
from ..choices import Role, VettingStatus
from ..hooks import member_event_publish
from ..models import (
    AuditEvent,
    CareTeamMember,
    ClientProfile,
    ConsentGrant,
    MentorProfile,
    Organization,
    User,
)
from ..tokens import tokens_revoke_all
from .audit import _apply, audit_record
from .care_team import (
    ROLE_FOR_CARE_ROLE,
    care_team_add,
    care_team_change_check,
    care_team_end,
    care_team_may_change,
    care_team_rule_register,
)
from .family import (
    FamilyInvitation,
    family_invitation_pending,
    family_invite,
    family_membership_get,
    family_remove,
)

__all__ = [
    "ROLE_FOR_CARE_ROLE",
    "FamilyInvitation",
    "audit_record",
    "care_team_add",
    "care_team_change_check",
    "care_team_end",
    "care_team_may_change",
    "care_team_rule_register",
    "family_invitation_pending",
    "family_invite",
    "family_membership_get",
    "family_remove",
]

CLIENT_PROFILE_FIELDS = (
    "goal",
    "pathways",
    "languages",
    "gender",
    "mentor_gender",
    "mentor_gender_required",
    "formats",
    "availability",
    "experience_tags",
    "working_toward",
    "recovery_start",
    "substances",
    "show_sober_days",
)
MENTOR_PROFILE_FIELDS = (
    "pathways",
    "languages",
    "gender",
    "formats",
    "availability",
    "experience_tags",
    "years_in_recovery",
    "supports_harm_reduction",
    "family_peer",
    "capacity",
    "certification",
    "bio",
)
USER_SELF_FIELDS = ("display_name", "pronouns", "phone", "timezone", "language")
# Treatment-record detail (what members/client_records.py shows only to the client and their
# clinicians): the audit trail notes a change without copying the values.
CLINICAL_PROFILE_FIELDS = frozenset({"substances", "recovery_start", "working_toward"})


def _validate_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="password") from None


def _ensure_role_profile(user: User) -> None:
    if user.role == Role.CLIENT:
        ClientProfile.objects.get_or_create(user=user, defaults={"organization_id": user.organization_id})
    elif user.role == Role.MENTOR:
        MentorProfile.objects.get_or_create(user=user, defaults={"organization_id": user.organization_id})


@transaction.atomic
def organization_create(
    *,
    slug: str,
    name: str,
    admin_email: str,
    admin_password: str,
    allow_self_signup: bool = False,
    timezone_name: str = "America/New_York",
    require_two_factor: bool = False,
) -> tuple[Organization, bool]:
    """Create an organization and its first staff user. Idempotent on slug: a second call
    returns the existing organization and changes nothing."""
    existing = Organization.objects.filter(slug=slug).first()
    if existing is not None:
        return existing, False
    org = Organization(
        slug=slug,
        name=name,
        timezone=timezone_name,
        allow_self_signup=allow_self_signup,
        require_two_factor=require_two_factor,
    )
    org.full_clean()
    org.save()
    admin = user_create(
        organization=org,
        email=admin_email,
        display_name="Program admin",
        role=Role.STAFF,
        password=admin_password,
        timezone_name=timezone_name,
        actor=None,
    )
    audit_record(actor=admin, action="organization.create", target=org, changes={"slug": slug, "name": name})
    return org, True


@transaction.atomic
def user_create(
    *,
    organization: Organization,
    email: str,
    display_name: str,
    role: str,
    actor: User | None,
    password: str | None = None,
    timezone_name: str | None = None,
    pronouns: str = "",
    phone: str = "",
) -> User:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise Conflict(_("An account with this email already exists."), field="email")
    if role not in Role.values:
        raise Invalid(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    user = User(
        email=email,
        display_name=display_name.strip(),
        role=role,
        organization=organization,
        timezone=timezone_name or organization.timezone,
        pronouns=pronouns,
        phone=phone,
    )
    if password:
        _validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise Conflict(_("An account with this email already exists."), field="email") from None
    _ensure_role_profile(user)
    audit_record(
        actor=actor,
        action="user.create",
        target=user,
        client=user if role == Role.CLIENT else None,
        changes={"email": email, "role": role},
    )
    if not password:
        member_event_publish("user_invited", user=user, invited_by=actor)  # notifications sends the email
    return user


SIGNUP_CLOSED = gettext_lazy(
    "You can't join this program online with this code. Check the code with your program, or ask them for an invitation."
)


@transaction.atomic
def client_signup(
    *, organization_slug: str, email: str, password: str, display_name: str, timezone_name: str
) -> tuple[Organization, User | None]:
    """A newcomer creates her member account. The answer never tells whether the email already
    has an account, in this program or any other (M6): then nothing is created, the owner of the
    address is told by email, and the caller sees exactly what a new member sees. Returns the
    program and the new account (None when the email was taken)."""
    org = Organization.objects.filter(slug=organization_slug).first()
    if org is None or not org.allow_self_signup:
        # An unknown code and a closed program answer alike, so codes cannot be probed (L6).
        raise NotAllowed(SIGNUP_CLOSED, field="organization")
    normalized = User.objects.normalize_email(email).strip().lower()
    # Validate exactly as for a new account first, so a taken email cannot be told apart by its errors.
    candidate = User(email=normalized, display_name=display_name.strip(), role=Role.CLIENT, organization=org)
    _validate_password(password, candidate)
    existing = User.objects.filter(email__iexact=normalized).first()
    if existing is not None:
        member_event_publish("signup_with_existing_email", user=existing)
        return org, None
    try:
        user = user_create(
            organization=org,
            email=normalized,
            display_name=display_name,
            role=Role.CLIENT,
            password=password,
            timezone_name=timezone_name,
            actor=None,
        )
    except Conflict:  # taken a moment ago by a concurrent sign-up: the same quiet answer
        return org, None
    audit_record(actor=user, action="user.signup", target=user, client=user)
    return org, user


@transaction.atomic
def user_update_self(*, user: User, data: dict[str, Any]) -> User:
    changed = _apply(user, data, USER_SELF_FIELDS)
    if changed:
        user.full_clean(exclude=["password"])
        user.save()
        audit_record(actor=user, action="user.update", target=user, client=user if user.is_client else None, changes=changed)
    return user


@transaction.atomic
def user_update_by_staff(*, staff: User, user: User, data: dict[str, Any]) -> User:
    if user.pk == staff.pk and (data.get("is_active") is False or data.get("role", Role.STAFF) != Role.STAFF):
        raise Conflict(_("You cannot deactivate yourself or remove your own staff role."))
    changed = _apply(user, data, ("display_name", "role", "is_active"))
    if not changed:
        return user
    if "is_active" in changed:
        user.deactivated_at = None if user.is_active else timezone.now()
        if not user.is_active:
            tokens_revoke_all(user=user)
    user.save()
    _ensure_role_profile(user)
    audit_record(actor=staff, action="user.update", target=user, client=user if user.is_client else None, changes=changed)
    return user


@transaction.atomic
def client_profile_update(*, actor: User, profile: ClientProfile, data: dict[str, Any]) -> ClientProfile:
    changed = _apply(profile, data, CLIENT_PROFILE_FIELDS)
    if "treatment_consent" in data:
        given = bool(data["treatment_consent"])
        if given and not profile.treatment_consent:
            profile.treatment_consent_at = timezone.now()
            profile.treatment_consent_version = settings.TREATMENT_CONSENT_VERSION
            changed["treatment_consent"] = [False, settings.TREATMENT_CONSENT_VERSION]
        elif not given and profile.treatment_consent:
            profile.treatment_consent_at = None
            profile.treatment_consent_version = ""
            changed["treatment_consent"] = [True, False]
    if data.get("onboarded") and profile.onboarded_at is None:
        profile.onboarded_at = timezone.now()
        changed["onboarded"] = [False, True]
    if changed:
        profile.save()
        # Staff read the audit trail, but not clinical detail: say that these changed, not to what.
        for name in CLINICAL_PROFILE_FIELDS & set(changed):
            changed[name] = "changed"
        audit_record(actor=actor, action="client_profile.update", target=profile.user, client=profile.user, changes=changed)
    return profile


@transaction.atomic
def mentor_profile_update(*, actor: User, profile: MentorProfile, data: dict[str, Any]) -> MentorProfile:
    changed = _apply(profile, data, MENTOR_PROFILE_FIELDS)
    if changed:
        profile.save()
        audit_record(actor=actor, action="mentor_profile.update", target=profile.user, changes=changed)
    return profile


@transaction.atomic
def mentor_vet(*, staff: User, profile: MentorProfile, status: str | None = None, capacity: int | None = None) -> MentorProfile:
    # Lock the row: matching (a later issue) reads status and capacity under the same lock.
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    changed: dict[str, Any] = {}
    if status is not None and status != profile.status:
        if status not in VettingStatus.values:
            raise Invalid(_("Unknown status “%(status)s”.") % {"status": status}, field="status")
        changed["status"] = [profile.status, status]
        profile.status = status
        profile.status_changed_at = timezone.now()
        profile.status_changed_by = staff
    if capacity is not None and capacity != profile.capacity:
        changed["capacity"] = [profile.capacity, capacity]
        profile.capacity = capacity
    if changed:
        profile.save()
        audit_record(actor=staff, action="mentor.vet", target=profile.user, changes=changed)
    return profile


# § 2.31: a consent says how long it lasts. Kinship bounds it, so every grant can be read back,
# revoked and exported (a far-future date once broke all three).
CONSENT_MAX_YEARS = 3
DEFAULT_CONSENT_PURPOSE = "at the member's request"


@transaction.atomic
def consent_grant(
    *,
    client: User,
    grantee: User,
    scopes: list[str],
    expires_at: datetime | None = None,
    purpose: str = "",
    expiry_event: str = "",
    signature: str = "",
) -> ConsentGrant:
    """The member lets someone on her care team read some of her records (42 CFR § 2.31): to
    whom, what, why, until when (a date up to three years ahead, or an event), signed by her.
    Grants are never edited: giving a new one is how a member changes what she shares."""
    unknown = set(scopes) - all_scopes()
    if unknown or not scopes:
        raise Invalid(_("Choose at least one of: ") + ", ".join(sorted(all_scopes())) + ".", field="scopes")
    now = timezone.now()
    if expires_at is not None:
        if expires_at <= now:
            raise Invalid(_("The end date must be in the future."), field="expires_at")
        if expires_at > now + relativedelta(years=CONSENT_MAX_YEARS):
            raise Invalid(
                _("A consent can last at most %(years)s years; choose an earlier end date.") % {"years": CONSENT_MAX_YEARS},
                field="expires_at",
            )
    if grantee.pk == client.pk or grantee.organization_id != client.organization_id:
        raise Invalid(_("Choose someone on your care team."), field="grantee")
    if not CareTeamMember.objects.filter(client=client, member=grantee, ended_at__isnull=True).exists():
        raise Invalid(_("Choose someone on your care team."), field="grantee")
    previous = ConsentGrant.objects.select_for_update().filter(client=client, grantee=grantee).count()
    grant = ConsentGrant.objects.create(
        organization_id=client.org_id,
        client=client,
        grantee=grantee,
        scopes=sorted(set(scopes)),
        purpose=(purpose or "").strip()[:300] or DEFAULT_CONSENT_PURPOSE,
        expiry_event=(expiry_event or "").strip()[:200],
        # Giving consent while signed in is the member's electronic signature; a typed name is kept too.
        signature=(signature or "").strip()[:120] or client.display_name,
        signed_at=now,
        version=previous + 1,
        created_at=now,
        expires_at=expires_at,
    )
    audit_record(
        actor=client,
        action="consent.grant",
        target=grant,
        client=client,
        changes={"grantee": grant.grantee_id, "scopes": grant.scopes, "expires_at": expires_at, "version": grant.version},
    )
    return grant


@transaction.atomic
def consent_revoke(*, client: User, grant: ConsentGrant) -> ConsentGrant:
    if grant.client_id != client.pk:
        raise NotAllowed(_("Only the member who gave this consent can revoke it."))
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        audit_record(actor=client, action="consent.revoke", target=grant, client=client, changes={"grantee": grant.grantee_id})
    return grant


@transaction.atomic
def account_delete(*, user: User) -> User:
    """A client or family member leaves: sign-in stops now, sharing ends now, and their
    personal data is erased after the grace period (ACCOUNT_ERASURE_GRACE)."""
    if user.role not in (Role.CLIENT, Role.FAMILY):
        raise NotAllowed(_("Staff, clinician and mentor accounts are closed by program staff."))
    now = timezone.now()
    user.is_active = False
    user.deactivated_at = now
    user.erasure_due_at = now + settings.ACCOUNT_ERASURE_GRACE
    user.save(update_fields=["is_active", "deactivated_at", "erasure_due_at"])
    tokens_revoke_all(user=user)
    ConsentGrant.objects.filter(client=user, revoked_at__isnull=True).update(revoked_at=now)
    ConsentGrant.objects.filter(grantee=user, revoked_at__isnull=True).update(revoked_at=now)
    audit_record(actor=user, action="user.delete", target=user, client=user if user.is_client else None)
    return user


@transaction.atomic
def _scrub(value: Any, former: list[str]) -> Any:
    if isinstance(value, str):
        for text in former:
            value = value.replace(text, "[erased]")
        return value
    if isinstance(value, list):
        return [_scrub(v, former) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, former) for k, v in value.items()}
    return value


def _audit_rows_forget(*, user: User, former: list[str]) -> None:
    """Audit rows stay (who did what, when) but no longer carry her name, email or phone (M7)."""
    events = AuditEvent.objects.filter(Q(client=user) | Q(target_type="user", target_id=user.pk) | Q(actor=user))
    for event in events.only("pk", "changes"):
        cleaned = _scrub(event.changes, former)
        if cleaned != event.changes:
            AuditEvent.objects.filter(pk=event.pk).update(changes=cleaned)


def account_erase(*, user_id: int) -> bool:
    """Replace a deleted account's personal data with placeholders. Audit and access-log rows
    stay (records of who did what) but no longer name the person."""
    user = User.objects.select_for_update().filter(pk=user_id, is_active=False, erased_at__isnull=True).first()
    if user is None or user.erasure_due_at is None or user.erasure_due_at > timezone.now():
        return False
    former = [v for v in (user.email, user.display_name, user.phone) if v]
    # Each app erases its part first, while the account still carries the name its rows mention.
    from ..exports import erase_everywhere

    erase_everywhere(user)
    user.email = f"erased-{user.pk}@invalid.kinship"
    user.display_name = "Former member"
    user.pronouns = ""
    user.phone = ""
    user.set_unusable_password()
    user.erased_at = timezone.now()
    user.save()
    ClientProfile.objects.filter(user=user).update(
        pathways=[],
        languages=[],
        formats=[],
        availability=[],
        experience_tags=[],
        substances=[],
        working_toward="",
        recovery_start=None,
    )
    CareTeamMember.objects.filter(client=user, ended_at__isnull=True).update(ended_at=timezone.now())
    _audit_rows_forget(user=user, former=former)
    # Sign-in attempts name the email (django-axes' tables): they go too (M7).
    AxesAccessAttempt.objects.filter(username__iexact=former[0]).delete()
    AxesAccessFailureLog.objects.filter(username__iexact=former[0]).delete()
    AxesAccessLog.objects.filter(username__iexact=former[0]).delete()
    audit_record(actor=None, action="user.erase", target=user, organization_id=user.organization_id)
    return True


def accounts_erase_due() -> int:
    due = User.objects.filter(is_active=False, erased_at__isnull=True, erasure_due_at__lte=timezone.now()).values_list(
        "pk", flat=True
    )
    return sum(1 for pk in list(due) if account_erase(user_id=pk))


# --- added for the HTML pages (ui branch) -------------------------------------------------


@transaction.atomic
def mentor_vet_with_reason(*, staff: User, profile: MentorProfile, status: str, reason: str = "") -> MentorProfile:
    """Staff approve or suspend a mentor from the vetting page; the reason goes into the audit
    trail and, with the new status, to the mentor's inbox."""
    before = profile.status
    profile = mentor_vet(staff=staff, profile=profile, status=status)
    if profile.status == before:
        return profile
    reason = reason.strip()
    if reason:
        audit_record(actor=staff, action="mentor.vet_reason", target=profile.user, changes={"status": status, "reason": reason})

    # notifications puts the notice in the mentor's inbox
    member_event_publish("mentor_status_changed", profile=profile, status=status, actor=staff, reason=reason)
    return profile


@transaction.atomic
def password_change(*, user: User, current_password: str, new_password: str) -> User:
    """The member changes her own password. Every API token ends now; every browser session
    signed in with the old password ends too (Django ties sessions to the password hash)."""
    if not user.check_password(current_password):
        raise Invalid(_("That is not your current password."), field="current_password")
    try:
        password_validation.validate_password(new_password, user=user)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), field="new_password") from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    audit_record(actor=user, action="user.password_change", target=user)
    return user


@transaction.atomic
def organization_settings_update(*, actor: User, require_two_factor: bool) -> Organization:
    """Program staff choose whether their staff and clinicians must use two-factor sign-in."""
    if actor.role != Role.STAFF or actor.organization_id is None:
        raise NotAllowed(_("Only program staff change the program's settings."))
    org = Organization.objects.select_for_update().get(pk=actor.organization_id)
    if org.require_two_factor != require_two_factor:
        org.require_two_factor = require_two_factor
        org.save(update_fields=["require_two_factor"])
        audit_record(actor=actor, action="organization.update", target=org, changes={"require_two_factor": require_two_factor})
    return org
