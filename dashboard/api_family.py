"""GET /api/v1/family/shared/ (API.md "Family members' own recovery"): thin, over
dashboard.selectors.family (the family home page calls the same)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import has_role
from members.choices import Role

from .selectors.family import family_shared


class FamilySharedApi(APIView):
    permission_classes = [has_role(Role.FAMILY)]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        summary="Each member who shares with me: `[{client: {id, display_name}, scopes, summary}]`",
        description=(
            "The summary holds only what the member's scopes allow (`checkins` with checkin_summary or "
            "checkin_detail, `attendance`, `test_results`, `plan` progress counts), each with `plain` sentences. Every read is written "
            "to the member's access log."
        ),
    )
    def get(self, request: Request) -> Response:
        rows = family_shared(viewer=request.user)  # type: ignore[arg-type]
        return Response([{"client": r["client"], "scopes": r["scopes"], "summary": r["summary"]} for r in rows])
