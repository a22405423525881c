from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class Pagination(PageNumberPagination):
    """`{"results": [...], "next": url|null, "previous": url|null, "count": n}`.

    Page-number pagination: `?page=N` (from 1) and `?page_size=` up to 200 (default 50).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):  # type: ignore[no-untyped-def]
        # DRF quietly falls back to the default for `?page_size=abc`; the schema says integer.
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Must be a whole number from 1 to %(max)s.") % {"max": self.max_page_size}]}
            )
        return min(size, self.max_page_size)

    def get_paginated_response(self, data):  # type: ignore[no-untyped-def]
        return Response(
            {
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "count": self.page.paginator.count if self.page is not None else 0,
            }
        )

    def get_paginated_response_schema(self, schema):  # type: ignore[no-untyped-def]
        return {
            "type": "object",
            "required": ["results", "next"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "count": {"type": "integer"},
            },
        }
