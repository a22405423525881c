"""Small query helpers shared by selectors."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Func, IntegerField, QuerySet, Subquery


def count_of(queryset: QuerySet[Any]) -> Subquery:
    """How many rows `queryset` has, as a scalar subquery (0 when none): several counts, even of
    different tables, then read in one query as annotations (an OuterRef in `queryset` ties each
    to the outer row)."""
    return Subquery(
        queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1], output_field=IntegerField()
    )
