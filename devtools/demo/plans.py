"""The plans part of `seed_demo`: plans for several members (goals in the four domains, steps,
a backup plan), Maya shares hers with Jordan, then the milestone planner runs over the months
of demo history, so the milestones are the ones the product would have recognized. Idempotent."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from devtools.demo.members import DEMO_SLUG
from members.choices import CareRole, Role
from members.models import CareTeamMember, ConsentGrant, Organization, User
from members.services import consent_grant
from plans import services
from plans.models import Plan

GOALS = [
    ("Call my sister every Sunday", "social", "She is the one who never gave up on me.", ["Put it in my phone calendar", "First call this Sunday"]),
    ("Sleep seven hours most nights", "physical", "", ["Phone out of the bedroom", "Same bedtime on weekdays"]),
    ("Finish my GED", "human", "For my kids, and for me.", ["Sign up at the Pilsen center", "Study two evenings a week"]),
    ("Volunteer at the food pantry", "cultural", "Giving back feels good.", ["Ask Jordan how he started"]),
    ("Get my driver's license back", "physical", "", ["Legal Aid walk-in on Wednesday", "Pay the first fine"]),
]  # fmt: skip
BACKUP = {
    "warning_signs": ["Skipping meals and check-ins", "Not answering texts", "Payday Friday nights alone"],
    "coping_steps": [
        "Walk to the river and back",
        "Text Jordan: 'rough one'",
        "Go to the 7 pm SMART meeting online",
        "Make tea and wait 20 minutes",
    ],
}


def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None or Plan.objects.filter(organization=org).exists():
        return {}
    clients = list(User.objects.filter(organization=org, role=Role.CLIENT).order_by("pk")[:8])
    if not clients:
        return {}
    goals = 0
    with transaction.atomic():
        for n, client in enumerate(clients):
            people = [{"name": m.member.display_name, "phone": f"312-555-01{10 + i:02d}"}
                      for i, m in enumerate(CareTeamMember.objects.filter(client=client, ended_at__isnull=True).select_related("member")[:2])]  # fmt: skip
            services.plan_backup_update(actor=client, client_id=client.pk, data={**BACKUP, "people": people})
            for i, (title, domain, why, steps) in enumerate(GOALS[: 2 + n % 4]):
                due = (timezone.now() + timedelta(days=30 * (i + 1))).date()
                goal = services.goal_create(
                    actor=client, client_id=client.pk, data={"title": title, "domain": domain, "why": why, "due": due}
                )
                goals += 1
                for j, step in enumerate(steps):
                    made = services.step_create(actor=client, goal_id=goal.pk, data={"title": step})
                    if j == 0 and (n + i) % 2 == 0:
                        services.step_done(actor=client, step_id=made.pk)
                if i == 0 and n % 3 == 0:
                    services.goal_update(actor=client, goal_id=goal.pk, data={"status": "done"})
        # Maya shares her plan with her mentor Jordan (a new grant: how a member adds a scope).
        maya = clients[0]
        mentor = (
            CareTeamMember.objects.filter(client=maya, role=CareRole.MENTOR, ended_at__isnull=True)
            .select_related("member")
            .first()
        )
        if mentor is not None:
            current = set().union(
                *[
                    set(g)
                    for g in ConsentGrant.objects.filter(client=maya, grantee=mentor.member, revoked_at__isnull=True).values_list(
                        "scopes", flat=True
                    )
                ]
            )
            consent_grant(client=maya, grantee=mentor.member, scopes=sorted(current | {"plan"}), purpose="peer support")
        result = services.milestones_plan(full=True)
    return {"plans": len(clients), "goals": goals, "milestones": result.inserted}
