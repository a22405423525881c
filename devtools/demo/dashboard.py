"""seed_demo's last step: the dashboards read daily rollups, so rebuild them from everything the
other builders wrote (some of it with bulk inserts that bypass the rollups' signals)."""

from __future__ import annotations

from dashboard.models import ActiveSpan, ProgramDay
from dashboard.rollups import rollups_rebuild
from members.models import Organization

from .members import DEMO_SLUG


def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None:
        return {}
    rows = rollups_rebuild(organization_id=org.pk)
    return {
        "member days": rows,
        "program days": ProgramDay.objects.filter(organization=org).count(),
        "active spans": ActiveSpan.objects.filter(organization=org).count(),
    }
