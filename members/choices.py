"""Vocabularies shared by models, serializers and forms (values are the API's)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """The languages Kinship speaks: pages, emails, texts and notifications (API.md `/me/`).
    Each name is written in its own language, so everyone can find theirs."""

    EN = "en", "English"
    ES = "es", "Español"


class Role(models.TextChoices):
    CLIENT = "client", _("Member")
    MENTOR = "mentor", _("Peer mentor")
    CLINICIAN = "clinician", _("Clinician")
    STAFF = "staff", _("Program staff")
    FAMILY = "family", _("Family member")


class Goal(models.TextChoices):
    ABSTINENCE = "abstinence", _("Not using at all")
    MODERATION = "moderation", _("Using less, more safely")
    UNDECIDED = "undecided", _("Still deciding")


class Pathway(models.TextChoices):
    TWELVE_STEP = "twelve_step", _("12-step")
    SMART = "smart", _("SMART Recovery")
    MOUD = "moud", _("Medication-supported (MOUD)")
    HARM_REDUCTION = "harm_reduction", _("Harm reduction")
    FAITH_BASED = "faith_based", _("Faith-based")
    SECULAR = "secular", _("Secular")
    OTHER = "other", _("Other")


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIDEO = "video", _("Video")
    PHONE = "phone", _("Phone")
    TEXT = "text", _("Text messages")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NONBINARY = "nonbinary", _("Nonbinary")
    OTHER = "other", _("Another identity")
    UNDISCLOSED = "undisclosed", _("Prefer not to say")


class MentorGender(models.TextChoices):
    ANY = "any", _("No preference")
    WOMAN = "woman", _("A woman")
    MAN = "man", _("A man")
    NONBINARY = "nonbinary", _("A nonbinary person")


class VettingStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    SUSPENDED = "suspended", _("Suspended")


class CareRole(models.TextChoices):
    CLINICIAN = "clinician", _("Clinician")
    MENTOR = "mentor", _("Peer mentor")
    FAMILY = "family", _("Family")


class Relationship(models.TextChoices):
    """How a family member is related to the member who invited her (API.md `relationship`)."""

    PARENT = "parent", "Parent"
    PARTNER = "partner", "Partner"
    CHILD = "child", "Child"
    SIBLING = "sibling", "Sibling"
    FRIEND = "friend", "Friend"
    OTHER = "other", "Other"


# Suggested shared-experience tags; members may add their own (lowercase slugs).
EXPERIENCE_TAGS = [
    ("parent", _("Parent")),
    ("veteran", _("Veteran")),
    ("lgbtq", _("LGBTQ+")),
    ("justice_involved", _("Justice-involved")),
    ("healthcare_worker", _("Healthcare worker")),
    ("young_adult", _("Young adult")),
    ("chronic_pain", _("Living with chronic pain")),
    ("grief", _("Grief and loss")),
    ("trauma", _("Trauma survivor")),
    ("first_responder", _("First responder")),
]
