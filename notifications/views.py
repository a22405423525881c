"""The in-app inbox and reminder settings pages. Reads through notifications.selectors, writes
through notifications.services (the same ones the API uses)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import Invalid
from common.pages import add_domain_error, page_view, paginate
from members.choices import Role

from . import selectors, services
from .forms import RemindersForm
from .kinds import kind_info, kind_known


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("notifications")


@page_view()
def inbox(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = paginate(request, selectors.inbox_for(user=request.user, unread_only=unread_only), per_page=20)  # type: ignore[arg-type]
    return render(request, "notifications/inbox.html", {"page_obj": page, "unread_only": unread_only})


@require_POST
@page_view()
def mark_read(request: HttpRequest, notification_id: int, *args: Any, **kwargs: Any) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    services.notification_mark_read(user=request.user, notification=notification)  # type: ignore[arg-type]
    if request.POST.get("open") and notification.url.startswith("/"):
        return redirect(notification.url)
    return _back(request)


@require_POST
@page_view()
def mark_all_read(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)  # type: ignore[arg-type]
    messages.success(request, gettext("All caught up.") if count else gettext("Nothing unread."))
    return _back(request)


@page_view()
def reminders(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    user: Any = request.user
    pref = services.preference_get(user=user)
    if request.method == "POST":
        form = RemindersForm(request.POST)
        if form.is_valid():
            try:
                services.preference_update(user=user, actor=user, data=form.cleaned_data)
            except Invalid as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, gettext("Your reminder settings are saved."))
                return redirect("reminders")
    else:
        form = RemindersForm(initial=RemindersForm.initial_for(pref))
    return render(request, "notifications/reminders.html", {"form": form})


@page_view(Role.STAFF)
def ops_outbox(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The staff outbox page: what waits, what failed and why, what went out each day. The same
    selector as GET /api/v1/ops/outbox/."""
    overview = selectors.outbox_overview(organization=request.user.organization)  # type: ignore[union-attr]
    sent: dict[str, dict[str, int]] = {}
    for row in overview["per_day"]:
        if row["status"] == "sent":
            sent.setdefault(row["day"], {}).setdefault(row["kind"], 0)
            sent[row["day"]][row["kind"]] += row["count"]
    kinds_seen = sorted({k for day in sent.values() for k in day})
    table = [{"day": day, "counts": [sent[day].get(k, 0) for k in kinds_seen]} for day in sorted(sent, reverse=True)]
    labels = [kind_info(k).label if kind_known(k) else k for k in kinds_seen]
    return render(
        request,
        "notifications/ops_outbox.html",
        {"o": overview, "sent_kinds": labels, "sent_table": table},
    )


UNSUBSCRIBE_PROBLEMS = {
    "invalid": _("This unsubscribe link is not valid. It may have been changed or cut short. Nothing was changed."),
    "expired": _(
        "This unsubscribe link has expired. Nothing was changed. You can choose which emails you get in Settings › Reminders."
    ),
    "not_yours": _("This unsubscribe link belongs to someone else, so nothing was changed. Sign out first if it is yours."),
    "not_allowed": _("Crisis alerts cannot be turned off, so nothing was changed."),
}


@csrf_exempt  # the signed token is the credential; mail clients' one-click POST (RFC 8058) has no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe (no sign-in): GET shows what the link stops and one button (a link
    scanner's GET changes nothing); POST stops emails of that kind."""
    viewer: Any = request.user if request.user.is_authenticated else None
    try:
        if request.method == "POST":
            result = services.unsubscribe_apply(token=token, viewer=viewer)
        else:
            result = services.unsubscribe_check(token=token, viewer=viewer)
    except services.UnsubscribeError as exc:
        return render(
            request,
            "notifications/unsubscribe.html",
            {"problem": UNSUBSCRIBE_PROBLEMS[exc.reason]},
            status=400 if request.method == "POST" else 200,
        )
    return render(
        request,
        "notifications/unsubscribe.html",
        {"label": kind_info(result.kind).label, "done": request.method == "POST", "token": token},
    )
