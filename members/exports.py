"""What "all of my data" means, app by app. Each app registers an exporter (and, if it holds
personal data, an eraser) in its AppConfig.ready(), so /me/export/ and erasure stay complete as
apps are added without members knowing about them."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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
