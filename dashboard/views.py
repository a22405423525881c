"""Pages: the caseload dashboard (clinicians, mentors, staff) and the program dashboard
(staff). They call the same selectors as the API (dashboard.selectors)."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.errors import Invalid
from common.pages import accepts_api_token, page_view, paginate
from members.choices import Role
from members.exports import csv_notice_line

from . import charts, selectors

FLAG_LABELS = {
    "crisis": gettext_lazy("Crisis"),
    "phq9_item9": gettext_lazy("PHQ-9 item 9"),
    "no_checkin_3d": gettext_lazy("No check-in 3 days"),
    "missed_2_sessions": gettext_lazy("Missed 2 sessions"),
    "high_craving": gettext_lazy("High cravings"),
    "low_mood": gettext_lazy("Low mood"),
}
DANGER_FLAGS = {"crisis", "phq9_item9"}


@page_view(Role.CLINICIAN, Role.MENTOR, Role.STAFF)
def caseload(request: HttpRequest) -> HttpResponse:
    viewer: Any = request.user
    flagged = request.GET.get("flagged") in ("1", "true", "on")
    access = selectors.caseload_access(viewer=viewer)
    qs = selectors.caseload_queryset(viewer=viewer, access=access, flagged_only=flagged)
    page = paginate(request, qs, per_page=25)
    rows = selectors.caseload_rows(viewer=viewer, clients=list(page), access=access)
    openable = selectors.caseload_pages_open(viewer=viewer, clients=list(page))
    for row in rows:
        row["badges"] = [{"label": FLAG_LABELS.get(k, k), "danger": k in DANGER_FLAGS, "kind": k} for k in row["flags"]]
        row["can_open"] = openable is None or row["client"]["id"] in openable
    titles = {Role.MENTOR: _("My mentees at a glance"), Role.STAFF: _("Caseload dashboard: all members")}
    return render(
        request,
        "dashboard/caseload.html",
        {
            "rows": rows,
            "page_obj": page,
            "flagged": flagged,
            "extra_query": "flagged=1" if flagged else "",
            "title": titles.get(viewer.role, _("Caseload dashboard")),
            "is_mentor": viewer.role == Role.MENTOR,
            "flagged_count": selectors.caseload_flagged_count(viewer=viewer, access=access),
        },
    )


def _figures(request: HttpRequest) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    viewer: Any = request.user
    try:
        window = selectors.program_window(
            organization=viewer.organization, date_from=request.GET.get("from"), date_to=request.GET.get("to")
        )
    except selectors.WindowInvalid as exc:
        return None, exc.errors
    except Invalid as exc:
        return None, {exc.field or "from": [exc.message]}
    return selectors.program_figures(organization=viewer.organization, window=window), {}


@page_view(Role.STAFF)
def program(request: HttpRequest) -> HttpResponse:
    figures, errors = _figures(request)
    context: dict[str, Any] = {
        "errors": errors,
        "f": figures,
        "chart": charts.weekly_charts(figures["weekly"]) if figures else "",
        "csv_query": request.GET.urlencode(),
        "from_value": request.GET.get("from") or (figures["from"].isoformat() if figures else ""),
        "to_value": request.GET.get("to") or (figures["to"].isoformat() if figures else ""),
    }
    return render(request, "dashboard/program.html", context, status=400 if errors else 200)


@accepts_api_token
@page_view(Role.STAFF)
def program_csv(request: HttpRequest) -> HttpResponse:
    figures, errors = _figures(request)
    if figures is None:
        response = HttpResponse(content_type="text/csv; charset=utf-8", status=400)
        writer = csv.writer(response)
        writer.writerow(["field", "error"])
        for name, messages in errors.items():
            for message in messages:
                writer.writerow([name, message])
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"program-{figures['from']:%Y-%m-%d}-to-{figures['to']:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([csv_notice_line()])  # 42 CFR § 2.32: the first line of every CSV export
    writer.writerows(selectors.program_csv_rows(figures))
    return response
