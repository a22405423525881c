"""Stand-ins for the outside SMS provider (the only thing we fake)."""

import os
import time
from pathlib import Path

from django.conf import settings

from notifications.sms import BaseSmsBackend, FileSmsBackend, SmsError


class FailingSmsBackend(BaseSmsBackend):
    """The provider is down."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        raise SmsError("provider returned 503")


class SlowFileSmsBackend(FileSmsBackend):
    """Marks that a send started, then hangs (long enough for a test to kill the worker)."""

    def send(self, *, to: str, body: str, reference: str) -> None:
        Path(settings.SMS_FILE_PATH).mkdir(parents=True, exist_ok=True)
        (Path(settings.SMS_FILE_PATH) / f"started-{reference}-{os.getpid()}").write_text("")
        time.sleep(float(os.environ.get("SLOW_SMS_SECONDS", "60")))
        super().send(to=to, body=body, reference=reference)
