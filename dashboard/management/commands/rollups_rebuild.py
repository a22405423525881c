"""`manage.py rollups_rebuild [--org SLUG]`: recompute the dashboard rollups from the source tables."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dashboard.rollups import rollups_rebuild
from members.models import Organization


class Command(BaseCommand):
    help = "Recompute the daily rollups the dashboards read (all organizations, or one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--org", help="organization slug (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        org_id = None
        if options["org"]:
            org = Organization.objects.filter(slug=options["org"]).first()
            if org is None:
                raise CommandError(f"No organization {options['org']!r}.")
            org_id = org.pk
        started = time.perf_counter()
        n = rollups_rebuild(organization_id=org_id)
        self.stdout.write(f"{n} rollup rows in {time.perf_counter() - started:.1f}s")
