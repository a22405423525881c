"""One exception handler for the API: domain errors, Django validation errors and database
errors caused by input become 4xx with a uniform shape; nothing the client sends is a 500."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import Throttled, UnsupportedMediaType
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError

log = logging.getLogger(__name__)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(exc.as_data(), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, (DataError, OverflowError)):
        # Values the database cannot hold (a 30-digit id, a string PostgreSQL rejects).
        log.info("input rejected by the database: %s", exc)
        return Response({"detail": "A value in the request is out of range."}, status=400)
    if isinstance(exc, Http404):
        return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, UnsupportedMediaType):
        return Response({"detail": _("Send the body as JSON (Content-Type: application/json).")}, status=400)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, Throttled) and response is not None:
        response.data = {"detail": _("Too many requests. Please wait and try again.")}
    return response


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown /api/ paths answer in JSON. A path missing only its trailing slash is named
    (instead of a redirect that would drop a POST body)."""
    body = {"detail": _("Not found.")}
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            body["detail"] = _("Not found. Did you mean %(path)s/ (with a trailing slash)?") % {"path": request.path}
    return JsonResponse(body, status=404)
