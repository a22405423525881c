"""The member's medications page: names and reminder times (optional). MOUD is welcome here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from common.errors import Invalid
from common.pages import page_view
from members.choices import Role

from .services.medications import medications_for, medications_set

ROWS = 4


@page_view(Role.CLIENT)
@require_http_methods(["GET", "POST"])
def medications(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        items = []
        for i in range(ROWS):
            name = request.POST.get(f"name{i}", "").strip()
            if not name:
                continue
            times = [t.strip() for t in request.POST.get(f"times{i}", "").replace(";", ",").split(",") if t.strip()]
            items.append({"name": name, "times": times, "days": [0, 1, 2, 3, 4, 5, 6]})
        try:
            medications_set(actor=request.user, client=request.user, items=items)  # type: ignore[arg-type]
            messages.success(request, _("Saved. Your check-in will ask whether you took it."))
            return redirect("medications")
        except Invalid as exc:
            error = exc.message
    meds = medications_for(client=request.user)  # type: ignore[arg-type]
    rows = [{"name": m.name, "times": ", ".join(m.times)} for m in meds]
    rows += [{"name": "", "times": ""}] * (ROWS - len(rows))
    return render(request, "checkins/medications.html", {"rows": rows, "error": error}, status=400 if error else 200)
