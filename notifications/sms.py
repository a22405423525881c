"""SMS goes through a pluggable backend (settings.SMS_BACKEND). Kinship ships a console and a
file backend; a production deployment adds its provider's backend with the same interface."""

from __future__ import annotations

import json
import logging
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or failed; the outbox retries."""


class BaseSmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> None:
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    def send(self, *, to: str, body: str, reference: str) -> None:
        log.info("SMS to %s [%s]: %s", to, reference, body)
        print(f"--- SMS to {to} [{reference}] ---\n{body}\n", flush=True)


class FileSmsBackend(BaseSmsBackend):
    """Writes one JSON file per message into SMS_FILE_PATH (for development and tests)."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        record = {"to": to, "body": body, "reference": reference, "at": timezone.now().isoformat(), "pid": os.getpid()}
        tmp = folder / f".{uuid.uuid4().hex}.tmp"
        tmp.write_text(json.dumps(record))
        tmp.rename(folder / f"{uuid.uuid4().hex}.json")


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()
