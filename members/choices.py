"""Vocabularies shared by models, serializers and forms (values are the API's)."""

from django.db import models


class Language(models.TextChoices):
    """The languages Kinship speaks: pages, emails, texts and notifications (API.md `/me/`).
    Each name is written in its own language, so everyone can find theirs."""

    EN = "en", "English"
    ES = "es", "Español"


class Role(models.TextChoices):
    CLIENT = "client", "Member"
    MENTOR = "mentor", "Peer mentor"
    CLINICIAN = "clinician", "Clinician"
    STAFF = "staff", "Program staff"
    FAMILY = "family", "Family member"


class Goal(models.TextChoices):
    ABSTINENCE = "abstinence", "Not using at all"
    MODERATION = "moderation", "Using less, more safely"
    UNDECIDED = "undecided", "Still deciding"


class Pathway(models.TextChoices):
    TWELVE_STEP = "twelve_step", "12-step"
    SMART = "smart", "SMART Recovery"
    MOUD = "moud", "Medication-supported (MOUD)"
    HARM_REDUCTION = "harm_reduction", "Harm reduction"
    FAITH_BASED = "faith_based", "Faith-based"
    SECULAR = "secular", "Secular"
    OTHER = "other", "Other"


class Format(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text messages"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NONBINARY = "nonbinary", "Nonbinary"
    OTHER = "other", "Another identity"
    UNDISCLOSED = "undisclosed", "Prefer not to say"


class MentorGender(models.TextChoices):
    ANY = "any", "No preference"
    WOMAN = "woman", "A woman"
    MAN = "man", "A man"
    NONBINARY = "nonbinary", "A nonbinary person"


class VettingStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    SUSPENDED = "suspended", "Suspended"


class CareRole(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    MENTOR = "mentor", "Peer mentor"
    FAMILY = "family", "Family"


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
    ("parent", "Parent"),
    ("veteran", "Veteran"),
    ("lgbtq", "LGBTQ+"),
    ("justice_involved", "Justice-involved"),
    ("healthcare_worker", "Healthcare worker"),
    ("young_adult", "Young adult"),
    ("chronic_pain", "Living with chronic pain"),
    ("grief", "Grief and loss"),
    ("trauma", "Trauma survivor"),
    ("first_responder", "First responder"),
]
