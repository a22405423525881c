"""Pages: "my plan" (phone-first), the care team's view of a member's plan, and the sections
plans adds to the member's home and progress. They call the same selectors and services as the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from checkins.services.medications import medication_adherence
from checkins.services.streaks import local_today
from common.errors import Invalid
from common.pages import page_view
from members.choices import Role
from resources import services as resource_services
from resources.selectors import resources_for_viewer

from . import selectors, services
from .models import Domain, GoalStatus, MilestoneKind

RESOURCE_CHOICES_SHOWN = 100


def _lines(raw: str) -> list[str]:
    return [line.strip() for line in (raw or "").splitlines() if line.strip()]


def _people(raw: str) -> list[dict[str, Any]]:
    people = []
    for line in _lines(raw):
        name, _sep, phone = line.partition(",")
        people.append({"name": name.strip(), "phone": phone.strip()})
    return people


def _date(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise Invalid(_("A date, like 2026-12-31."), field="due") from None


def _owner(raw: str) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def _act(request: HttpRequest, client_id: int) -> None:
    """One form post on a plan page: the action names the service."""
    p = request.POST
    action = p.get("action", "")
    actor: Any = request.user
    if action == "add_goal":
        services.goal_create(
            actor=actor,
            client_id=client_id,
            data={"title": p.get("title", ""), "domain": p.get("domain", ""), "why": p.get("why", ""),
                  "due": _date(p.get("due", "")), "owner": _owner(p.get("owner", ""))},
        )  # fmt: skip
        messages.success(request, _("Goal added."))
    elif action == "add_step":
        services.step_create(
            actor=actor, goal_id=int(p.get("goal", "0") or 0), data={"title": p.get("title", ""), "due": _date(p.get("due", ""))}
        )
        messages.success(request, _("Step added."))
    elif action == "step_done":
        services.step_done(actor=actor, step_id=int(p.get("step", "0") or 0))
        messages.success(request, _("Step done. Nice work."))
    elif action == "goal_status":
        services.goal_update(actor=actor, goal_id=int(p.get("goal", "0") or 0), data={"status": p.get("status", "")})
        messages.success(request, _("Goal updated."))
    elif action == "backup":
        services.plan_backup_update(
            actor=actor,
            client_id=client_id,
            data={"warning_signs": _lines(p.get("warning_signs", "")), "coping_steps": _lines(p.get("coping_steps", "")),
                  "people": _people(p.get("people", ""))},
        )  # fmt: skip
        messages.success(request, _("Backup plan saved."))
    else:
        raise Invalid(_("Choose what to do."))


def _plan_page(request: HttpRequest, client_id: int, *, own: bool) -> HttpResponse:
    if request.method == "POST":
        # Who may write is decided before the form is read: a stranger gets 404, family 403.
        selectors.plan_view_for(viewer=request.user, client_id=client_id, write=True, log=False)  # type: ignore[arg-type]
        try:
            _act(request, client_id)
        except Invalid as exc:
            messages.error(request, exc.message)
        except ValueError:
            messages.error(request, _("Something in the form was not a number."))
        return redirect("my-plan") if own else redirect("client-plan", client_id=client_id)
    view = selectors.plan_view_for(viewer=request.user, client_id=client_id)
    doc = selectors.plan_document(view=view)
    for goal in doc["goals"]:
        goal["domain_label"] = Domain(goal["domain"]).label
        goal["status_label"] = GoalStatus(goal["status"]).label
    doc["suggested_labels"] = [Domain(d).label for d in doc.get("suggested_domains", [])]
    backup = doc["backup_plan"]
    may_write = view.relation in selectors.WRITERS
    may_refer = resource_services.may_refer(view)  # the rule referral_create holds everyone to
    context = {
        "client": view.client,
        "own": own,
        "doc": doc,
        "may_write": may_write,
        "may_refer": may_refer,
        "resources": list(resources_for_viewer(viewer=request.user)[:RESOURCE_CHOICES_SHOWN]) if may_refer else [],  # type: ignore[arg-type]
        "domains": Domain.choices,
        "statuses": GoalStatus.choices,
        "people_choices": selectors.plan_people_choices(client=view.client) if may_write else [],
        "warning_text": "\n".join(backup["warning_signs"]),
        "coping_text": "\n".join(backup["coping_steps"]),
        "people_text": "\n".join(f"{p['name']}, {p.get('phone', '')}".rstrip(", ") for p in backup["people"]),
        "barc_max": 60,
    }
    return render(request, "plans/plan.html", context)


@page_view(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def my_plan(request: HttpRequest) -> HttpResponse:
    return _plan_page(request, request.user.pk, own=True)


@page_view()
@require_http_methods(["GET", "POST"])
def client_plan(request: HttpRequest, client_id: int) -> HttpResponse:
    if client_id == request.user.pk:
        return redirect("my-plan")
    return _plan_page(request, client_id, own=False)


# --- sections on other apps' pages (common.sections) -------------------------------------------


def home_plan_section(request: HttpRequest, **context: Any) -> str:
    """On her home: her active goals with their next step and her latest milestones (3 queries)."""
    client: Any = request.user
    summary = selectors.plan_summary_for_home(client=client)
    milestones = list(selectors.milestones_for_client(client=client)[:3])
    return render_to_string(
        "plans/_home.html",
        {"summary": summary, "milestones": [(m, MilestoneKind(m.kind).label) for m in milestones]},
    )


def progress_milestones_section(request: HttpRequest, **context: Any) -> str:
    client: Any = request.user
    milestones = [(m, MilestoneKind(m.kind).label) for m in selectors.milestones_for_client(client=client)]
    adherence = medication_adherence(client=client, today=local_today(client))
    return render_to_string("plans/_progress.html", {"milestones": milestones, "adherence": adherence})
