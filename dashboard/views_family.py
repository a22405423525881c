"""The family home (DESIGN.md "Family members' own recovery"): one calm page with, for each
person she supports, exactly what is shared in plain words; her own check-in, streak and trend;
family groups, and a family peer mentor of her own. Same selector as GET /api/v1/family/shared/."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from checkins import charts
from checkins.selectors_family import family_progress
from common.pages import page_view
from members.choices import Role

from .selectors.family import family_shared


def _optional_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@page_view(Role.FAMILY)
def family_home(request: HttpRequest) -> HttpResponse:
    viewer: Any = request.user
    mine = family_progress(member=viewer)
    groups_url = _optional_url("groups-directory")
    return render(
        request,
        "dashboard/family_home.html",
        {
            "supported": family_shared(viewer=viewer),
            "mine": mine,
            "mood_chart": charts.trend_chart(
                mine.days, today=mine.today, field="mood", low=1, high=5, title=_("My mood, last 30 days")
            ),
            "stress_chart": charts.trend_chart(
                mine.days, today=mine.today, field="stress", low=0, high=10, title=_("My stress, last 30 days")
            ),
            "groups_url": f"{groups_url}?kind=family" if groups_url else None,
            "peer_url": _optional_url("find-mentor"),
            "resources_url": _optional_url("resources"),
        },
    )
