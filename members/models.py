from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils.timezone import now
from django.utils.timezone import now as _now

from .choices import (
    CareRole,
    Gender,
    Goal,
    Language,
    MentorGender,
    Relationship,
    Role,
    VettingStatus,
)
from .validators import validate_phone, validate_timezone


class Organization(models.Model):
    """A tenant: one treatment program. Every row that belongs to one carries it."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    allow_self_signup = models.BooleanField(default=False)
    # Staff and clinicians cannot use Kinship until they enrol in two-factor sign-in (TOTP).
    require_two_factor = models.BooleanField(default=False)
    crisis_resources = models.TextField(
        blank=True, help_text="The program's own crisis line or after-hours instructions, shown with the national ones."
    )
    # Where the program is, for the approximate location of its online meetings in the Meeting
    # Guide feed ("Springfield, IL, USA").
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=100, blank=True, help_text="State or region, e.g. IL.")
    country = models.CharField(max_length=100, blank=True, default="USA")
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        """A platform operator (Django admin only); belongs to no organization."""
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.STAFF)
        extra.setdefault("display_name", "Platform operator")
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=80)
    pronouns = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=16, blank=True, validators=[validate_phone])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CLIENT)
    organization = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    timezone = models.CharField(max_length=64, default="America/New_York", validators=[validate_timezone])
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.EN)
    is_active = models.BooleanField(default=True)
    # Django admin access: platform operators only, never program users.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    erasure_due_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        indexes = [
            models.Index(fields=["organization", "role"]),
            # The few deactivated accounts (dashboards subtract their days): found without
            # reading every member.
            models.Index(fields=["organization"], condition=models.Q(is_active=False), name="user_inactive_by_org"),
        ]

    @property
    def org_id(self) -> int:
        """This account's organization id. Every member of a program has one; only platform
        operators (Django admin) have none, and they never reach client records."""
        if self.organization_id is None:
            raise ValueError("This account belongs to no organization.")
        return self.organization_id

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    @property
    def is_client(self) -> bool:
        return self.role == Role.CLIENT

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_clinician(self) -> bool:
        return self.role == Role.CLINICIAN

    @property
    def is_program_staff(self) -> bool:
        return self.role == Role.STAFF


class ClientProfile(models.Model):
    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="client_profile")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    goal = models.CharField(max_length=16, choices=Goal.choices, default=Goal.UNDECIDED)
    pathways = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNDISCLOSED)
    mentor_gender = models.CharField(max_length=16, choices=MentorGender.choices, default=MentorGender.ANY)
    mentor_gender_required = models.BooleanField(default=False)
    formats = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    experience_tags = models.JSONField(default=list, blank=True)
    working_toward = models.TextField(blank=True)
    recovery_start = models.DateField(null=True, blank=True)
    # Sensitive: visible to the client and the clinicians treating them only.
    substances = models.JSONField(default=list, blank=True)
    # Sober-day counts are shown only to members who ask for them.
    show_sober_days = models.BooleanField(default=False)
    treatment_consent_version = models.CharField(max_length=20, blank=True)
    treatment_consent_at = models.DateTimeField(null=True, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    @property
    def treatment_consent(self) -> bool:
        return self.treatment_consent_at is not None


class MentorProfile(models.Model):
    user = models.OneToOneField(User, primary_key=True, on_delete=models.CASCADE, related_name="mentor_profile")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    pathways = models.JSONField(default=list, blank=True)
    experience_tags = models.JSONField(default=list, blank=True)
    years_in_recovery = models.PositiveSmallIntegerField(default=0)
    languages = models.JSONField(default=list, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.UNDISCLOSED)
    formats = models.JSONField(default=list, blank=True)
    availability = models.JSONField(default=list, blank=True)
    supports_harm_reduction = models.BooleanField(default=False)
    # Lived experience as the family member of someone in recovery: offered to family members.
    family_peer = models.BooleanField(default=False)
    capacity = models.PositiveSmallIntegerField(default=3)
    certification = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=VettingStatus.choices, default=VettingStatus.PENDING)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["organization", "status"])]


class CareTeamMember(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="care_team")
    member = models.ForeignKey(User, on_delete=models.CASCADE, related_name="care_of")
    role = models.CharField(max_length=16, choices=CareRole.choices)
    # Family only: how they are related to the member (she says so when she invites them).
    relationship = models.CharField(max_length=16, choices=Relationship.choices, blank=True)
    started_at = models.DateTimeField(default=now)
    ended_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "member"], condition=Q(ended_at__isnull=True), name="one_active_care_team_membership"
            )
        ]
        indexes = [models.Index(fields=["member", "ended_at"])]


class ConsentGrant(models.Model):
    """A client's permission for one care-team member to read some of their records: a
    42 CFR § 2.31 consent (who, to whom, what, purpose, expiry as a date or an event, the
    member's electronic signature and date, the right to revoke). Immutable once given: a
    change is a new grant (`version` counts the grants between the same two people); only
    `revoked_at` is ever set afterwards."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents_given")
    grantee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents_received")
    scopes = models.JSONField(default=list)
    purpose = models.CharField(max_length=300, default="at the member's request")
    expiry_event = models.CharField(max_length=200, blank=True, help_text="An event that ends the consent, if any.")
    signature = models.CharField(max_length=120, blank=True, help_text="The member's typed name, her electronic signature.")
    signed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "grantee"])]

    def is_active(self, now: Any = None) -> bool:
        now = now or _now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AccessLog(models.Model):
    """Someone other than the client read one of the client's records. Shown to the client."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_log")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    resource = models.CharField(max_length=40)
    at = models.DateTimeField(default=now)
    # Under which consent the read happened (None: treatment consent, program operations), and
    # why: the accounting of disclosures (42 CFR § 2.24) groups reads by recipient and consent.
    consent = models.ForeignKey("ConsentGrant", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    purpose = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "-at"]), models.Index(fields=["organization", "-at"])]


class AuditEvent(models.Model):
    """Who changed what, and when. Written by every service that changes data."""

    organization = models.ForeignKey(Organization, null=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_id = models.BigIntegerField(null=True)
    client = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["organization", "-at"]), models.Index(fields=["client", "-at"])]


class ApiToken(models.Model):
    """An API token: one per sign-in, with an expiry. Only a hash of the key is stored. A token
    also ends when its user's password changes (it remembers a fingerprint of the password hash,
    as Django's sessions do), when the user is deactivated, and on logout."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]
