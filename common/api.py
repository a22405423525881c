"""The one permission helper of the API: `has_role(...)` lets signed-in people of a program with
one of those roles through (others get 403, strangers 401). What a role may do to one object is
decided by the services and members.access, never here."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response


def has_role(*roles: str) -> type[BasePermission]:
    class HasRole(BasePermission):
        message = gettext_lazy("Your role cannot do this.")

        def has_permission(self, request: Request, view: Any) -> bool:
            user = request.user
            if not (user and user.is_authenticated and getattr(user, "organization_id", None)):
                return False
            return not roles or getattr(user, "role", None) in roles

    HasRole.__name__ = "HasRole_" + ("_".join(roles) or "any")
    return HasRole


InProgram = has_role()


def paginate(view: GenericAPIView, queryset: Any, serializer_class: Any, **kwargs: Any) -> Response:
    page = view.paginate_queryset(queryset)
    return view.get_paginated_response(serializer_class(page, many=True, **kwargs).data)


def validated(serializer_class: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
