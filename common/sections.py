"""Page sections that apps above contribute to a page of an app below (the member's home, her
progress, a program's public page), so the lower app names no feature. Each app registers a
function from its AppConfig.ready(); the page renders whatever is registered for its slot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Section = Callable[..., str]
_sections: dict[str, list[tuple[int, Section]]] = {}


def section_register(slot: str, fn: Section, *, order: int = 100) -> None:
    """fn(request, **context) -> HTML (a rendered template) or "" to show nothing. Render without
    `request=` where the section needs no form: context processors would run (and query) again."""
    entries = _sections.setdefault(slot, [])
    if all(f is not fn for _, f in entries):
        entries.append((order, fn))
        entries.sort(key=lambda pair: pair[0])


def sections_render(slot: str, request: HttpRequest, **context: Any) -> list[SafeString]:
    out = []
    for _, fn in _sections.get(slot, []):
        html = fn(request, **context)
        if html:
            out.append(mark_safe(html))  # noqa: S308 - each section is a rendered (autoescaped) template
    return out
