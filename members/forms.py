"""Forms for the HTML pages. Vocabularies come from members.choices and the validation messages
are the API's (DRF serializers in members/serializers.py), so a member sees the same words
whichever way they use Kinship. Rules that need the database stay in services."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import two_factor
from .access import consent_scope_choices
from .choices import (
    EXPERIENCE_TAGS,
    Format,
    Gender,
    Goal,
    Language,
    MentorGender,
    Pathway,
    Relationship,
    Role,
    VettingStatus,
)
from .language_names import LANGUAGE_LABELS, language_choice, language_code_for, language_name
from .validators import validate_phone, validate_tag, validate_timezone

# The API's (DRF's) wording for the common field errors.
REQUIRED = _("This field is required.")
INVALID_CHOICE = _("“%(value)s” is not a valid choice.")


def max_length_message(n: int) -> Any:
    return format_lazy(_("Ensure this field has no more than {n} characters."), n=n)


def _messages(max_length: int | None = None, **extra: Any) -> dict[str, Any]:
    messages = {"required": REQUIRED, "invalid_choice": INVALID_CHOICE, **extra}
    if max_length is not None:
        messages["max_length"] = max_length_message(max_length)
    return messages


GOAL_HELP = {
    Goal.ABSTINENCE.value: _("Stopping completely. Many people start here."),
    Goal.MODERATION.value: _("Cutting down and using more safely. Harm reduction is a real path."),
    Goal.UNDECIDED.value: _("Not sure yet. That is a fine place to begin."),
}

LANGUAGE_CHOICES = [(code, language_choice(code)) for code in LANGUAGE_LABELS]
LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

DAYS = [_("Sunday"), _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday")]
DAY_SHORT = [_("Sun"), _("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat")]
# Weekly availability as day × part-of-day blocks (stored as the API's {day, start, end} slots).
# The label is a pattern for one day: "Saturday mornings" (Spanish: "sábado por la mañana").
BLOCKS = [
    ("morning", _("{day} mornings"), "09:00", "12:00"),
    ("afternoon", _("{day} afternoons"), "12:00", "17:00"),
    ("evening", _("{day} evenings"), "18:00", "21:00"),
]
BLOCK_TIMES = {key: (start, end) for key, _label, start, end in BLOCKS}
AVAILABILITY_CHOICES = [(f"{day}:{key}", format_lazy(label, day=DAYS[day])) for day in range(7) for key, label, _s, _e in BLOCKS]

COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
]


def timezone_choices() -> list[tuple[str, Any]]:
    others = sorted(z for z in zoneinfo.available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/")))
    return [
        (_("United States"), [(z, z.replace("_", " ")) for z in COMMON_ZONES]),
        (_("Everywhere"), [(z, z.replace("_", " ")) for z in others if z not in COMMON_ZONES]),
    ]


class TimezoneField(forms.CharField):
    """Any IANA zone (validated like the API), offered as a grouped list."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Time zone"))
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("error_messages", _messages(64))
        kwargs.setdefault("widget", forms.Select(choices=timezone_choices()))
        super().__init__(**kwargs)
        self.validators.append(validate_timezone)


def slots_from_blocks(values: list[str]) -> list[dict[str, Any]]:
    slots = []
    for value in values:
        day, key = value.split(":")
        start, end = BLOCK_TIMES[key]
        slots.append({"day": int(day), "start": start, "end": end})
    return sorted(slots, key=lambda s: (s["day"], s["start"]))


def blocks_from_slots(slots: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """(block values that match a slot exactly, the slots that match no block)."""
    by_times = {times: key for key, times in BLOCK_TIMES.items()}
    blocks, others = [], []
    for slot in slots or []:
        key = by_times.get((slot.get("start"), slot.get("end")))
        if key is None:
            others.append(slot)
        else:
            blocks.append(f"{slot['day']}:{key}")
    return blocks, others


def describe_slot(slot: dict[str, Any]) -> str:
    day = slot.get("day")
    name = str(DAYS[day]) if isinstance(day, int) and 0 <= day < 7 else "?"
    return f"{name} {slot.get('start')}–{slot.get('end')}"


def multi(choices: Any, label: str, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=choices, label=label, required=False, widget=forms.CheckboxSelectMultiple, error_messages=_messages(), **kwargs
    )


# --- accounts -----------------------------------------------------------------------------


class SignInForm(forms.Form):
    """Email + password. Lock-out after repeated failures is django-axes' job (it watches
    `authenticate`), so this form only says whether the pair is right."""

    email = forms.CharField(
        label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    password = forms.CharField(
        label=_("Password"), max_length=128, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    otp = forms.CharField(
        label=_("Code from your authenticator app"),
        required=False,
        max_length=32,
        help_text=_("Only if you turned on two-factor sign-in. A recovery code works too."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {"invalid_login": _("The email or password is not right.")}

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache: Any = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        email, password = data.get("email"), data.get("password")
        if email and password:
            email = email.strip().lower()
            self.user_cache = authenticate(self.request, email=email, password=password)
            if self.user_cache is None or self.user_cache.organization_id is None:
                self.user_cache = None
                raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
            if two_factor.two_factor_enabled(self.user_cache):
                code = data.get("otp") or ""
                if not code or two_factor.two_factor_verify(user=self.user_cache, code=code) is None:
                    if code:  # a wrong code counts toward the lock-out like a wrong password
                        user_login_failed.send(sender=__name__, credentials={"email": email}, request=self.request)
                    self.user_cache = None
                    raise forms.ValidationError(
                        {"otp": _("Enter the 6-digit code your authenticator app shows now (or a recovery code).")}
                    )
        return data

    def get_user(self) -> Any:
        return self.user_cache


class SignUpForm(forms.Form):
    organization = forms.SlugField(
        label=_("Program code"),
        max_length=50,
        help_text=_("Your program gives you this code (for example riverbend)."),
        error_messages=_messages(50),
    )
    display_name = forms.CharField(
        label=_("Your name"), max_length=80, help_text=_("A first name or nickname is enough."), error_messages=_messages(80)
    )
    email = forms.EmailField(
        label=_("Email"), max_length=254, error_messages=_messages(254, invalid=_("Enter a valid email address."))
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. A short sentence works well."),
        error_messages=_messages(128),
    )
    timezone = TimezoneField(initial="America/New_York")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # static/js/kinship.js starts from the browser's zone on a fresh form
            self.fields["timezone"].widget.attrs["data-guess-zone"] = "1"


# --- onboarding steps (each saves through members.services.client_profile_update) ---------


class GoalForm(forms.Form):
    goal = forms.ChoiceField(
        choices=Goal.choices, label=_("What is your goal right now?"), widget=forms.RadioSelect, error_messages=_messages()
    )


class LanguagesMixin:
    """The languages checkboxes plus a free "other languages" field: names, separated by commas,
    in English, Spanish or the language itself (stored as ISO 639-1 codes)."""

    cleaned_data: dict[str, Any]

    def clean_other_languages(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data.get("other_languages", "").split(",") if n.strip()]
        codes, unknown = [], []
        for name in names:
            code = language_code_for(name)
            if code is None:
                unknown.append(name)
            else:
                codes.append(code)
        if unknown:
            raise forms.ValidationError(
                _("We don't know the language “%(names)s”. Write its name, for example Polish, Tagalog or Somali.")
                % {"names": "”, “".join(unknown)},
                code="language",
            )
        return codes

    def merged_languages(self, data: dict[str, Any]) -> list[str]:
        langs = list(dict.fromkeys([*data.get("languages", []), *data.get("other_languages", [])]))
        if len(langs) > 10:
            self.add_error("languages", _("Ensure this field has no more than 10 elements."))  # type: ignore[attr-defined]
        return langs


class PathwaysLanguagesForm(LanguagesMixin, forms.Form):
    pathways = multi(
        Pathway.choices, _("Which paths interest you?"), help_text=_("Choose any that fit. You can change them later.")
    )
    languages = multi(LANGUAGE_CHOICES, _("Which languages are you comfortable talking in?"))
    other_languages = forms.CharField(
        label=_("Other languages"),
        required=False,
        max_length=60,
        help_text=_("Their names, separated by commas, for example Polish, Tagalog."),
        error_messages=_messages(60),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        langs = self.merged_languages(data)
        if not langs and "languages" not in self.errors and "other_languages" not in self.errors:
            self.add_error("languages", _("Choose at least one language."))
        data["all_languages"] = langs
        return data

    @staticmethod
    def initial_for(languages: list[str]) -> dict[str, Any]:
        known = [c for c in languages if c in LANGUAGE_NAMES]
        other = [c for c in languages if c not in LANGUAGE_NAMES]
        return {"languages": known, "other_languages": ", ".join(language_name(c) for c in other)}


class FormatsAvailabilityForm(forms.Form):
    formats = multi(Format.choices, _("How would you like to connect?"))
    availability = multi(AVAILABILITY_CHOICES, _("When are you usually free?"), help_text=_("In your own time zone."))

    def clean_formats(self) -> list[str]:
        formats = self.cleaned_data.get("formats", [])
        if not formats:
            raise forms.ValidationError(_("Choose at least one way to connect."))
        return formats


class WorkingTowardForm(forms.Form):
    working_toward = forms.CharField(
        label=_("What are you working toward?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In your own words. Your mentor and clinician can read this; nobody else."),
        error_messages=_messages(1000),
    )
    experience_tags = multi(
        EXPERIENCE_TAGS, _("Experiences you'd like a mentor to share (optional)"), help_text=_("Only used to suggest mentors.")
    )
    mentor_gender = forms.ChoiceField(
        choices=MentorGender.choices,
        label=_("Would you prefer a mentor of a particular gender?"),
        initial=MentorGender.ANY,
        widget=forms.RadioSelect,
        error_messages=_messages(),
    )
    mentor_gender_required = forms.BooleanField(label=_("This matters a lot to me (only suggest such mentors)"), required=False)


class TreatmentConsentForm(forms.Form):
    treatment_consent = forms.BooleanField(
        label=_("I agree that the clinicians on my care team may see my records to support my treatment"),
        required=False,
    )


ONBOARDING_STEPS: list[dict[str, Any]] = [
    {"title": _("Your goal"), "form": GoalForm, "fields": ["goal"]},
    {"title": _("Paths & languages"), "form": PathwaysLanguagesForm, "fields": ["pathways", "languages"]},
    {"title": _("How & when"), "form": FormatsAvailabilityForm, "fields": ["formats", "availability"]},
    {
        "title": _("What you're working toward"),
        "form": WorkingTowardForm,
        "fields": ["working_toward", "experience_tags", "mentor_gender", "mentor_gender_required"],
    },
    {"title": _("Your consent"), "form": TreatmentConsentForm, "fields": ["treatment_consent"]},
]


def step_initial(step: int, profile: Any) -> dict[str, Any]:
    if step == 2:
        return {"pathways": profile.pathways, **PathwaysLanguagesForm.initial_for(profile.languages)}
    if step == 3:
        blocks, _others = blocks_from_slots(profile.availability)
        return {"formats": profile.formats, "availability": blocks}
    if step == 5:
        return {"treatment_consent": profile.treatment_consent}
    return {name: getattr(profile, name) for name in ONBOARDING_STEPS[step - 1]["fields"]}


def step_data(step: int, form: forms.Form, profile: Any) -> dict[str, Any]:
    """The profile fields a valid step form sets, in the API's shape."""
    data = form.cleaned_data
    if step == 2:
        return {"pathways": data["pathways"], "languages": data["all_languages"]}
    if step == 3:
        _blocks, others = blocks_from_slots(profile.availability)
        # Times set elsewhere (the API, a staff member) that match no block are kept.
        return {"formats": data["formats"], "availability": [*others, *slots_from_blocks(data["availability"])]}
    return {name: data[name] for name in ONBOARDING_STEPS[step - 1]["fields"]}


# --- mentor profile ---------------------------------------------------------------------


class MentorProfileForm(LanguagesMixin, forms.Form):
    bio = forms.CharField(
        label=_("About you"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Members read this when choosing a mentor. What helped you? What can you offer?"),
        error_messages=_messages(2000),
    )
    years_in_recovery = forms.IntegerField(
        label=_("Years in recovery"),
        min_value=0,
        max_value=80,
        error_messages=_messages(
            min_value=_("Ensure this value is greater than or equal to %(limit_value)s."),
            max_value=_("Ensure this value is less than or equal to %(limit_value)s."),
            invalid=_("A valid integer is required."),
        ),
    )
    pathways = multi(Pathway.choices, _("Paths you have lived experience with"))
    supports_harm_reduction = forms.BooleanField(
        label=_("I support members whose goal is moderation or who are still deciding"), required=False
    )
    family_peer = forms.BooleanField(
        label=_("I have lived experience as the family member of someone in recovery (I can mentor family members)"),
        required=False,
    )
    languages = multi(LANGUAGE_CHOICES, _("Languages you mentor in"))
    other_languages = forms.CharField(
        label=_("Other languages"),
        required=False,
        max_length=60,
        help_text=_("Their names, separated by commas, for example Polish, Tagalog."),
        error_messages=_messages(60),
    )
    gender = forms.ChoiceField(choices=Gender.choices, label=_("Gender"), error_messages=_messages())
    formats = multi(Format.choices, _("Ways you can connect"))
    availability = multi(AVAILABILITY_CHOICES, _("When you are usually free"), help_text=_("In your own time zone."))
    capacity = forms.IntegerField(
        label=_("How many mentees can you support at once?"),
        min_value=0,
        max_value=30,
        help_text=_("0 pauses new proposals."),
        error_messages=_messages(
            min_value=_("Ensure this value is greater than or equal to %(limit_value)s."),
            max_value=_("Ensure this value is less than or equal to %(limit_value)s."),
            invalid=_("A valid integer is required."),
        ),
    )
    experience_tags = multi(EXPERIENCE_TAGS, _("Experiences you share with members"))
    certification = forms.CharField(
        label=_("Certification (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example CPRS, CRPA, or none yet."),
        error_messages=_messages(200),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        langs = self.merged_languages(data)
        data["all_languages"] = langs
        return data

    @classmethod
    def initial_for(cls, profile: Any) -> dict[str, Any]:
        initial = {name: getattr(profile, name) for name in cls.base_fields if hasattr(profile, name)}
        initial.update(PathwaysLanguagesForm.initial_for(profile.languages))
        initial["availability"], _others = blocks_from_slots(profile.availability)
        return initial

    def profile_data(self, profile: Any) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        _blocks, others = blocks_from_slots(profile.availability)
        data["availability"] = [*others, *slots_from_blocks(data["availability"])]
        data["languages"] = data.pop("all_languages")
        data.pop("other_languages", None)
        return data


class AccountForm(forms.Form):
    display_name = forms.CharField(label=_("Name shown to others"), max_length=80, error_messages=_messages(80))
    pronouns = forms.CharField(label=_("Pronouns (optional)"), required=False, max_length=40, error_messages=_messages(40))
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        required=False,
        max_length=16,
        validators=[validate_phone],
        help_text=_("International form, for example +15551234567. Used only for the text messages you choose."),
        error_messages=_messages(16),
    )
    timezone = TimezoneField()
    # Left out of a post: kept as it is.
    language = forms.ChoiceField(
        label=_("Language"), choices=Language.choices, required=False, help_text=_("For pages, emails, texts and notifications.")
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("language"):
            cleaned.pop("language", None)
        return cleaned


# --- consent ------------------------------------------------------------------------------


class ConsentGrantForm(forms.Form):
    grantee = forms.TypedChoiceField(coerce=int, label=_("Who may see it?"), error_messages=_messages())
    scopes = forms.MultipleChoiceField(
        choices=consent_scope_choices,  # a callable: features register their scopes in ready()
        label=_("What may they see?"),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_messages(),
    )
    expires_at = forms.DateField(
        label=_("Until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("At most three years from today. Leave empty to share until you revoke it."),
        error_messages={"invalid": _("Enter a date like 2026-12-31.")},
    )
    expiry_event = forms.CharField(
        label=_("Or until something happens (optional)"),
        required=False,
        max_length=200,
        help_text=_("For example: when I finish the program."),
    )
    purpose = forms.CharField(
        label=_("Why (optional)"),
        required=False,
        max_length=300,
        help_text=_("If you leave it empty, we record: at your request."),
    )
    signature = forms.CharField(
        label=_("Type your name to sign"),
        max_length=120,
        help_text=_("Your typed name is your signature on this consent, with today's date."),
        error_messages=_messages(120),
    )

    def __init__(self, *args: Any, team: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grantee"].choices = [("", _("Choose someone…"))] + [
            (m.member_id, f"{m.member.display_name} ({m.get_role_display().lower()})") for m in (team or [])
        ]

    def clean_scopes(self) -> list[str]:
        scopes = self.cleaned_data.get("scopes") or []
        if not scopes:
            raise forms.ValidationError(REQUIRED)
        return scopes


# --- staff --------------------------------------------------------------------------------


class UserAddForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=80, error_messages=_messages(80))
    email = forms.EmailField(
        label=_("Email"), max_length=254, error_messages=_messages(254, invalid=_("Enter a valid email address."))
    )
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"), error_messages=_messages())


class MentorVetForm(forms.Form):
    status = forms.ChoiceField(choices=VettingStatus.choices, error_messages=_messages())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=_messages(500),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("status") == VettingStatus.SUSPENDED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the mentor is suspended; they will see it."))
        return data


class RoleFilterForm(forms.Form):
    role = forms.ChoiceField(choices=[("", _("Everyone")), *Role.choices], required=False, label=_("Role"))


def tag_label(tag: str) -> str:
    labels = dict(EXPERIENCE_TAGS)
    if tag in labels:
        return str(labels[tag])
    try:
        validate_tag(tag)
    except forms.ValidationError:
        return tag
    return tag.replace("_", " ").capitalize()


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=128,
        help_text=_("At least 10 characters. Every other device you are signed in on will be signed out."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class FamilyInviteForm(forms.Form):
    """The member invites family from "Who can see my data" (members.services.family_invite)."""

    display_name = forms.CharField(label=_("Their name"), max_length=80, error_messages=_messages(80))
    email = forms.EmailField(label=_("Their email"), max_length=254, error_messages=_messages(254))
    relationship = forms.ChoiceField(
        choices=[("", _("Choose…")), *Relationship.choices], label=_("They are my"), error_messages=_messages()
    )
    scopes = forms.MultipleChoiceField(
        choices=consent_scope_choices,
        label=_("What may they see? (you can change this any time)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
