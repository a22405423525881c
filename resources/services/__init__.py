"""Writes of the resources app (STYLE.md), one module per topic, re-exported here:

- directory: the organization's resources, kept by staff (and the CSV import);
- referrals: a mentor or clinician refers a member; follow-ups at 30, 60 and 90 days;
- curriculum: the weekly modules (staff) and a member marking one done."""

from __future__ import annotations

from .curriculum import module_create, module_delete, module_done, module_update
from .directory import RESOURCE_FIELDS, ImportResult, resource_create, resource_update, resources_import_csv
from .referrals import (
    FOLLOW_UP_DAYS,
    follow_up_record,
    may_refer,
    referral_create,
    referral_follow_ups_plan,
    resources_erase,
)

__all__ = [
    "FOLLOW_UP_DAYS",
    "RESOURCE_FIELDS",
    "ImportResult",
    "follow_up_record",
    "may_refer",
    "module_create",
    "module_delete",
    "module_done",
    "module_update",
    "referral_create",
    "referral_follow_ups_plan",
    "resource_create",
    "resource_update",
    "resources_erase",
    "resources_import_csv",
]
