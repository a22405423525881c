from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class Pagination(PageNumberPagination):
    """`{"results": [...], "next": url|null, "previous": url|null, "count": n}`.

    Page-number pagination: `?page=N` (from 1) and `?page_size=` up to 200 (default 50).
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response(self, data):  # type: ignore[no-untyped-def]
        return Response(
            {
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "count": self.page.paginator.count,
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
