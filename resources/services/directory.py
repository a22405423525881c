"""The directory: staff add, change and import resources; every write is validated here, so
the API, the page and the CSV import share one rule for URLs, phone numbers and languages."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import Invalid, NotAllowed, NotVisible
from members.choices import Role
from members.models import User
from members.services import audit_record

from ..models import Category, Resource

RESOURCE_FIELDS = ("name", "category", "description", "phone", "url", "address", "languages", "hours", "public", "active")
MAX_LENGTHS = {"name": 200, "description": 2000, "address": 300, "hours": 200}
PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-]+$")
LANGUAGE = re.compile(r"^[a-z]{2}$")
IMPORT_MAX_ROWS = 2000


def phone_clean(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(_("A phone number is text, like 312-555-0100."), field="phone")
    value = value.strip()
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    # 3 digits: 211, 988 and 911 are real resources; otherwise a full number.
    if not PHONE_CHARS.match(value) or not (len(digits) == 3 or 7 <= len(digits) <= 15):
        raise Invalid(_("Give a phone number people can dial, like 312-555-0100 or 211."), field="phone")
    return value


def _clean_url(value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid(_("A link is text, like https://example.org."), field="url")
    value = value.strip()
    if not value:
        return ""
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value or len(value) > 500:
        raise Invalid(_("Give a web address that starts with https:// (or http://)."), field="url")
    return value


def _clean_languages(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [v.strip() for v in re.split(r"[,; ]+", value) if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid(_("Languages are a list of two-letter codes, like en, es."), field="languages")
    out = list(dict.fromkeys(v.strip().lower() for v in value))
    if any(not LANGUAGE.match(v) for v in out) or len(out) > 20:
        raise Invalid(_("Languages are two-letter codes (ISO 639-1), like en, es."), field="languages")
    return out


def _clean(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in RESOURCE_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "phone":
            values[name] = phone_clean(value)
        elif name == "url":
            values[name] = _clean_url(value)
        elif name == "languages":
            values[name] = _clean_languages(value)
        elif name == "category":
            if value not in Category.values:
                raise Invalid(_("Choose a category: %(choices)s.") % {"choices": ", ".join(Category.values)}, field="category")
            values[name] = value
        elif name in ("public", "active"):
            if not isinstance(value, bool):
                raise Invalid(_("Must be true or false."), field=name)
            values[name] = value
        else:
            if not isinstance(value, str):
                raise Invalid(_("Must be text."), field=name)
            value = value.strip()
            if len(value) > MAX_LENGTHS[name]:
                raise Invalid(_("Keep it to %(limit)s characters.") % {"limit": MAX_LENGTHS[name]}, field=name)
            values[name] = value
    if not partial:
        for required in ("name", "category"):
            if not values.get(required):
                raise Invalid(_("This field is required."), field=required)
    elif "name" in values and not values["name"]:
        raise Invalid(_("A resource needs a name."), field="name")
    return values


def _require_staff(actor: User) -> None:
    if actor.role != Role.STAFF:
        raise NotAllowed(_("Program staff keep the directory."))


@transaction.atomic
def resource_create(*, actor: User, data: dict[str, Any]) -> Resource:
    _require_staff(actor)
    values = _clean(data, partial=False)
    resource = Resource.objects.create(organization_id=actor.org_id, **values)
    audit_record(actor=actor, action="resource.create", target=resource, organization_id=actor.org_id)
    return resource


@transaction.atomic
def resource_update(*, actor: User, resource: Resource, data: dict[str, Any]) -> Resource:
    """Only staff of the resource's own organization change it: anyone else's program's resource
    does not exist for them (404); someone of its program who is not staff gets 403."""
    if resource.organization_id != actor.org_id:
        raise NotVisible()
    _require_staff(actor)
    values = _clean(data, partial=True)
    for name, value in values.items():
        setattr(resource, name, value)
    resource.updated_at = timezone.now()
    resource.save()
    audit_record(
        actor=actor, action="resource.update", target=resource, organization_id=actor.org_id, changes={"fields": sorted(values)}
    )
    return resource


@dataclass
class ImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)


CSV_TRUE = {"yes", "true", "1", "y", "public"}


@transaction.atomic
def resources_import_csv(*, actor: User, text: str) -> ImportResult:
    """A CSV with a header row (name, category, description, phone, url, address, languages,
    hours, public). All or nothing: one bad row and nothing is imported, every problem named by
    its line."""
    _require_staff(actor)
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text))
    headers = {h.strip().lower() for h in (reader.fieldnames or [])}
    if not {"name", "category"} <= headers:
        raise Invalid(_("The first line must name the columns, with at least name and category."), field="file")
    rows: list[dict[str, Any]] = []
    for line, raw in enumerate(reader, start=2):
        if line > IMPORT_MAX_ROWS + 1:
            raise Invalid(_("Import at most %(max)s resources at a time.") % {"max": IMPORT_MAX_ROWS}, field="file")
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        data: dict[str, Any] = {k: row[k] for k in RESOURCE_FIELDS if k in row and k not in ("public", "active")}
        if "public" in row:
            data["public"] = row["public"].lower() in CSV_TRUE
        data["category"] = data.get("category", "").lower()
        try:
            rows.append(_clean(data, partial=False))
        except Invalid as exc:
            result.errors.append(f"Line {line}, {exc.field or 'row'}: {exc.message}")
    if result.errors:
        transaction.set_rollback(True)
        return result
    Resource.objects.bulk_create([Resource(organization_id=actor.org_id, **values) for values in rows])
    result.created = len(rows)
    audit_record(
        actor=actor, action="resource.import", target=actor, organization_id=actor.org_id, changes={"created": len(rows)}
    )
    return result
