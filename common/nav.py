"""The site navigation, per role. Each app registers its own items from its AppConfig.ready()
(`nav_register`), so the base names no feature; an item whose page does not exist is left out.

Counts beside items (unread messages) and badges the base template shows (unread
notifications) are scalar SQL expressions, so every one of them is read in a single query per
page, however many apps add one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Expression, Subquery
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

CountExpression = Callable[[Any], "Expression | Subquery"]


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    order: int
    # An optional count shown beside the label (unread messages): count(user) -> a scalar SQL
    # expression (an integer Subquery), read together with every other count.
    count: CountExpression | None = None


_items: dict[str, list[NavItem]] = {}
_badges: dict[str, CountExpression] = {}


def badge_register(name: str, count: CountExpression) -> None:
    """Give every signed-in page the template variable `name`: count(user), a scalar SQL
    expression, read in the page's one navigation query."""
    _badges.setdefault(name, count)


def nav_register(role: str, url_name: str, label: str | Promise, *, order: int, count: CountExpression | None = None) -> None:
    """Show `label` linking to `url_name` to people of `role`, sorted by `order` (home is 0);
    with `count`, a number beside it (hidden when 0)."""
    items = _items.setdefault(role, [])
    if any(i.url_name == url_name for i in items):
        return  # ready() may run twice in tests
    items.append(NavItem(url_name, label, order, count))
    items.sort(key=lambda i: i.order)


def nav_for_role(role: str) -> list[NavItem]:
    return list(_items.get(role, []))


def _counts(user: Any, expressions: dict[str, Expression | Subquery]) -> dict[str, int]:
    """Every count in one query: a row of the signed-in user annotated with each expression."""
    if not expressions:
        return {}
    row: Any = get_user_model()._default_manager.filter(pk=user.pk).values(**expressions).first() or {}
    return {name: int(row.get(name) or 0) for name in expressions}


def nav_items(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items: list[dict[str, Any]] = []
    home = reverse("home")
    expressions: dict[str, Expression | Subquery] = {name: count(user) for name, count in _badges.items()}
    for item in nav_for_role(getattr(user, "role", "")):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        current = request.path == url or (url != home and request.path.startswith(url))
        key = ""
        if item.count is not None:
            key = f"nav_count_{len(expressions)}"
            expressions[key] = item.count(user)
        items.append({"url": url, "label": item.label, "current": current, "count": key})
    counts = _counts(user, expressions)
    for entry in items:
        entry["count"] = counts.get(entry["count"], 0)
    # Only the longest matching item is current (/dashboard/program/ is not also /dashboard/).
    longest = max((len(i["url"]) for i in items if i["current"]), default=0)
    for entry in items:
        entry["current"] = entry["current"] and len(entry["url"]) == longest
    return {"nav_items": items, **{name: counts[name] for name in _badges}}
