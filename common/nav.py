"""The site navigation, per role. Each app registers its own items from its AppConfig.ready()
(`nav_register`), so the base names no feature; an item whose page does not exist is left out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    order: int
    # An optional count shown beside the label (unread messages): count(user) -> int.
    count: Callable[[Any], int] | None = None


_items: dict[str, list[NavItem]] = {}


def nav_register(
    role: str, url_name: str, label: str | Promise, *, order: int, count: Callable[[Any], int] | None = None
) -> None:
    """Show `label` linking to `url_name` to people of `role`, sorted by `order` (home is 0);
    with `count`, a number beside it (hidden when 0)."""
    items = _items.setdefault(role, [])
    if any(i.url_name == url_name for i in items):
        return  # ready() may run twice in tests
    items.append(NavItem(url_name, label, order, count))
    items.sort(key=lambda i: i.order)


def nav_for_role(role: str) -> list[NavItem]:
    return list(_items.get(role, []))


def nav_items(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[dict[str, Any]] = []
    home = reverse("home")
    for item in nav_for_role(getattr(user, "role", "")):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != home and request.path.startswith(url))
        count = item.count(user) if item.count is not None else 0
        items.append({"url": url, "label": item.label, "current": current, "count": count})
    # Only the longest matching item is current (/dashboard/program/ is not also /dashboard/).
    longest = max((len(i["url"]) for i in items if i["current"]), default=0)
    for entry in items:
        entry["current"] = entry["current"] and len(entry["url"]) == longest
    return {"nav_items": items}
