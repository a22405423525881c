"""HTML pages and public feeds of the groups app. Views are thin: they call the same selectors
and services as the API."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from members.models import Organization

from . import ical, recurrence, selectors


def _todo(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("")


directory = my_groups = calendar_rotate = join = leave = manage = group_edit = roster = _todo
roster_enroll = roster_remove = attendance = session_cancel = _todo


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
    return render(request, "groups/organization.html", {"org": org, "meetings": meetings, "feed_url": feed_url})
