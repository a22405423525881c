"""The program's year of weekly modules: staff write them, a member marks hers done."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import Conflict, Invalid, NotAllowed, NotVisible
from members.choices import Role
from members.models import User
from members.services import audit_record

from ..models import Module, ModuleDone

MODULE_FIELDS = ("week", "title", "summary", "body", "activities")
LIMITS = {"title": 200, "summary": 500, "body": 20000}


def _clean(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "week" in data:
        week = data["week"]
        if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= 52:
            raise Invalid(_("The week is a whole number from 1 to 52."), field="week")
        values["week"] = week
    for name, limit in LIMITS.items():
        if name in data:
            if not isinstance(data[name], str) or len(data[name]) > limit:
                raise Invalid(_("Text of at most %(limit)s characters.") % {"limit": limit}, field=name)
            values[name] = data[name].strip()
    if "activities" in data:
        acts = data["activities"]
        if (
            not isinstance(acts, list)
            or len(acts) > 20
            or not all(isinstance(a, str) and 0 < len(a.strip()) <= 500 for a in acts)
        ):
            raise Invalid(_("Activities are a list of up to 20 short texts."), field="activities")
        values["activities"] = [a.strip() for a in acts]
    if not partial:
        for required in ("week", "title"):
            if not values.get(required):
                raise Invalid(_("This field is required."), field=required)
    return values


@transaction.atomic
def module_create(*, actor: User, data: dict[str, Any]) -> Module:
    if actor.role != Role.STAFF:
        raise NotAllowed(_("Program staff write the curriculum."))
    values = _clean(data, partial=False)
    try:
        with transaction.atomic():
            module = Module.objects.create(organization_id=actor.org_id, **values)
    except IntegrityError:
        raise Conflict(_("That week already has a module; change it instead."), field="week") from None
    audit_record(actor=actor, action="module.create", target=module, organization_id=actor.org_id)
    return module


def _require_staff_of(actor: User, module: Module) -> None:
    """Only staff of the module's own organization change it: another program's module does not
    exist for them (404); someone of its program who is not staff gets 403."""
    if module.organization_id != actor.org_id:
        raise NotVisible()
    if actor.role != Role.STAFF:
        raise NotAllowed(_("Program staff write the curriculum."))


@transaction.atomic
def module_update(*, actor: User, module: Module, data: dict[str, Any]) -> Module:
    """Change a week's module. On a rule break (Invalid, or Conflict when the new week already
    has a module) nothing is saved and `module` keeps the values it had."""
    _require_staff_of(actor, module)
    values = _clean(data, partial=True)
    before = {name: getattr(module, name) for name in values}
    for name, value in values.items():
        setattr(module, name, value)
    try:
        with transaction.atomic():
            module.save()
    except IntegrityError:
        for name, value in before.items():
            setattr(module, name, value)
        raise Conflict(_("That week already has a module."), field="week") from None
    audit_record(
        actor=actor, action="module.update", target=module, organization_id=actor.org_id, changes={"fields": sorted(values)}
    )
    return module


@transaction.atomic
def module_delete(*, actor: User, module: Module) -> int:
    """Take a week's module out of the curriculum. The members' marks of it done go with it
    (their count is returned, and kept in the audit trail)."""
    _require_staff_of(actor, module)
    marked = ModuleDone.objects.filter(module=module).count()
    audit_record(
        actor=actor, action="module.delete", target=module, organization_id=actor.org_id,
        changes={"week": module.week, "title": module.title, "marked_done": marked},
    )  # fmt: skip
    module.delete()
    return marked


@transaction.atomic
def module_done(*, client: User, module_id: int) -> ModuleDone:
    """The member marks a module of her program done (again is fine: the first time counts)."""
    if client.role != Role.CLIENT:
        raise NotAllowed(_("Members mark their own modules done."))
    module = Module.objects.filter(pk=module_id, organization_id=client.org_id).first()
    if module is None:
        raise NotVisible()
    done, _created = ModuleDone.objects.get_or_create(client=client, module=module)
    return done
