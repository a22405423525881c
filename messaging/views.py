"""Pages of the messaging app: the inbox, a conversation (plain form posts; static/js/messaging.js
adds live delivery over the socket when it can), and the staff moderation queue. Thin: the same
selectors and services as the API."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from checkins.services import crisis_resources
from common.errors import DomainError, Invalid
from common.pages import page_view, paginate
from members.choices import Role

from . import selectors, services

PARTICIPANT_ROLES = (Role.CLIENT, Role.MENTOR, Role.CLINICIAN, Role.FAMILY)


@page_view(*PARTICIPANT_ROLES)
def inbox(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = paginate(request, selectors.conversation_list(viewer=user), per_page=30)
    infos = selectors.conversation_infos(viewer=user, conversations=list(rows.object_list))
    return render(request, "messaging/inbox.html", {"page_obj": rows, "infos": infos})


def _days(rows: list[Any], marks: dict[int, int]) -> list[dict[str, Any]]:
    """Oldest first, grouped by the viewer's local day (the page's day separators)."""
    out: list[dict[str, Any]] = []
    current: date | None = None
    for m in rows:
        from django.utils import timezone

        day = timezone.localtime(m.sent_at).date()
        if day != current:
            out.append({"day": day, "messages": []})
            current = day
        out[-1]["messages"].append({"m": m, "read_by": selectors.read_by(m, marks)})
    return out


@page_view(*PARTICIPANT_ROLES)
def conversation(request: HttpRequest, conversation_id: int) -> HttpResponse:
    user: Any = request.user
    conv = selectors.conversation_get_for_viewer(viewer=user, conversation_id=conversation_id)
    form_error = ""
    draft = ""
    resources: list[dict[str, str]] = []
    if request.method == "POST":
        draft = request.POST.get("body", "")
        try:
            result = services.message_send(sender=user, conversation=conv, body=draft)
        except DomainError as exc:
            if isinstance(exc, Invalid) or exc.status_code in (409, 429, 403):
                form_error = exc.message
            else:
                raise
        else:
            if result.crisis_resources:
                request.session["messaging_crisis"] = conv.pk
            return redirect("conversation", conversation_id=conv.pk)
    if request.session.pop("messaging_crisis", None) == conv.pk:
        resources = crisis_resources(user.organization)
    info = selectors.conversation_info(conversation=conv, viewer=user)
    before = request.GET.get("before")
    rows, more = selectors.messages_page(conversation=conv, before=int(before) if before and before.isdigit() else None)
    services.conversation_mark_read(user=user, conversation=conv)
    marks = selectors.read_marks(conversation=conv, participant_ids=info.participant_ids)
    rows = list(reversed(rows))
    context = {
        "conv": conv,
        "info": info,
        "days": _days(rows, marks),
        "older": rows[0].pk if more and rows else None,
        "form_error": form_error,
        "draft": draft if form_error else "",
        "resources": resources,
        "others": [p for p in info.participants if p.id != user.pk],
    }
    return render(request, "messaging/conversation.html", context, status=400 if form_error else 200)


@require_http_methods(["GET", "POST"])
@page_view(*PARTICIPANT_ROLES)
def conversation_with(request: HttpRequest, user_id: int) -> HttpResponse:
    """ "Message" buttons and links: the pair's match conversation while they are matched, else
    their direct conversation. A POST opens it on first use; a GET (a link) goes to one that
    exists, or asks before opening it, so following a link never changes anything."""
    user: Any = request.user
    conv = selectors.match_conversation_between(viewer=user, other_id=user_id)
    if conv is None and request.method == "POST":
        conv, _created = services.conversation_direct_open(actor=user, with_id=user_id)
    if conv is None:
        client, member = selectors.direct_pair(actor=user, with_id=user_id)
        conv = selectors.direct_conversation_between(client=client, other_id=member.member_id)
        if conv is None:
            other = member.member if user.role == Role.CLIENT else client
            return render(request, "messaging/start.html", {"other": other})
    return redirect("conversation", conversation_id=conv.pk)


@require_POST
@page_view(*PARTICIPANT_ROLES, on_rule_break="inbox")
def message_report(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_viewer(viewer=request.user, message_id=message_id)  # type: ignore[arg-type]
    services.message_report(reporter=request.user, message=message, reason=request.POST.get("reason", ""))  # type: ignore[arg-type]
    messages.success(request, _("Thank you. Program staff will look at this message."))
    return redirect("conversation", conversation_id=message.conversation_id)


@page_view(Role.STAFF, on_rule_break="moderation-queue")
def moderation_queue(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        report = selectors.report_get_for_staff(viewer=user, report_id=request.POST.get("report", ""))
        services.report_resolve(staff=user, report=report, action=request.POST.get("action"), note=request.POST.get("note", ""))
        messages.success(request, _("Report resolved."))
        return redirect("moderation-queue")
    reports = list(selectors.reports_for_staff(viewer=user)[:50])
    items = [{"report": r, "context": services.report_read(staff=user, report=r)} for r in reports]
    return render(request, "messaging/moderation.html", {"items": items})
