"""Field-level validation for the members API (shape, vocabularies, lengths). Rules that need
the database or other objects live in services."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from common.json_types import StrictJsonTypes

from .access import all_scopes, consent_scope_choices
from .choices import CareRole, Format, Gender, Goal, MentorGender, Pathway, Relationship, Role, VettingStatus
from .models import AccessLog, CareTeamMember, ClientProfile, ConsentGrant, MentorProfile, User
from .validators import validate_language, validate_phone, validate_tag, validate_timezone

HHMM = {"format": "%H:%M", "input_formats": ["%H:%M"]}
# Ids are bigints: a larger number can name nothing, so it is a field error, not a database one.
MAX_ID = 2**63 - 1


def id_field(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class TimezoneField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(**kwargs)
        self.validators.append(validate_timezone)


def unique_list(child: serializers.Field, max_length: int, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(child=child, max_length=max_length, **kwargs)


class DedupeListsMixin:
    list_fields: tuple[str, ...] = ()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        for name in self.list_fields:
            if name in attrs:
                attrs[name] = list(dict.fromkeys(attrs[name]))
        return attrs


class AvailabilitySlotSerializer(StrictJsonTypes, serializers.Serializer):
    day = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Sunday … 6 = Saturday")
    start = serializers.RegexField(r"^([01][0-9]|2[0-3]):[0-5][0-9]$", help_text="HH:MM, local time")
    end = serializers.RegexField(r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", help_text="HH:MM, after start")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Inside a PATCH (partial) DRF stops enforcing required fields of nested items too;
        # a slot is only a slot with all three.
        missing = {name: [_("This field is required.")] for name in ("day", "start", "end") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end time must be after the start time.")]})
        return attrs


def availability_field() -> serializers.ListField:
    return serializers.ListField(child=AvailabilitySlotSerializer(), max_length=42, required=False)


class OrganizationBriefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


class MeSerializer(StrictJsonTypes, serializers.ModelSerializer):
    organization = OrganizationBriefSerializer(read_only=True)
    timezone = TimezoneField(required=False)
    display_name = serializers.CharField(max_length=80, min_length=1, required=False)
    pronouns = serializers.CharField(max_length=40, allow_blank=True, required=False)
    phone = serializers.CharField(max_length=16, allow_blank=True, required=False, validators=[validate_phone])

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "pronouns", "phone", "role", "organization", "timezone", "language"]
        read_only_fields = ["id", "email", "role", "organization"]


class TokenRequestSerializer(StrictJsonTypes, serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})
    otp = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        help_text="A code from the authenticator app, or an unused recovery code.",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class SignupSerializer(StrictJsonTypes, serializers.Serializer):
    organization = serializers.SlugField(max_length=50, help_text="The program's code (organization slug).")
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, min_length=1, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=80, min_length=1)
    timezone = TimezoneField()


class SignupResponseSerializer(serializers.Serializer):
    """The same for a new account and for an email that already has one (M6): no id, no token."""

    email = serializers.EmailField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    organization = inline_serializer("SignupOrganization", {"slug": serializers.CharField(), "name": serializers.CharField()})
    timezone = serializers.CharField()
    detail = serializers.CharField()


class ClientProfileSerializer(StrictJsonTypes, DedupeListsMixin, serializers.ModelSerializer):
    list_fields = ("pathways", "languages", "formats", "experience_tags", "substances")

    goal = serializers.ChoiceField(choices=Goal.choices, required=False)
    pathways = unique_list(serializers.ChoiceField(choices=Pathway.choices), 7, required=False)
    languages = unique_list(serializers.CharField(max_length=2, validators=[validate_language]), 10, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    mentor_gender = serializers.ChoiceField(choices=MentorGender.choices, required=False)
    formats = unique_list(serializers.ChoiceField(choices=Format.choices), 4, required=False)
    availability = availability_field()
    experience_tags = unique_list(serializers.CharField(max_length=40, validators=[validate_tag]), 20, required=False)
    working_toward = serializers.CharField(max_length=1000, allow_blank=True, required=False)
    substances = unique_list(serializers.CharField(max_length=40), 20, required=False)
    treatment_consent = serializers.BooleanField(required=False)
    treatment_consent_version = serializers.CharField(read_only=True)
    treatment_consent_at = serializers.DateTimeField(read_only=True)
    onboarded = serializers.BooleanField(required=False, write_only=True)
    onboarded_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ClientProfile
        fields = [
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
            "treatment_consent",
            "treatment_consent_version",
            "treatment_consent_at",
            "onboarded",
            "onboarded_at",
        ]

    def validate_recovery_start(self, value: Any) -> Any:
        if value is not None and value > timezone.now().date():
            raise serializers.ValidationError(_("The recovery start date cannot be in the future."))
        return value


class MentorProfileSerializer(StrictJsonTypes, DedupeListsMixin, serializers.ModelSerializer):
    list_fields = ("pathways", "languages", "formats", "experience_tags")

    pathways = unique_list(serializers.ChoiceField(choices=Pathway.choices), 7, required=False)
    languages = unique_list(serializers.CharField(max_length=2, validators=[validate_language]), 10, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    formats = unique_list(serializers.ChoiceField(choices=Format.choices), 4, required=False)
    availability = availability_field()
    experience_tags = unique_list(serializers.CharField(max_length=40, validators=[validate_tag]), 20, required=False)
    years_in_recovery = serializers.IntegerField(min_value=0, max_value=80, required=False)
    capacity = serializers.IntegerField(min_value=0, max_value=30, required=False)
    certification = serializers.CharField(max_length=200, allow_blank=True, required=False)
    bio = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    status = serializers.ChoiceField(choices=VettingStatus.choices, read_only=True)

    class Meta:
        model = MentorProfile
        fields = [
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
            "status",
        ]


class UserBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    display_name = serializers.CharField(read_only=True)


class StaffUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "pronouns", "role", "timezone", "is_active", "date_joined"]
        read_only_fields = fields


class StaffUserCreateSerializer(StrictJsonTypes, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    display_name = serializers.CharField(max_length=80, min_length=1)
    role = serializers.ChoiceField(choices=Role.choices)
    password = serializers.CharField(max_length=128, required=False, allow_blank=True, write_only=True, trim_whitespace=False)
    timezone = TimezoneField(required=False)
    phone = serializers.CharField(max_length=16, allow_blank=True, required=False, validators=[validate_phone])


class StaffUserUpdateSerializer(StrictJsonTypes, serializers.Serializer):
    display_name = serializers.CharField(max_length=80, min_length=1, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class RoleQuerySerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)


class MentorStaffSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="user_id", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    email = serializers.CharField(source="user.email", read_only=True)

    class Meta:
        model = MentorProfile
        fields = [
            "id",
            "display_name",
            "email",
            "status",
            "capacity",
            "pathways",
            "languages",
            "gender",
            "formats",
            "experience_tags",
            "years_in_recovery",
            "supports_harm_reduction",
            "family_peer",
            "certification",
            "bio",
            "status_changed_at",
        ]
        read_only_fields = fields


class MentorVetSerializer(StrictJsonTypes, serializers.Serializer):
    status = serializers.ChoiceField(choices=VettingStatus.choices, required=False)
    capacity = serializers.IntegerField(min_value=0, max_value=30, required=False)


class MentorStatusQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=VettingStatus.choices, required=False)


class CareTeamMemberSerializer(serializers.ModelSerializer):
    user = UserBriefSerializer(source="member", read_only=True)

    class Meta:
        model = CareTeamMember
        fields = ["id", "user", "role", "started_at", "ended_at"]
        read_only_fields = fields


class CareTeamAddSerializer(StrictJsonTypes, serializers.Serializer):
    user = id_field()
    role = serializers.ChoiceField(choices=CareRole.choices)


class ConsentSerializer(serializers.ModelSerializer):
    grantee = serializers.IntegerField(source="grantee_id", read_only=True)
    grantee_name = serializers.CharField(source="grantee.display_name", read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = ConsentGrant
        fields = [
            "id",
            "grantee",
            "grantee_name",
            "scopes",
            "purpose",
            "expiry_event",
            "signature",
            "signed_at",
            "version",
            "created_at",
            "expires_at",
            "revoked_at",
            "active",
        ]
        read_only_fields = fields

    def get_active(self, obj: ConsentGrant) -> bool:
        return obj.is_active()


class ConsentCreateSerializer(StrictJsonTypes, serializers.Serializer):
    grantee = id_field()
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="In the future and at most 3 years ahead; omit for no end date."
    )
    purpose = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text='Defaults to "at the member\'s request".'
    )
    expiry_event = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="An event that ends the consent."
    )
    signature = serializers.CharField(
        required=False, allow_blank=True, max_length=120, help_text="Your typed name as your signature (defaults to your name)."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        # Features register their scopes in AppConfig.ready(), after this module is imported:
        # the choices are read when a serializer is built, not when the class is defined.
        fields = super().get_fields()
        scopes = serializers.ListField(
            child=serializers.ChoiceField(choices=consent_scope_choices()), min_length=1, max_length=len(all_scopes()) or 1
        )
        return {"grantee": fields.pop("grantee"), "scopes": scopes, **fields}


class AccessLogSerializer(serializers.ModelSerializer):
    actor = serializers.IntegerField(source="actor_id", read_only=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AccessLog
        fields = ["actor", "actor_name", "resource", "at"]
        read_only_fields = fields

    def get_actor_name(self, obj: AccessLog) -> str:
        return obj.actor.display_name if obj.actor else _("Former user")


class AuditQuerySerializer(serializers.Serializer):
    client = id_field(required=False)
    actor = id_field(required=False)


class AuditEntrySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["change", "read"])
    at = serializers.DateTimeField()
    actor = serializers.IntegerField(allow_null=True)
    actor_name = serializers.CharField(allow_null=True)
    client = serializers.IntegerField(allow_null=True)
    action = serializers.CharField()
    target_type = serializers.CharField(allow_null=True)
    target_id = serializers.IntegerField(allow_null=True)
    changes = serializers.DictField()


class ClientSummarySerializer(serializers.Serializer):
    """A member as a client list shows her (features add engagement fields such as the last check-in)."""

    id = serializers.IntegerField()
    display_name = serializers.CharField()
    pronouns = serializers.CharField()
    timezone = serializers.CharField()
    joined_at = serializers.DateTimeField()
    onboarded = serializers.BooleanField()
    shared_with_you = serializers.ListField(child=serializers.CharField())
    profile = serializers.DictField(help_text="The list's profile fields (goal) the caller may see of this member")


# --- the caller's own profile: one documented body for both roles -----------------------------


def _writable_fields(serializer_class: type[serializers.Serializer]) -> dict[str, serializers.Field]:
    return {name: f for name, f in serializer_class().get_fields().items() if not f.read_only}


CLIENT_ONLY_FIELDS = frozenset(_writable_fields(ClientProfileSerializer)) - frozenset(_writable_fields(MentorProfileSerializer))
MENTOR_ONLY_FIELDS = frozenset(_writable_fields(MentorProfileSerializer)) - frozenset(_writable_fields(ClientProfileSerializer))
# Clients send the client fields, mentors the mentor ones.
ProfileUpdateRequest = inline_serializer(
    "ProfileUpdate", fields={**_writable_fields(MentorProfileSerializer), **_writable_fields(ClientProfileSerializer)}
)


def profile_serializer_for(user: User) -> type[serializers.ModelSerializer]:
    return ClientProfileSerializer if user.role == Role.CLIENT else MentorProfileSerializer


def reject_other_roles_fields(*, user: User, data: Any) -> None:
    """A field of the other role's profile is a 400: silently ignoring it would let the caller
    believe it was saved."""
    foreign = MENTOR_ONLY_FIELDS if user.role == Role.CLIENT else CLIENT_ONLY_FIELDS
    if isinstance(data, dict) and foreign & set(data):
        role = user.get_role_display().lower()
        raise serializers.ValidationError(
            {name: [_("Not part of a %(role)s's profile.") % {"role": role}] for name in sorted(foreign & set(data))}
        )


# --- the member's own care team and family invitations (API.md "Care team, consent, access log") ---


class MyCareTeamMemberSerializer(serializers.Serializer):
    """GET /me/care-team/: `[{id, user: {id, display_name, role}, role, relationship, since}]`."""

    id = serializers.IntegerField(read_only=True)
    user = inline_serializer(
        "CareTeamPerson",
        {"id": serializers.IntegerField(), "display_name": serializers.CharField(), "role": serializers.CharField()},
    )
    role = serializers.CharField(read_only=True)
    relationship = serializers.CharField(read_only=True, allow_blank=True)
    since = serializers.DateTimeField(read_only=True)
    invited = serializers.BooleanField(read_only=True, help_text="Family invited by email who have not set a password yet")


class FamilyInviteSerializer(StrictJsonTypes, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    display_name = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=[]), required=False, default=list, max_length=20)
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scopes"].child.choices = consent_scope_choices()


class FamilyInviteResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=[("invited", "invited"), ("added", "added")])
