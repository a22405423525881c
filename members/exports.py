"""What "all of my data" means, app by app. Each app registers an exporter (and, if it holds
personal data, an eraser) in its AppConfig.ready(), so /me/export/ and erasure stay complete as
apps are added without members knowing about them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import User

# 42 CFR § 2.32: every disclosure of Part 2 records carries the prohibition on redisclosure.
# Exports put it at the top of the JSON (`redisclosure_notice`), as the first comment line of a
# CSV, and in the footer of printed pages.
REDISCLOSURE_NOTICE = (
    "This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). "
    "These rules prohibit you from using or disclosing this record, or testimony that describes the information "
    "contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, "
    "State, or local authority, against the patient, unless authorized by the consent of the patient, except as "
    "provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, "
    "the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of "
    "the following applies: (1) further use or disclosure is expressly permitted by the written consent of the "
    "individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2; "
    "(2) you are a covered entity or business associate and have received the record for treatment, payment, or "
    "health care operations; or (3) you have received the record from a covered entity or business associate as "
    "permitted by 45 CFR part 164, subparts A and E. A general authorization for the release of medical or other "
    "information is NOT sufficient to meet the required elements of written consent to further use or redisclose "
    "the record (see 42 CFR 2.31)."
)


def csv_notice_line() -> str:
    """The first line of every CSV export: the notice as a comment."""
    return "# " + REDISCLOSURE_NOTICE


_exporters: dict[str, Callable[[User], Any]] = {}
_erasers: list[Callable[[User], None]] = []


def register_exporter(name: str, fn: Callable[[User], Any]) -> None:
    _exporters[name] = fn


def register_eraser(fn: Callable[[User], None]) -> None:
    _erasers.append(fn)


def export_everything(user: User) -> dict[str, Any]:
    return {"redisclosure_notice": REDISCLOSURE_NOTICE, **{name: fn(user) for name, fn in sorted(_exporters.items())}}


def erase_everywhere(user: User) -> None:
    for fn in _erasers:
        fn(user)


# --- the readable version (/account/data/) ------------------------------------------------------


SECTION_TITLES = {
    "access_log": _("Who read my records"),
    "account": _("My account"),
    "assessments": _("Questionnaires"),
    "audit": _("Changes to my records"),
    "care_team": _("My care team"),
    "checkins": _("Check-ins"),
    "consents": _("What I share, and with whom"),
    "notification_preferences": _("Reminder settings"),
    "risk_flags": _("Flags for my care team"),
}


def _title(key: str) -> str:
    return str(SECTION_TITLES.get(key) or key.replace("_", " ").strip().capitalize())


def _cell(value: Any) -> str:
    """One value as plain text: lists joined, empty as a dash, nested records compact."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{_title(str(k))}: {_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " | ".join(_cell(v) for v in value)
    return str(value)


def readable_sections(data: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """The export as sections a person can read: a table for each list of records, a list of
    fields for each record, a sentence for each single value. Nested groups become their own
    sections ("Groups › Enrollments")."""
    sections: list[dict[str, Any]] = []
    for key, value in data.items():
        title = f"{prefix}{_title(key)}"
        if isinstance(value, dict) and value and all(isinstance(v, (list, dict)) for v in value.values()):
            sections += readable_sections(value, prefix=f"{title} › ")
        elif isinstance(value, dict):
            sections.append({"title": title, "fields": [(_title(str(k)), _cell(v)) for k, v in value.items()]})
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            columns = list(dict.fromkeys(k for row in value for k in row))
            rows = [[_cell(row.get(c)) for c in columns] for row in value]
            sections.append({"title": title, "columns": [_title(c) for c in columns], "rows": rows})
        else:
            sections.append({"title": title, "text": _cell(value)})
    return sections
