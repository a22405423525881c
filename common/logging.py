"""Logs carry no secrets and no member names (L5): secret URLs (calendar feeds, password resets,
invitations, unsubscribe links) and API tokens are redacted from every record before any handler
writes it."""

from __future__ import annotations

import logging
import re

PATTERNS = [
    (re.compile(r"(/calendar/)[^/\s\"']+(\.ics)"), r"\1[redacted]\2"),
    (re.compile(r"(/reset/)[^/\s\"']+/[^/\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(/(?:invite|invitation|unsubscribe|join)/)[^\s\"']+"), r"\1[redacted]"),
    (re.compile(r"(Token\s+)[0-9a-fA-F]{20,}"), r"\1[redacted]"),
]


def redact(text: str) -> str:
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a record whose args do not format is left to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
