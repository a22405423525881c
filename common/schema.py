"""The OpenAPI schema documents the error answers API.md promises for every endpoint, so
generated clients and contract tests know them: 400 (`{field: [messages]}` or `{"detail": ...}`),
401, 403, 404 (anything outside the caller's view) and, where a view throttles, 429."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from rest_framework.permissions import AllowAny

ERROR_BODY: dict[str, Any] = {
    "type": "object",
    "properties": {"detail": {"description": "A message for people (a string, or a list of strings)."}},
    "additionalProperties": {"description": "Messages for one field of the request."},
}
ERRORS = {
    "400": "Validation error: `{field: [messages]}` or `{detail: message}`.",
    "401": "Not signed in.",
    "403": "Signed in, but this role may not do this.",
    "404": "Not found, or outside what the caller may see.",
    "409": "The object's state forbids this (already enrolled, full, one open already, closed).",
    "429": "Too many requests, or sign-in locked after repeated failures.",
}


class AutoSchema(BaseAutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = dict(super()._get_response_bodies(direction))
        public = all(isinstance(p, AllowAny) for p in self.view.get_permissions())
        codes = ["400", "404"] if public else ["400", "401", "403", "404"]
        if self.method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
            codes.append("409")  # API.md: a write can always meet a state conflict
        if self.view.get_throttles():
            codes.append("429")
        for code in codes:
            if code not in responses or not responses[code].get("content"):
                responses[code] = {
                    "description": ERRORS[code],
                    "content": {"application/json": {"schema": ERROR_BODY}},
                }
        return responses
