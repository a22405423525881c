"""The resources part of `seed_demo`: Riverside's directory (about 20 resources, some in
Spanish), a 12-week starter curriculum written for the program, and referrals in every
follow-up state. Runs after matching (mentors must be on care teams). Idempotent."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from devtools.demo.members import DEMO_SLUG
from members.choices import CareRole, Role
from members.models import CareTeamMember, Organization, User
from resources import services
from resources.models import FollowUp, Referral, Resource

R = dict
RESOURCES = [
    R(name="Riverside Housing Navigation", category="housing", phone="312-555-0140", url="https://housing.riverside.example", address="212 W Lake St, Chicago, IL 60606", languages=["en", "es"], hours="Mon–Fri 9–5", description="Help finding recovery housing, rental assistance and shelter beds tonight."),
    R(name="Oxford House Westside", category="housing", phone="312-555-0141", languages=["en"], hours="Call any day", description="Peer-run, self-supporting sober living homes. Ask about openings."),
    R(name="Casa de Esperanza – vivienda", category="housing", phone="312-555-0142", languages=["es"], hours="lun–vie 10–6", description="Vivienda de transición y apoyo para familias hispanohablantes en recuperación."),
    R(name="Second Chance Careers", category="employment", phone="312-555-0150", url="https://careers.example.org", address="55 E Monroe St, Chicago, IL 60603", languages=["en", "es"], hours="Tue–Thu 10–4", description="Job coaching for people with records; resume help and fair-chance employers."),
    R(name="Workforce Center – Pilsen", category="employment", phone="312-555-0151", languages=["es", "en"], hours="lun–vie 9–5", description="Capacitación laboral, GED y búsqueda de empleo en español."),
    R(name="Legal Aid Recovery Clinic", category="legal", phone="312-555-0160", url="https://legalaid.example.org", languages=["en"], hours="Wed 1–5 (walk-in)", description="Free help with record sealing, child support, driver's license reinstatement."),
    R(name="Clínica Legal Comunitaria", category="legal", phone="312-555-0161", languages=["es"], hours="jueves 2–6", description="Asesoría legal gratuita: inmigración, vivienda y antecedentes."),
    R(name="Greater Chicago Food Pantry – Riverside", category="food", phone="312-555-0170", address="1400 S Halsted St, Chicago, IL 60607", languages=["en", "es"], hours="Sat 9–12", description="Groceries once a week, no questions asked."),
    R(name="Community Kitchen Lunch", category="food", languages=["en"], hours="Daily 11:30–1", address="88 N Ashland Ave, Chicago, IL 60607", description="A free hot lunch and a warm room."),
    R(name="Riverside MOUD Clinic", category="health", phone="312-555-0180", url="https://moud.riverside.example", languages=["en", "es"], hours="Mon–Sat 7–3", description="Buprenorphine and methadone starts the same day; walk-ins welcome."),
    R(name="Mental Health Walk-in Center", category="health", phone="312-555-0181", languages=["en"], hours="24/7", description="Same-day counseling and psychiatric care, sliding scale."),
    R(name="Centro de Salud Familiar", category="health", phone="312-555-0182", languages=["es", "en"], hours="lun–sáb 8–6", description="Atención médica, dental y salud mental para toda la familia."),
    R(name="Illinois Helpline for Opioids and Other Substances", category="health", phone="833-234-6343", url="https://helplineil.org", languages=["en", "es"], hours="24/7", description="Free, confidential support and treatment referrals, by phone or text."),
    R(name="Westside AA Intergroup", category="meetings", phone="312-555-0190", url="https://aa.example.org", languages=["en"], hours="Meetings daily", description="Open and closed meetings across the west side; meeting list online."),
    R(name="SMART Recovery Chicago", category="meetings", url="https://smartrecovery.example.org", languages=["en"], hours="Tue & Thu evenings", description="Science-based mutual help, in person and online."),
    R(name="Grupo de Apoyo Renacer", category="meetings", phone="312-555-0192", languages=["es"], hours="miércoles 7 pm", description="Reunión de apoyo entre pares en español, abierta a todos."),
    R(name="Naloxone at the Riverside front desk", category="naloxone", phone="312-555-0100", languages=["en", "es"], hours="Mon–Fri 8–8", description="Free Narcan kits and a 5-minute training. No ID needed."),
    R(name="Pharmacy naloxone without a prescription", category="naloxone", languages=["en", "es"], description="Any pharmacy in Illinois: ask for naloxone at the counter."),
    R(name="Family Recovery Circle (Al-Anon style)", category="family", phone="312-555-0195", languages=["en"], hours="Mon 6:30 pm", description="For parents, partners and kids of people in recovery."),
    R(name="Familias en Recuperación", category="family", phone="312-555-0196", languages=["es"], hours="sábados 10 am", description="Apoyo para familias: CRAFT, comunicación y autocuidado."),
    R(name="Riverside Peer Drop-in", category="other", phone="312-555-0100", address="420 W Roosevelt Rd, Chicago, IL 60607", languages=["en", "es"], hours="Daily 10–8", description="Coffee, phones, laundry and a peer to talk to.", public=False),
]  # fmt: skip

WEEKS = [
    (
        "Welcome: you belong here",
        "What Riverside offers and how this year works.",
        "## You are not alone\n\nRecovery starts with **connection**. This year, one short module a week walks with you.\n\n- Meet your peer mentor\n- Find one group that fits\n- Check in each day: it takes 30 seconds",
        ["Check in three days this week", "Say hello to your mentor"],
    ),
    (
        "Your why",
        "Naming what you are working toward.",
        '## What matters to you\n\nWrite a few lines about the life you want. Money, family, health, peace: all reasons count.\n\n> "The opposite of addiction is connection."',
        ["Write your why on your plan", "Share it with one person"],
    ),
    (
        "Triggers and warning signs",
        "Knowing your early signs.",
        "## Early warning signs\n\nPeople, places, feelings and times of day. Notice them **before** they get loud.",
        ["List three warning signs in your backup plan", "Notice one trigger this week"],
    ),
    (
        "Coping with cravings",
        "Urges rise and fall like waves.",
        "## Urge surfing\n\nA craving peaks and passes, usually within 20–30 minutes. Breathe, move, call someone, wait it out.",
        ["Try urge surfing once", "Add two coping steps to your backup plan"],
    ),
    (
        "Building your support circle",
        "People who help you stay on track.",
        "## Your people\n\nWho can you call at 10 pm? Add them to your plan. Relationships heal.",
        ["Add two people to your backup plan", "Go to one group"],
    ),
    (
        "Sleep, food and moving your body",
        "Physical recovery capital.",
        "## The basics\n\nRegular sleep, a real breakfast and a 10-minute walk change how cravings feel.",
        ["Set a bedtime", "Take a 10-minute walk three times"],
    ),
    (
        "Feelings without numbing",
        "Naming emotions and sitting with them.",
        "## Name it to tame it\n\nAnger, shame, boredom, grief. Naming a feeling makes it smaller.",
        ["Name your mood in each check-in note", "Tell your mentor about one hard feeling"],
    ),
    (
        "Family and repair",
        "Rebuilding trust, one step at a time.",
        "## Repair takes time\n\nFamilies are in recovery too. Invite them to see what you choose to share.",
        ["Have one honest conversation", "Look at the family group together"],
    ),
    (
        "Money and work",
        "Practical steps toward stability.",
        "## One practical step\n\nA bank account, an ID, a resume. Ask your mentor about the resources directory.",
        ["Pick one practical goal", "Open the resources page"],
    ),
    (
        "Medication and recovery",
        "MOUD is recovery.",
        "## Medication-supported recovery\n\nBuprenorphine, methadone and naltrexone save lives. Taking medication is recovery, not a shortcut.",
        ["Ask your clinician your questions", "Set a reminder if it helps"],
    ),
    (
        "Lapses are information",
        "What to do after a hard day.",
        "## After a lapse\n\nA lapse is not a failure. Check in, tell someone, look at what happened and what you would try next time.",
        ["Review your backup plan", "Share your plan with your mentor"],
    ),
    (
        "Looking ahead",
        "Celebrating three months and setting the next goals.",
        "## Three months\n\nLook at your milestones. What do you want the next three months to hold?",
        ["Set one new goal in each area", "Take the BARC-10 again"],
    ),
]


def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None or Resource.objects.filter(organization=org).exists():
        return {}
    staff = User.objects.filter(organization=org, role=Role.STAFF).order_by("pk").first()
    if staff is None:
        return {}
    with transaction.atomic():
        for data in RESOURCES:
            services.resource_create(actor=staff, data=data)
        for week, (title, summary, body, activities) in enumerate(WEEKS, start=1):
            services.module_create(
                actor=staff, data={"week": week, "title": title, "summary": summary, "body": body, "activities": activities}
            )
        referrals = _referrals(org)
    return {"resources": len(RESOURCES), "modules": len(WEEKS), "referrals": referrals}


# (days ago, outcomes recorded so far): every follow-up state, from brand new to closed.
REFERRAL_STORIES = [
    (3, []),  # just made: three follow-ups ahead
    (34, []),  # the 30-day follow-up is due now (it is in the referrer's inbox)
    (40, ["connected"]),
    (70, ["not_yet", "connected"]),
    (65, ["not_yet"]),  # 60-day follow-up due
    (45, ["declined"]),
    (95, ["unreachable", "unreachable", "not_yet"]),  # all three recorded, still open
    (100, ["not_yet", "not_yet", "connected"]),
]


def _referrals(org: Organization) -> int:
    rng = random.Random(11)
    now = timezone.now()
    resources = list(Resource.objects.filter(organization=org, active=True).order_by("pk"))
    teams = list(
        CareTeamMember.objects.filter(organization=org, ended_at__isnull=True, role__in=[CareRole.MENTOR, CareRole.CLINICIAN])
        .select_related("client", "member")
        .order_by("client_id", "role")
    )
    made = 0
    for (days_ago, outcomes), link in zip(REFERRAL_STORIES * 2, teams[: len(REFERRAL_STORIES) * 2], strict=False):
        if link.member.role not in (Role.MENTOR, Role.CLINICIAN):
            continue
        resource = rng.choice(resources)
        referral = services.referral_create(actor=link.member, client_id=link.client_id, resource_id=resource.pk, note="")
        for outcome in outcomes:
            services.follow_up_record(actor=link.member, referral_id=referral.pk, outcome=outcome, note="")
        # The story happened in the past: move its dates back (demo data only).
        shift = timedelta(days=days_ago)
        Referral.objects.filter(pk=referral.pk).update(created_at=now - shift)
        for f in FollowUp.objects.filter(referral=referral):
            FollowUp.objects.filter(pk=f.pk).update(
                due_on=f.due_on - shift, recorded_at=(f.recorded_at - shift + timedelta(days=30)) if f.recorded_at else None
            )
        made += 1
    services.referral_follow_ups_plan()  # the due ones reach the referrers' inboxes
    return made
