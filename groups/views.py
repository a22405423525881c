"""HTML pages and public feeds of the groups app. Views are thin: they call the same selectors
and services as the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from common.errors import Invalid
from common.pages import page_view, redirect_back
from common.sections import sections_render
from members.models import Organization

from . import ical, recurrence, selectors, services
from .forms import GroupForm
from .models import AttendanceMode, AttendanceStatus, Kind

GUARD = page_view(on_rule_break="groups-directory")


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, zone: str | None = None, status: int = 200
) -> HttpResponse:
    """Render with times shown in `zone` (default: the viewer's own zone)."""
    user = request.user
    with timezone.override(ZoneInfo(zone or getattr(user, "timezone", None) or "UTC")):
        return render(request, template, context, status=status)


def _int_or_none(value: str | None, lo: int, hi: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if lo <= number <= hi else None


# --- members: directory and my groups ---------------------------------------------------------


@GUARD
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") if request.GET.get("kind") in Kind.values else None
    mode = request.GET.get("mode") if request.GET.get("mode") in AttendanceMode.values else None
    day = _int_or_none(request.GET.get("day"), 0, 6)
    groups = list(selectors.group_directory(viewer=request.user, kind=kind, attendance_mode=mode, day=day))
    cards = [
        {
            "group": g,
            "schedule": recurrence.describe(g.rrule, g.start_local),
            "seats_left": None if g.capacity is None else max(g.capacity - g.seated, 0),
            "next": g.upcoming[0] if g.upcoming else None,
            "closed_to_self": not selectors.can_self_enroll(user=request.user, group=g),
        }
        for g in groups
    ]
    context = {
        "cards": cards,
        "kinds": Kind.choices,
        "modes": AttendanceMode.choices,
        "days": list(enumerate(recurrence.DAY_NAMES)),
        "selected": {"kind": kind or "", "mode": mode or "", "day": "" if day is None else day},
        "filtered": bool(kind or mode or day is not None),
        "is_manager": selectors.can_manage_groups(user=request.user),
    }
    return _render(request, "groups/directory.html", context)


@GUARD
@require_POST
def join(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    result = services.enrollment_join(actor=request.user, group=group, member=request.user)
    if result.enrollment.status == "enrolled":
        messages.success(request, _("You joined %(group)s. It is in your groups and your calendar feed.") % {"group": group.name})
    else:
        messages.info(
            request,
            _("%(group)s is full. You are number %(n)s on the waitlist; we will tell you when a seat opens.")
            % {"group": group.name, "n": result.position},
        )
    return redirect_back(request, reverse("my-groups"))


@GUARD
@require_POST
def leave(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    services.enrollment_leave(actor=request.user, group=group, member=request.user)
    messages.success(request, _("You left %(group)s. You are welcome back any time.") % {"group": group.name})
    return redirect_back(request, reverse("my-groups"))


@GUARD
@require_GET
def my_groups(request: HttpRequest) -> HttpResponse:
    user = request.user
    feed = services.calendar_feed_get_or_create(user=user)
    mine = selectors.member_groups(user=user, upcoming=3)
    facilitating = selectors.groups_facilitated_by(viewer=user)
    context = {
        "mine": [{"item": m, "schedule": recurrence.describe(m.group.rrule, m.group.start_local)} for m in mine],
        "facilitating": [{"group": g, "schedule": recurrence.describe(g.rrule, g.start_local)} for g in facilitating],
        "calendar_url": request.build_absolute_uri(reverse("groups-calendar-ics", args=[feed.token])),
        "webcal_url": request.build_absolute_uri(reverse("groups-calendar-ics", args=[feed.token]))
        .replace("https://", "webcal://")
        .replace("http://", "webcal://"),
    }
    return _render(request, "groups/my_groups.html", context)


@GUARD
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_rotate(user=request.user)
    messages.success(request, _("Your calendar link changed. The old link stops working; add the new one to your calendar app."))
    return redirect(reverse("my-groups") + "#calendar")


# --- clinicians and staff: manage, edit, roster, attendance -----------------------------------


@GUARD
@require_GET
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    groups = selectors.group_manage_list(viewer=user)
    rows = [
        {
            "group": g,
            "schedule": recurrence.describe(g.rrule, g.start_local),
            "next": g.upcoming[0] if g.upcoming else None,
        }
        for g in groups
    ]
    return _render(request, "groups/manage.html", {"rows": rows, "can_create": selectors.can_manage_groups(user=user)})


@GUARD
def group_edit(request: HttpRequest, group_id: int | None = None) -> HttpResponse:
    user = request.user
    group = selectors.group_get_for_viewer(viewer=user, group_id=group_id) if group_id is not None else None
    if group is None:
        selectors.group_manage_require(user=user)
    else:
        selectors.group_change_require(user=user, group=group)
    form = GroupForm(request.POST or None, organization_id=user.org_id, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.to_service_data()
            if group is None:
                group = services.group_create(actor=user, data=data)
                messages.success(request, _("%(group)s is set up and its sessions are on the calendar.") % {"group": group.name})
            else:
                group = services.group_update(actor=user, group=group, data=data)
                messages.success(request, _("Saved. Future sessions follow the new schedule; past sessions are unchanged."))
            return redirect("groups-roster", group_id=group.pk)
        except Invalid as exc:
            form.add_service_error(exc.field, exc.message)
    return _render(request, "groups/group_form.html", {"form": form, "group": group}, status=400 if form.errors else 200)


@GUARD
@require_POST
def group_archive(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    services.group_archive(actor=request.user, group=group)
    messages.success(
        request, _("%(group)s is archived: its future sessions are removed; its history is kept.") % {"group": group.name}
    )
    return redirect("groups-manage")


@GUARD
@require_GET
def roster(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    history = selectors.group_recent_sessions(group=group, past=12, ahead=0, held_only=True)
    rows = selectors.group_roster(viewer=request.user, group=group, history_sessions=history)
    upcoming = selectors.group_recent_sessions(group=group, past=2, ahead=6)
    now = timezone.now()
    # The session most likely being run right now: the latest one that has started (or starts
    # within 15 minutes), so taking attendance is one tap from the roster.
    current = next(
        (s for s in reversed(upcoming) if s.status == "scheduled" and s.starts_at <= now + timedelta(minutes=15)), None
    )
    can_manage = selectors.can_manage_group(user=request.user, group=group)
    candidates = selectors.enrollment_candidates(group=group) if can_manage else []
    context = {
        "group": group,
        "schedule": recurrence.describe(group.rrule, group.start_local),
        "enrolled": [r for r in rows if r.status == "enrolled"],
        "waiting": [r for r in rows if r.status == "waitlisted"],
        "history": history,
        "sessions": upcoming,
        "now": now,
        "current": current,
        "can_manage": can_manage,
        "can_take_attendance": selectors.can_take_attendance(user=request.user, group=group),
        "candidates": candidates,
    }
    return _render(request, "groups/roster.html", context, zone=group.timezone)


@GUARD
@require_POST
def roster_enroll(request: HttpRequest, group_id: int) -> HttpResponse:
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    member = services.enrollment_member_for(actor=request.user, group=group, member_id=request.POST.get("member", ""))
    result = services.enrollment_join(actor=request.user, group=group, member=member)
    if result.enrollment.status == "enrolled":
        messages.success(request, _("%(name)s is enrolled.") % {"name": member.display_name})
    else:
        messages.info(
            request,
            _("The group is full: %(name)s is number %(n)s on the waitlist.")
            % {"name": member.display_name, "n": result.position},
        )
    return redirect("groups-roster", group_id=group.pk)


@GUARD
@require_POST
def roster_remove(request: HttpRequest, group_id: int, member_id: int) -> HttpResponse:
    group = selectors.group_get_for_viewer(viewer=request.user, group_id=group_id)
    member = services.enrollment_member_for(actor=request.user, group=group, member_id=member_id, any_role=True)
    promoted = services.enrollment_leave(actor=request.user, group=group, member=member)
    text = _("%(name)s was removed.") % {"name": member.display_name}
    if promoted:
        text += " " + _("%(name)s moved up from the waitlist.") % {"name": promoted[0].member.display_name}
    messages.success(request, text)
    return redirect("groups-roster", group_id=group.pk)


@GUARD
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_viewer(viewer=request.user, session_id=session_id)
    group = session.group
    started = session.starts_at <= timezone.now()
    if request.method == "POST":
        entries = []
        for key, value in request.POST.items():
            if key.startswith("status-") and value:
                entries.append(
                    {
                        "member": key.removeprefix("status-"),
                        "status": value,
                        "note": request.POST.get("note-" + key.removeprefix("status-"), ""),
                    }
                )
        try:
            services.attendance_record(actor=request.user, session=session, entries=entries)
        except Invalid as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                ngettext("Attendance saved for %(n)s person.", "Attendance saved for %(n)s people.", len(entries))
                % {"n": len(entries)},
            )
            return redirect("groups-attendance", session_id=session.pk)
    sheet = selectors.session_attendance_sheet(viewer=request.user, session=session)
    choices = AttendanceStatus.choices if started else [(AttendanceStatus.EXCUSED.value, AttendanceStatus.EXCUSED.label)]
    context = {
        "session": session,
        "group": group,
        "sheet": sheet,
        "choices": choices,
        "started": started,
        "recorded": sum(1 for r in sheet if r.status),
        "not_shared": sum(1 for r in sheet if not r.shared),
    }
    return _render(request, "groups/attendance.html", context, zone=group.timezone)


@GUARD
@require_POST
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    session = selectors.session_get_for_viewer(viewer=request.user, session_id=session_id)
    services.session_cancel(actor=request.user, session=session, reason=request.POST.get("reason", ""))
    messages.success(request, _("The session is cancelled and its members have been told."))
    return redirect("groups-roster", group_id=session.group_id)


# --- public: calendar feed, Meeting Guide feed, organization page ------------------------------


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = selectors.calendar_feed_get(token=token)
    if feed is None:
        raise Http404()
    body = ical.member_calendar(groups=selectors.calendar_groups_for(user=feed.user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="kinship-groups.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def meetings_json(request: HttpRequest, org_slug: str) -> JsonResponse:
    org = get_object_or_404(Organization, slug=org_slug)
    page_url = request.build_absolute_uri(reverse("organization-public", args=[org.slug]))
    response = JsonResponse(selectors.meeting_guide_feed(organization_id=org.pk, page_url=page_url), safe=False)
    # Meeting finders (TSML UI) read the feed from other sites' pages.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=600"
    return response


@require_GET
def organization_page(request: HttpRequest, org_slug: str) -> HttpResponse:
    org = get_object_or_404(Organization, slug=org_slug)
    groups = selectors.public_weekly_groups(organization_id=org.pk)
    feed_url = request.build_absolute_uri(reverse("organization-meetings-json", args=[org.slug]))
    meetings = [
        {"group": g, "schedule": recurrence.describe(g.rrule, g.start_local), "types": list(g.meeting_types.all())}
        for g in groups
    ]
    # Apps above add their public parts (resources: the public directory) through common.sections.
    sections = sections_render("organization_public", request, organization=org)
    return render(
        request, "groups/organization.html", {"org": org, "meetings": meetings, "feed_url": feed_url, "sections": sections}
    )
