"""The groups part of `seed_demo` (settings.DEMO_SEEDERS). Runs after members and notifications.

Six groups of the demo program (an IOP therapy group, SMART, a peer support circle that is full
with a waitlist, a family group, a harm-reduction drop-in and an online-only morning meeting),
each with about four months of past sessions and recorded attendance. Deterministic (seeded
random) and idempotent: a second run changes nothing."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from groups import services
from groups.models import Attendance, AttendanceStatus, Enrollment, EnrollmentStatus, RecoveryGroup, Session
from members.choices import Role
from members.models import Organization, User

DEMO_SLUG = "demo"
DOMAIN = "demo.kinship.test"
HISTORY_WEEKS = 17

GROUPS = [
    # name, kind, visibility, mode, days, time, minutes, capacity, facilitator emails, types, description
    dict(
        name="IOP Evening Group", kind="clinical_therapy", visibility="closed", attendance_mode="in_person",
        rrule="FREQ=WEEKLY;BYDAY=MO,WE,TH", at="18:00", duration_minutes=180, capacity=12,
        facilitators=["reyes", "okafor"], types=[], members=range(1, 11),
        description="Intensive outpatient program: group therapy, relapse-prevention skills and a check-in each night.",
    ),
    dict(
        name="SMART Recovery Tuesday", kind="smart", visibility="public", attendance_mode="hybrid",
        rrule="FREQ=WEEKLY;BYDAY=TU", at="19:00", duration_minutes=90, capacity=20,
        facilitators=["jordan", "elena"], types=["O", "D"], members=range(0, 16, 2),
        description="Science-based tools for urges, thinking patterns and balance. Abstinence or cutting down: all welcome.",
    ),
    dict(
        name="Saturday Peer Support Circle", kind="peer_support", visibility="organization", attendance_mode="in_person",
        rrule="FREQ=WEEKLY;BYDAY=SA", at="10:00", duration_minutes=60, capacity=8,
        facilitators=["renee", "darius"], types=[], members=range(11, 21),
        description="Coffee, honesty and people who get it. Led by peer mentors with years of lived experience.",
    ),
    dict(
        name="Family & Friends Group", kind="family", visibility="organization", attendance_mode="in_person",
        rrule="FREQ=WEEKLY;BYDAY=TH", at="19:00", duration_minutes=75, capacity=15,
        facilitators=["lindqvist"], types=[], members=[], family=True,
        description="For parents, partners and friends: boundaries, self-care and supporting without rescuing.",
    ),
    dict(
        name="Harm Reduction Drop-in", kind="harm_reduction", visibility="public", attendance_mode="in_person",
        rrule="FREQ=WEEKLY;BYDAY=FR", at="17:30", duration_minutes=60, capacity=None,
        facilitators=["chris", "patricia"], types=["O", "D", "X"], members=range(21, 29),
        description="No judgement, no requirements. Naloxone, test strips and safer-use planning; stay for the conversation.",
    ),
    dict(
        name="Online Morning Meditation & Recovery", kind="peer_support", visibility="public", attendance_mode="online",
        rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", at="07:30", duration_minutes=45, capacity=40,
        facilitators=["monique"], types=["O", "MED", "11"], members=range(28, 40, 2),
        description="Start the day grounded: a short meditation, a reading and a few shares. Cameras optional.",
        conference_url="https://meet.example.org/riverside-morning", conference_phone="+15555550142,,8841#",
    ),
]  # fmt: skip
VENUE = "Riverside Recovery Collective"
ADDRESS = "1200 River Rd, Springfield, IL 62701, USA"


def _user(email_key: str) -> User | None:
    return User.objects.filter(email=f"{email_key}@{DOMAIN}").first()


@transaction.atomic
def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None or RecoveryGroup.objects.filter(organization=org).exists():
        return {}
    rng = random.Random(4)
    now = timezone.now()
    zone = ZoneInfo("America/Chicago")
    staff = User.objects.filter(organization=org, role=Role.STAFF).order_by("pk").first()
    if staff is None:
        return {}
    clients = list(User.objects.filter(organization=org, role=Role.CLIENT).order_by("pk"))
    family = list(User.objects.filter(organization=org, role=Role.FAMILY).order_by("pk"))
    first_day = (now.astimezone(zone) - timedelta(weeks=HISTORY_WEEKS)).date()
    counts = {"groups": 0, "enrollments": 0, "sessions": 0, "attendance records": 0}
    for spec in GROUPS:
        facilitators = [u for u in (_user(k) for k in spec["facilitators"]) if u is not None]
        data = {
            "name": spec["name"],
            "kind": spec["kind"],
            "description": spec["description"],
            "visibility": spec["visibility"],
            "attendance_mode": spec["attendance_mode"],
            "capacity": spec["capacity"],
            "timezone": "America/Chicago",
            "rrule": spec["rrule"],
            "start_local": f"{first_day.isoformat()}T{spec['at']}",
            "duration_minutes": spec["duration_minutes"],
            "location": VENUE if spec["attendance_mode"] != "online" else "",
            "address": ADDRESS if spec["attendance_mode"] != "online" else "",
            "conference_url": spec.get(
                "conference_url", "https://meet.example.org/riverside-smart" if spec["attendance_mode"] == "hybrid" else ""
            ),
            "conference_phone": spec.get("conference_phone", ""),
            "facilitators": [u.pk for u in facilitators],
            "meeting_types": spec["types"],
        }
        group = services.group_create(actor=staff, data=data)
        start = datetime.combine(first_day, group.start_time, tzinfo=zone)
        services.sessions_materialize(group=group, since=start, until=now)
        RecoveryGroup.objects.filter(pk=group.pk).update(created_at=start, updated_at=start)
        members = family if spec.get("family") else [clients[i] for i in spec["members"] if i < len(clients)]
        for member in members:
            services.enrollment_join(actor=staff, group=group, member=member)
        Enrollment.objects.filter(group=group, status=EnrollmentStatus.ENROLLED).update(enrolled_at=start, updated_at=start)
        counts["groups"] += 1
        counts["enrollments"] += len(members)

        seated = list(
            Enrollment.objects.filter(group=group, status=EnrollmentStatus.ENROLLED).values_list("member_id", flat=True)
        )
        past = list(Session.objects.filter(group=group, starts_at__lt=now).order_by("starts_at"))
        counts["sessions"] += Session.objects.filter(group=group).count()
        # Each member has their own rhythm; a few drift away near the end (the risk flag has something to show).
        engagement = {m: rng.uniform(0.55, 0.97) for m in seated}
        drifting = set(rng.sample(seated, k=min(2, len(seated)))) if len(seated) > 4 else set()
        rows = []
        for index, session in enumerate(past):
            if index in (5, 11) and spec["kind"] == "peer_support":
                continue  # a couple of sessions nobody wrote up: "not recorded" is real life
            for member_id in seated:
                chance = engagement[member_id]
                if member_id in drifting and index >= len(past) - 2:
                    chance = 0.0
                roll = rng.random()
                if roll < chance:
                    status = AttendanceStatus.LATE if rng.random() < 0.12 else AttendanceStatus.PRESENT
                elif roll < chance + 0.06:
                    status = AttendanceStatus.EXCUSED
                else:
                    status = AttendanceStatus.ABSENT
                rows.append(
                    Attendance(
                        organization_id=org.pk,
                        session=session,
                        member_id=member_id,
                        status=status,
                        recorded_by=facilitators[0] if facilitators else staff,
                        recorded_at=session.ends_at,
                    )
                )
        Attendance.objects.bulk_create(rows, batch_size=2000)
        counts["attendance records"] += len(rows)

    smart = RecoveryGroup.objects.get(organization=org, name="SMART Recovery Tuesday")
    upcoming = list(Session.objects.filter(group=smart, starts_at__gt=now).order_by("starts_at")[:4])
    jordan = _user("jordan") or staff
    if len(upcoming) >= 4:
        services.session_cancel(
            actor=jordan, session=upcoming[3], reason="Holiday week — the room is closed. See you the week after!"
        )
        services.session_move(actor=jordan, session=upcoming[2], starts_at=upcoming[2].starts_at + timedelta(days=1))
    return counts
