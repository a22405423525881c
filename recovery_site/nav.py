"""The site navigation, per role. Items name URL patterns; an item whose page does not exist
(an app not installed) is left out, so apps can be added without touching this file's callers."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

NAV_BY_ROLE: dict[str, list[tuple[str, str]]] = {
    "client": [
        ("home", "Home"),
        ("checkin", "Check in"),
        ("progress", "My progress"),
        ("find-mentor", "My mentor"),
        ("my-groups", "My groups"),
        ("privacy", "Who sees my data"),
    ],
    "mentor": [
        ("home", "Home"),
        ("mentor-proposals", "Proposals & mentees"),
        ("dashboard-caseload", "My mentees at a glance"),
        ("my-groups", "My groups"),
        ("profile", "My profile"),
    ],
    "clinician": [
        ("home", "Home"),
        ("client-list", "My caseload"),
        ("dashboard-caseload", "Caseload dashboard"),
        ("groups-manage", "Groups"),
    ],
    "staff": [
        ("home", "Home"),
        ("client-list", "Members"),
        ("dashboard-program", "Program dashboard"),
        ("staff-users", "People"),
        ("staff-mentors", "Mentor vetting"),
        ("matching-runs", "Batch matching"),
        ("groups-manage", "Groups"),
    ],
    "family": [
        ("home", "Home"),
        ("client-list", "The person I support"),
        ("my-groups", "Family groups"),
    ],
}


def nav_items(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label in NAV_BY_ROLE.get(getattr(user, "role", ""), []):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != reverse("home") and request.path.startswith(url))
        items.append({"url": url, "label": label, "current": current})
    # Only the longest matching item is current (/dashboard/program/ is not also /dashboard/).
    longest = max((len(i["url"]) for i in items if i["current"]), default=0)
    for item in items:
        item["current"] = item["current"] and len(item["url"]) == longest
    return {"nav_items": items}
