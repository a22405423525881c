"""The in-app inbox and reminder settings pages. Reads through notifications.selectors, writes
through notifications.services (the same ones the API uses)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from common.errors import Invalid
from common.pages import add_domain_error, page_view, paginate

from . import selectors, services
from .forms import RemindersForm


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
    messages.success(request, "All caught up." if count else "Nothing unread.")
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
                messages.success(request, "Your reminder settings are saved.")
                return redirect("reminders")
    else:
        form = RemindersForm(initial=RemindersForm.initial_for(pref))
    return render(request, "notifications/reminders.html", {"form": form})
