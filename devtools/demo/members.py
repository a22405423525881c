"""Demo data for `manage.py seed_demo`: a believable program called "Riverside Recovery
Collective" (slug `demo`). Deterministic (seeded random) so screenshots and docs stay true.

Every demo account signs in with DEMO_PASSWORD; README.md lists the personas."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from members.choices import CareRole, Format, Gender, Goal, MentorGender, Pathway, Role, VettingStatus
from members.models import CareTeamMember, ClientProfile, ConsentGrant, MentorProfile, Organization, User
from members.services import audit_record

DEMO_SLUG = "demo"
DEMO_PASSWORD = "Kinship-demo-2026"
DOMAIN = "demo.kinship.test"

# (first name, pronouns, gender)
CLIENT_NAMES = [
    ("Maya", "she/her", Gender.WOMAN), ("Luis", "he/him", Gender.MAN), ("Aisha", "she/her", Gender.WOMAN),
    ("Tom", "he/him", Gender.MAN), ("Rosa", "she/her", Gender.WOMAN), ("Devon", "they/them", Gender.NONBINARY),
    ("Keisha", "she/her", Gender.WOMAN), ("Marco", "he/him", Gender.MAN), ("Hannah", "she/her", Gender.WOMAN),
    ("Jamal", "he/him", Gender.MAN), ("Lucía", "she/her", Gender.WOMAN), ("Ethan", "he/him", Gender.MAN),
    ("Noor", "she/her", Gender.WOMAN), ("Carlos", "he/him", Gender.MAN), ("Tanya", "she/her", Gender.WOMAN),
    ("Riley", "they/them", Gender.NONBINARY), ("Grace", "she/her", Gender.WOMAN), ("Andre", "he/him", Gender.MAN),
    ("Sofía", "she/her", Gender.WOMAN), ("Brian", "he/him", Gender.MAN), ("Mei", "she/her", Gender.WOMAN),
    ("Victor", "he/him", Gender.MAN), ("Dana", "she/her", Gender.WOMAN), ("Miguel", "he/him", Gender.MAN),
    ("Olivia", "she/her", Gender.WOMAN), ("Sean", "he/him", Gender.MAN), ("Fatima", "she/her", Gender.WOMAN),
    ("Jesse", "he/him", Gender.MAN), ("Camila", "she/her", Gender.WOMAN), ("Darnell", "he/him", Gender.MAN),
    ("Emma", "she/her", Gender.WOMAN), ("Pedro", "he/him", Gender.MAN), ("Leah", "she/her", Gender.WOMAN),
    ("Tyrone", "he/him", Gender.MAN), ("Ana", "she/her", Gender.WOMAN), ("Kyle", "he/him", Gender.MAN),
    ("Yesenia", "she/her", Gender.WOMAN), ("Morgan", "they/them", Gender.NONBINARY), ("Nadia", "she/her", Gender.WOMAN),
    ("Greg", "he/him", Gender.MAN),
]  # fmt: skip

MENTORS = [
    # name, pronouns, gender, pathways, languages, years, harm reduction, status, tags, bio
    ("Jordan", "he/him", Gender.MAN, ["smart", "harm_reduction"], ["en", "es"], 6, True, VettingStatus.APPROVED,
     ["parent", "justice_involved"], "Six years in recovery through SMART. I started by cutting down, and that counted too."),
    ("Renee", "she/her", Gender.WOMAN, ["twelve_step"], ["en"], 12, False, VettingStatus.APPROVED,
     ["parent", "grief"], "Twelve years sober in AA. Single mom of two. I'll meet you where you are."),
    ("Alejandro", "he/him", Gender.MAN, ["twelve_step", "faith_based"], ["es", "en"], 9, False, VettingStatus.APPROVED,
     ["veteran"], "Veterano del Ejército, nueve años en recuperación. Hablo español e inglés."),
    ("Chris", "they/them", Gender.NONBINARY, ["harm_reduction", "moud"], ["en"], 4, True, VettingStatus.APPROVED,
     ["lgbtq", "young_adult"], "On buprenorphine for four years. Harm reduction saved my life."),
    ("Patricia", "she/her", Gender.WOMAN, ["moud", "secular"], ["en", "es"], 7, True, VettingStatus.APPROVED,
     ["healthcare_worker", "chronic_pain"], "Nurse in recovery from opioids after an injury. Medication is a real path."),
    ("Darius", "he/him", Gender.MAN, ["twelve_step"], ["en"], 15, False, VettingStatus.APPROVED,
     ["justice_involved", "parent"], "Fifteen years clean. Came home from prison and rebuilt with my family."),
    ("Elena", "she/her", Gender.WOMAN, ["smart", "secular"], ["es"], 5, True, VettingStatus.APPROVED,
     ["parent", "trauma"], "Cinco años en SMART Recovery. Madre, sobreviviente, y aquí para acompañarte."),
    ("Sam R.", "he/him", Gender.MAN, ["smart"], ["en"], 3, True, VettingStatus.APPROVED,
     ["first_responder"], "Former paramedic. SMART tools and a lot of running."),
    ("Monique", "she/her", Gender.WOMAN, ["faith_based", "twelve_step"], ["en"], 10, False, VettingStatus.APPROVED,
     ["grief", "parent"], "Ten years in recovery. Faith and fellowship carried me."),
    ("Tyler", "he/him", Gender.MAN, ["harm_reduction"], ["en"], 2, True, VettingStatus.PENDING,
     ["young_adult", "lgbtq"], "Two years in. Moderation first, then more. Happy to talk any time."),
    ("Inés", "she/her", Gender.WOMAN, ["moud", "harm_reduction"], ["es", "en"], 3, True, VettingStatus.PENDING,
     ["parent"], "Tres años con metadona. Ningún camino es menos válido."),
    ("Walt", "he/him", Gender.MAN, ["twelve_step"], ["en"], 22, False, VettingStatus.PENDING,
     ["veteran", "grief"], "Vietnam-era vet, 22 years sober. Still go to meetings every week."),
]  # fmt: skip

CLINICIANS = [
    ("reyes", "Dr. Ana Reyes", "she/her"),
    ("okafor", "Chidi Okafor, LCSW", "he/him"),
    ("lindqvist", "Dr. Sara Lindqvist", "she/her"),
]

WORKING_TOWARD = [
    "Getting my kids back on weekends.",
    "Keeping my job and showing up on time.",
    "Drinking less on weekends and not driving after.",
    "Finishing my GED this spring.",
    "Sleeping through the night without using.",
    "Reconnecting with my sister.",
    "Staying on my medication and going to every appointment.",
    "Figuring out what I actually want.",
    "Running a 5K in the fall.",
    "Being honest with my partner.",
]


@dataclass
class DemoResult:
    created: bool
    counts: dict[str, int] = field(default_factory=dict)


def _slots(rng: random.Random) -> list[dict[str, object]]:
    blocks = [("09:00", "12:00"), ("12:00", "17:00"), ("18:00", "21:00")]
    days = rng.sample(range(7), rng.randint(2, 4))
    return [{"day": d, "start": s, "end": e} for d in sorted(days) for s, e in [rng.choice(blocks)]]


def _email(name: str) -> str:
    ascii_name = name.lower().replace(" ", "").replace(".", "").replace("í", "i").replace("é", "e").replace("ó", "o")
    return f"{ascii_name}@{DOMAIN}"


@transaction.atomic
def seed() -> DemoResult:
    if Organization.objects.filter(slug=DEMO_SLUG).exists():
        return DemoResult(created=False)
    rng = random.Random(2026)
    now = timezone.now()
    org = Organization.objects.create(
        slug=DEMO_SLUG,
        name="Riverside Recovery Collective",
        timezone="America/Chicago",
        allow_self_signup=True,
        city="Springfield",
        state="IL",
        country="USA",
        crisis_resources="Riverside after-hours line: (555) 010-4400, staffed 24/7 by our nurses.",
    )
    hashed = make_password(DEMO_PASSWORD)  # hash once: demo accounts share a password

    def person(email: str, name: str, role: str, pronouns: str = "", joined_days_ago: int = 120) -> User:
        return User.objects.create(
            email=email,
            display_name=name,
            pronouns=pronouns,
            role=role,
            organization=org,
            timezone="America/Chicago",
            password=hashed,
            date_joined=now - timedelta(days=joined_days_ago),
        )

    staff = person(f"sam@{DOMAIN}", "Sam Whitaker", Role.STAFF, "he/him", 400)
    audit_record(actor=staff, action="organization.create", target=org, changes={"slug": DEMO_SLUG, "seeded": True})
    clinicians = [person(f"{key}@{DOMAIN}", name, Role.CLINICIAN, pronouns, 380) for key, name, pronouns in CLINICIANS]

    mentors: list[User] = []
    for name, pronouns, gender, pathways, languages, years, hr, status, tags, bio in MENTORS:
        user = person(_email(name), name, Role.MENTOR, pronouns, rng.randint(60, 360))
        MentorProfile.objects.create(
            user=user,
            organization=org,
            pathways=pathways,
            languages=languages,
            gender=gender,
            formats=rng.sample([f.value for f in Format], rng.randint(2, 4)),
            availability=_slots(rng),
            experience_tags=tags,
            years_in_recovery=years,
            supports_harm_reduction=hr,
            capacity=rng.choice([2, 3, 3, 4, 5]),
            certification=rng.choice(["Certified Peer Recovery Specialist", "CCAR Recovery Coach", ""]),
            bio=bio,
            status=status,
            status_changed_at=now - timedelta(days=30) if status != VettingStatus.PENDING else None,
            status_changed_by=staff if status != VettingStatus.PENDING else None,
        )
        mentors.append(user)

    goals = [Goal.ABSTINENCE] * 24 + [Goal.MODERATION] * 9 + [Goal.UNDECIDED] * 7
    rng.shuffle(goals)
    goals[0] = Goal.MODERATION  # Maya, the demo client, is on a harm-reduction path
    clients: list[User] = []
    for i, (name, pronouns, gender) in enumerate(CLIENT_NAMES):
        spanish = name in {"Luis", "Rosa", "Lucía", "Carlos", "Sofía", "Miguel", "Pedro", "Camila", "Ana", "Yesenia"}
        languages = (["es"] if i % 3 == 0 else ["es", "en"]) if spanish else ["en"]
        goal = goals[i]
        pathways = rng.sample([p.value for p in Pathway if p != Pathway.OTHER], rng.randint(1, 2))
        if goal == Goal.MODERATION and Pathway.HARM_REDUCTION.value not in pathways:
            pathways.append(Pathway.HARM_REDUCTION.value)
        user = person(_email(name), name, Role.CLIENT, pronouns, rng.randint(5, 200))
        if languages[0] == "es":  # Kinship speaks to her in Spanish: pages, emails, texts
            user.language = "es"
            user.save(update_fields=["language"])
        consented = i % 8 != 7
        ClientProfile.objects.create(
            user=user,
            organization=org,
            goal=goal,
            pathways=pathways,
            languages=languages,
            gender=gender,
            mentor_gender=rng.choice([MentorGender.ANY] * 4 + [MentorGender.WOMAN, MentorGender.MAN]),
            mentor_gender_required=rng.random() < 0.15,
            formats=rng.sample([f.value for f in Format], rng.randint(1, 3)),
            availability=_slots(rng),
            experience_tags=rng.sample(
                ["parent", "veteran", "lgbtq", "justice_involved", "young_adult", "grief", "trauma"], rng.randint(0, 2)
            ),
            working_toward=rng.choice(WORKING_TOWARD),
            recovery_start=(now - timedelta(days=rng.randint(10, 400))).date() if rng.random() < 0.7 else None,
            treatment_consent_version="2026-11" if consented else "",
            treatment_consent_at=user.date_joined if consented else None,
            onboarded_at=user.date_joined + timedelta(hours=1) if i % 10 != 9 else None,
        )
        clients.append(user)
        CareTeamMember.objects.create(
            organization=org,
            client=user,
            member=clinicians[i % 3],
            role=CareRole.CLINICIAN,
            started_at=user.date_joined,
            added_by=staff,
        )

    maya = clients[0]
    family = [
        person(f"lee@{DOMAIN}", "Lee", Role.FAMILY, "she/her", 90),
        person(f"marcus@{DOMAIN}", "Marcus", Role.FAMILY, "he/him", 60),
    ]
    CareTeamMember.objects.create(organization=org, client=maya, member=family[0], role=CareRole.FAMILY, added_by=clinicians[0])
    CareTeamMember.objects.create(
        organization=org, client=clients[3], member=family[1], role=CareRole.FAMILY, added_by=clinicians[0]
    )
    ConsentGrant.objects.create(organization=org, client=maya, grantee=family[0], scopes=["checkin_summary"])
    # Maya's mentor (matching, a later issue, will make these through accepted matches).
    CareTeamMember.objects.create(organization=org, client=maya, member=mentors[0], role=CareRole.MENTOR, added_by=staff)
    ConsentGrant.objects.create(
        organization=org,
        client=maya,
        grantee=mentors[0],
        scopes=["checkin_summary", "attendance", "contact_log"],  # scopes the features register
    )
    return DemoResult(
        created=True,
        counts={
            "clients": len(clients),
            "mentors": len(mentors),
            "clinicians": len(clinicians),
            "staff": 1,
            "family": len(family),
        },
    )
