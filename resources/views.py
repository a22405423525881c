"""Pages: the directory (everyone; staff keep it and import CSV), referrals and their follow-ups
(mentors, clinicians), the curriculum (members: this week; staff write it), and the sections
resources adds to the member's home and the program's public page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import Conflict, Invalid
from common.pages import page_view
from members.choices import Role

from . import selectors, services
from .markdown import markdown_render_safe
from .models import Category, Outcome

CSV_MAX_BYTES = 512 * 1024


@page_view()
@require_GET
def resource_directory(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    language = request.GET.get("language", "")
    q = request.GET.get("q", "")[:100]
    qs = selectors.resources_for_viewer(
        viewer=request.user,  # type: ignore[arg-type]
        category=category if category in Category.values else None,
        language=language if len(language) == 2 and language.isalpha() else None,
        q=q or None,
    )
    return render(
        request,
        "resources/directory.html",
        {"resources": list(qs[:200]), "categories": Category.choices, "category": category, "language": language, "q": q},
    )


@page_view(Role.STAFF)
@require_http_methods(["GET", "POST"])
def resource_manage(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    errors: list[str] = []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "import":
                upload = request.FILES.get("file")
                if upload is None or upload.size > CSV_MAX_BYTES:
                    raise Invalid(_("Choose a CSV file of at most 512 KB."), field="file")
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise Invalid(_("Save the file as UTF-8 CSV and try again."), field="file") from None
                result = services.resources_import_csv(actor=actor, text=text)
                errors = result.errors
                if not errors:
                    messages.success(
                        request,
                        ngettext("%(n)d resource imported.", "%(n)d resources imported.", result.created) % {"n": result.created},
                    )
                    return redirect("resources-manage")
            elif request.POST.get("action") == "toggle":
                resource = selectors.resource_get_for_viewer(
                    viewer=actor, resource_id=int(request.POST.get("resource", "0") or 0)
                )
                services.resource_update(actor=actor, resource=resource, data={"active": not resource.active})
                return redirect("resources-manage")
            else:
                data = {
                    k: request.POST.get(k, "") for k in ("name", "category", "description", "phone", "url", "address", "hours")
                }
                data["languages"] = request.POST.get("languages", "")
                data["public"] = request.POST.get("public") == "on"
                services.resource_create(actor=actor, data=data)
                messages.success(request, _("Resource added."))
                return redirect("resources-manage")
        except Invalid as exc:
            errors = [f"{exc.field}: {exc.message}" if exc.field else exc.message]
        except ValueError:
            errors = [_("Something in the form was not a number.")]
    qs = selectors.resources_for_viewer(viewer=actor, include_inactive=True)
    return render(
        request,
        "resources/manage.html",
        {"resources": list(qs[:500]), "categories": Category.choices, "errors": errors},
        status=400 if errors else 200,
    )


@page_view(Role.MENTOR, Role.CLINICIAN, on_rule_break="referrals")
@require_POST
def referral_create(request: HttpRequest, client_id: int) -> HttpResponse:
    raw = request.POST.get("resource", "")
    services.referral_create(
        actor=request.user,  # type: ignore[arg-type]
        client_id=client_id,
        resource_id=int(raw) if raw.isdigit() else 0,
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Referral made. Its follow-ups will come due in your inbox."))
    return redirect("client-plan", client_id=client_id)


@page_view(Role.MENTOR, Role.CLINICIAN)
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    referrals = list(selectors.follow_ups_open_for_referrer(referrer=request.user)[:200])  # type: ignore[arg-type]
    return render(request, "resources/referrals.html", {"referrals": referrals, "outcomes": Outcome.choices})


@page_view(Role.MENTOR, Role.CLINICIAN, on_rule_break="referrals")
@require_POST
def referral_follow_up(request: HttpRequest, referral_id: int) -> HttpResponse:
    services.follow_up_record(
        actor=request.user,  # type: ignore[arg-type]
        referral_id=referral_id,
        outcome=request.POST.get("outcome", ""),
        note=request.POST.get("note", ""),
    )
    messages.success(request, _("Follow-up recorded."))
    return redirect("referrals")


@page_view(Role.CLIENT)
@require_GET
def curriculum(request: HttpRequest) -> HttpResponse:
    place = selectors.curriculum_for_client(client=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "resources/curriculum.html",
        {
            "place": place,
            "body": markdown_render_safe(place.this_week.body) if place.this_week else "",
            "modules": [(m, m.pk in place.done_ids) for m in place.modules],
        },
    )


@page_view(Role.CLIENT)
@require_GET
def curriculum_module(request: HttpRequest, module_id: int) -> HttpResponse:
    place = selectors.curriculum_for_client(client=request.user)  # type: ignore[arg-type]
    module = next((m for m in place.modules if m.pk == module_id), None)
    if module is None:
        from django.http import Http404

        raise Http404()
    return render(
        request,
        "resources/module.html",
        {"module": module, "body": markdown_render_safe(module.body), "done": module.pk in place.done_ids},
    )


@page_view(Role.CLIENT)
@require_POST
def curriculum_done(request: HttpRequest, module_id: int) -> HttpResponse:
    services.module_done(client=request.user, module_id=module_id)  # type: ignore[arg-type]
    messages.success(request, _("Marked done. Well done."))
    return redirect("curriculum")


@page_view(Role.STAFF)
@require_http_methods(["GET", "POST"])
def curriculum_manage(request: HttpRequest) -> HttpResponse:
    actor: Any = request.user
    error = ""
    if request.method == "POST":
        raw = request.POST.get("week", "")
        data = {
            "week": int(raw) if raw.isdigit() else 0,
            "title": request.POST.get("title", ""),
            "summary": request.POST.get("summary", ""),
            "body": request.POST.get("body", ""),
            "activities": [a.strip() for a in request.POST.get("activities", "").splitlines() if a.strip()],
        }
        try:
            services.module_create(actor=actor, data=data)
            messages.success(request, _("Module added."))
            return redirect("curriculum-manage")
        except (Invalid, Conflict) as exc:
            error = exc.message
    modules = list(selectors.modules_for_organization(organization_id=actor.org_id))
    return render(request, "resources/curriculum_manage.html", {"modules": modules, "error": error}, status=400 if error else 200)


# --- sections (common.sections) -------------------------------------------------------------


def home_curriculum_section(request: HttpRequest, **context: Any) -> str:
    place = selectors.curriculum_for_client(client=request.user)  # type: ignore[arg-type]
    if not place.modules:
        return ""
    return render_to_string("resources/_home.html", {"place": place})


def public_resources_section(request: HttpRequest, *, organization: Any, **context: Any) -> str:
    resources = list(selectors.resources_public(organization=organization)[:100])
    if not resources:
        return ""
    return render_to_string("resources/_public.html", {"resources": resources})
