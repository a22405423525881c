"""Domain errors raised by services and selectors; mapped to HTTP in one place
(`common.exceptions.exception_handler`) and to messages in the HTML views."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str | Promise = "", *, field: str | None = None) -> None:
        message = str(message)  # a lazy translation, said in the language of this request
        super().__init__(message)
        self.message = message
        self.field = field

    def as_data(self) -> dict:
        if self.field:
            return {self.field: [self.message]}
        return {"detail": self.message}


class Invalid(DomainError):
    """The request is well formed but breaks a rule (400)."""


class NotAllowed(DomainError):
    """The caller can see the object but may not do this to it (403)."""

    status_code = 403


class NotVisible(DomainError):
    """The object does not exist for this caller (404): never say whether it exists."""

    status_code = 404

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message or gettext("Not found."), field=field)


class Conflict(DomainError):
    """The object's state forbids this (409): already enrolled, full, one open already."""

    status_code = 409
