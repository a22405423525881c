"""L5: calendar tokens and other secret URLs never reach the logs."""

import logging

import pytest

from common.logging import RedactSecretsFilter, redact


@pytest.mark.parametrize(
    ("raw", "secret"),
    [
        ("Not Found: /calendar/Zq3xk8Yt2LmNoPQ.ics", "Zq3xk8Yt2LmNoPQ"),
        ('"GET /reset/MTI/c9x-2f1e8c6b7a/ HTTP/1.1" 200', "c9x-2f1e8c6b7a"),
        ("Authorization: Token 0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567"),
    ],
)
def test_secrets_are_redacted(raw, secret):
    assert secret not in redact(raw) and "[redacted]" in redact(raw)


def test_the_filter_rewrites_formatted_records():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/calendar/abcDEF123456.ics",), None
    )
    assert RedactSecretsFilter().filter(record) is True
    assert "abcDEF123456" not in record.getMessage()


def test_the_console_handler_of_the_settings_redacts():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact"]
    handler = next(
        h
        for h in logging.getLogger().handlers
        if getattr(h, "filters", None) and any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    )
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/calendar/abcDEF123456.ics",), None
    )
    assert all(f.filter(record) for f in handler.filters)
    assert "abcDEF123456" not in record.getMessage()
