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
from common.pages import add_domain_error, page_view
from members.choices import Role

from . import selectors, services
from .forms import ModuleForm, ResourceForm
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
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = ResourceForm(request.POST if request.method == "POST" and action not in ("import", "toggle") else None)
    if request.method == "POST":
        try:
            if action == "import":
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
            elif action == "toggle":
                resource = selectors.resource_get_for_viewer(
                    viewer=actor, resource_id=int(request.POST.get("resource", "0") or 0)
                )
                services.resource_update(actor=actor, resource=resource, data={"active": not resource.active})
                return redirect("resources-manage")
            elif form.is_valid():
                resource = services.resource_create(actor=actor, data=form.to_service_data())
                messages.success(request, _("%(name)s is in the directory.") % {"name": resource.name})
                return redirect("resources-manage")
        except Invalid as exc:
            if action in ("import", "toggle"):
                errors = [exc.message]
            else:
                add_domain_error(form, exc)
        except ValueError:
            errors = [_("Something in the form was not a number.")]
    qs = selectors.resources_for_viewer(viewer=actor, include_inactive=True)
    return render(
        request,
        "resources/manage.html",
        {"resources": list(qs[:500]), "form": form, "errors": errors},
        status=400 if errors or form.errors else 200,
    )


@page_view(Role.STAFF)
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    actor: Any = request.user
    resource = selectors.resource_get_for_viewer(viewer=actor, resource_id=resource_id)
    form = ResourceForm(request.POST or None, resource=resource)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_update(actor=actor, resource=resource, data=form.to_service_data())
            messages.success(request, _("Saved your changes to %(name)s.") % {"name": resource.name})
            return redirect("resources-manage")
        except Invalid as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "resources/resource_edit.html",
        {"resource": resource, "form": form},
        status=400 if form.errors else 200,
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
    modules = list(selectors.modules_for_organization(organization_id=actor.org_id))
    taken = {m.week for m in modules}
    form = ModuleForm(request.POST or None, initial={"week": next((w for w in range(1, 53) if w not in taken), None)})
    if request.method == "POST" and form.is_valid():
        try:
            module = services.module_create(actor=actor, data=form.to_service_data())
            messages.success(request, _("Week %(week)s is in the curriculum.") % {"week": module.week})
            return redirect("curriculum-manage")
        except (Invalid, Conflict) as exc:
            add_domain_error(form, exc)
    return render(
        request, "resources/curriculum_manage.html", {"modules": modules, "form": form}, status=400 if form.errors else 200
    )


@page_view(Role.STAFF)
@require_http_methods(["GET", "POST"])
def curriculum_module_edit(request: HttpRequest, module_id: int) -> HttpResponse:
    """Change a week's module. "Preview" shows the body as members will see it (rendered by the
    same safe Markdown as their page) and keeps what was typed, without saving."""
    actor: Any = request.user
    module = selectors.module_get_for_viewer(viewer=actor, module_id=module_id)
    form = ModuleForm(request.POST or None, module=module)
    previewing = request.method == "POST" and request.POST.get("action") == "preview"
    typed = form.typed()
    if request.method == "POST" and not previewing and form.is_valid():
        try:
            module = services.module_update(actor=actor, module=module, data=form.to_service_data())
            messages.success(request, _("Saved your changes to week %(week)s.") % {"week": module.week})
            return redirect("curriculum-manage")
        except (Invalid, Conflict) as exc:
            add_domain_error(form, exc)
    return render(
        request,
        "resources/module_edit.html",
        {
            "module": module,
            "form": form,
            "preview": {**typed, "body": markdown_render_safe(typed["body"])},
            "previewing": previewing,
        },
        status=400 if not previewing and form.errors else 200,
    )


@page_view(Role.STAFF)
@require_POST
def curriculum_module_delete(request: HttpRequest, module_id: int) -> HttpResponse:
    module = selectors.module_get_for_viewer(viewer=request.user, module_id=module_id)  # type: ignore[arg-type]
    week, title = module.week, module.title
    services.module_delete(actor=request.user, module=module)  # type: ignore[arg-type]
    messages.success(request, _("Week %(week)s, %(title)s, is deleted.") % {"week": week, "title": title})
    return redirect("curriculum-manage")


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
