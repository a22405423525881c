"""Writes of the member's plan: the backup plan, goals and their steps. Who may write is
plans.selectors.plan_view_for (the member, her clinicians, her mentor with the `plan` scope)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Invalid, NotVisible
from members.access import client_get_for_viewer
from members.models import User
from members.services import audit_record
from resources.services.directory import phone_clean

from ..models import Domain, Goal, GoalStatus, Plan, Step
from ..selectors import plan_people_choices, plan_view_for
from .milestones import milestone_goal_done

MAX_DUE_DAYS = 2 * 366  # a due date at most two years ahead
MAX_PAST_DAYS = 366
LIST_MAX, TEXT_MAX, PEOPLE_MAX = 20, 300, 10


def _today(client: User) -> date:
    return timezone.now().astimezone(ZoneInfo(client.timezone)).date()


def _text(value: Any, *, name: str, limit: int, required: bool = True) -> str:
    if not isinstance(value, str):
        raise Invalid(_("Must be text."), field=name)
    value = value.strip()
    if required and not value:
        raise Invalid(_("This field is required."), field=name)
    if len(value) > limit:
        raise Invalid(_("Keep it to %(limit)s characters.") % {"limit": limit}, field=name)
    return value


def _due(value: Any, *, client: User, name: str = "due") -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise Invalid(_("A date, YYYY-MM-DD."), field=name)
    today = _today(client)
    if value > today + timedelta(days=MAX_DUE_DAYS):
        raise Invalid(_("Choose a due date within the next two years; smaller steps get there."), field=name)
    if value < today - timedelta(days=MAX_PAST_DAYS):
        raise Invalid(_("That date is more than a year ago."), field=name)
    return value


def _owner(value: Any, *, client: User) -> User | None:
    if value is None:
        return None
    people = {p.pk: p for p in plan_people_choices(client=client)}
    if isinstance(value, bool) or not isinstance(value, int) or value not in people:
        raise Invalid(_("The owner is the member or someone on her care team."), field="owner")
    return people[value]


def _text_list(value: Any, *, name: str) -> list[str]:
    if not isinstance(value, list) or len(value) > LIST_MAX:
        raise Invalid(_("A list of at most %(max)s short texts.") % {"max": LIST_MAX}, field=name)
    return [t for t in (_text(v, name=name, limit=TEXT_MAX) for v in value) if t]


@transaction.atomic
def plan_backup_update(*, actor: User, client_id: int | str, data: dict[str, Any]) -> Plan:
    view = plan_view_for(viewer=actor, client_id=client_id, write=True, log=False)
    client = view.client
    values: dict[str, Any] = {}
    for name in ("warning_signs", "coping_steps"):
        if name in data:
            values[name] = _text_list(data[name], name=name)
    if "people" in data:
        people = data["people"]
        if not isinstance(people, list) or len(people) > PEOPLE_MAX:
            raise Invalid(_("At most %(max)s people.") % {"max": PEOPLE_MAX}, field="people")
        team = {p.pk for p in plan_people_choices(client=client)}
        cleaned = []
        for person in people:
            if not isinstance(person, dict):
                raise Invalid(_("Each person is {name, phone?, user?}."), field="people")
            user = person.get("user")
            if user is not None and (isinstance(user, bool) or not isinstance(user, int) or user not in team):
                raise Invalid(_("A person's `user` is someone on her care team."), field="people")
            try:
                phone = phone_clean(person.get("phone") or "")
            except Invalid as exc:
                raise Invalid(exc.message, field="people") from None
            cleaned.append({"name": _text(person.get("name"), name="people", limit=100), "phone": phone, "user": user})
        values["people"] = cleaned
    plan, _created = Plan.objects.select_for_update().get_or_create(client=client, defaults={"organization_id": client.org_id})
    for name, value in values.items():
        setattr(plan, name, value)
    plan.updated_at = timezone.now()
    plan.updated_by = actor
    plan.save()
    audit_record(actor=actor, action="plan.backup.update", target=plan, organization_id=client.org_id, client=client)
    return plan


@transaction.atomic
def goal_create(*, actor: User, client_id: int | str, data: dict[str, Any]) -> Goal:
    view = plan_view_for(viewer=actor, client_id=client_id, write=True, log=False)
    client = view.client
    if data.get("domain") not in Domain.values:
        raise Invalid(_("Choose a domain: social, physical, human or cultural."), field="domain")
    goal = Goal.objects.create(
        organization_id=client.org_id,
        client=client,
        title=_text(data.get("title"), name="title", limit=200),
        domain=data["domain"],
        why=_text(data.get("why") or "", name="why", limit=1000, required=False),
        due=_due(data.get("due"), client=client),
        owner=_owner(data.get("owner"), client=client) or client,
        created_by=actor,
    )
    audit_record(actor=actor, action="plan.goal.create", target=goal, organization_id=client.org_id, client=client)
    return goal


def goal_get_for_writer(*, actor: User, goal_id: int) -> Goal:
    """A goal the actor may change: someone else's goal (a member outside the viewer's sight,
    or whose plan is not shared with her) is 404, family who read it 403."""
    goal = Goal.objects.filter(pk=goal_id, organization_id=actor.org_id).select_related("client").first()
    if goal is None:
        raise NotVisible()
    view = client_get_for_viewer(viewer=actor, client_id=goal.client_id)
    if not view.sees("plan"):
        raise NotVisible()
    plan_view_for(viewer=actor, client_id=goal.client_id, write=True, log=False)
    return goal


@transaction.atomic
def goal_update(*, actor: User, goal_id: int, data: dict[str, Any]) -> Goal:
    goal = goal_get_for_writer(actor=actor, goal_id=goal_id)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    client = goal.client
    changed: list[str] = []
    if "title" in data:
        goal.title = _text(data["title"], name="title", limit=200)
        changed.append("title")
    if "due" in data:
        goal.due = _due(data["due"], client=client)
        changed.append("due")
    if "owner" in data:
        goal.owner = _owner(data["owner"], client=client)
        changed.append("owner")
    became_done = False
    if "status" in data:
        if data["status"] not in GoalStatus.values:
            raise Invalid(_("Status is active, done or paused."), field="status")
        became_done = data["status"] == GoalStatus.DONE and goal.status != GoalStatus.DONE
        goal.status = data["status"]
        goal.done_at = timezone.now() if goal.status == GoalStatus.DONE else None
        changed.append("status")
    goal.updated_at = timezone.now()
    goal.save()
    if became_done:
        milestone_goal_done(goal=goal)
    audit_record(
        actor=actor, action="plan.goal.update", target=goal, organization_id=client.org_id, client=client,
        changes={"fields": changed},
    )  # fmt: skip
    return goal


@transaction.atomic
def step_create(*, actor: User, goal_id: int, data: dict[str, Any]) -> Step:
    goal = goal_get_for_writer(actor=actor, goal_id=goal_id)
    step = Step.objects.create(
        goal=goal, title=_text(data.get("title"), name="title", limit=200), due=_due(data.get("due"), client=goal.client)
    )
    audit_record(actor=actor, action="plan.step.create", target=step, organization_id=goal.organization_id, client=goal.client)
    return step


@transaction.atomic
def step_done(*, actor: User, step_id: int) -> Step:
    step = Step.objects.filter(pk=step_id, goal__organization_id=actor.org_id).select_related("goal").first()
    if step is None:
        raise NotVisible()
    goal = goal_get_for_writer(actor=actor, goal_id=step.goal_id)
    if step.done_at is None:
        step.done_at = timezone.now()
        step.save(update_fields=["done_at"])
        audit_record(actor=actor, action="plan.step.done", target=step, organization_id=goal.organization_id, client=goal.client)
    return step


def plans_erase(user: User) -> None:
    from ..models import Milestone

    Goal.objects.filter(client=user).delete()
    Plan.objects.filter(client=user).delete()
    Milestone.objects.filter(client=user).delete()
