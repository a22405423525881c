"""`manage.py bench_family`: the family home of a family member who supports 3 members with a
year of data (issue 10: <= 8 queries, p50 <= 50 ms). Run it on PostgreSQL (DATABASE_URL); the
data is built in a transaction that is rolled back."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.bench import family as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Benchmark the family home (3 supported members, a year of data)."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--members", type=int, default=3)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--runs", type=int, default=25, help="timed runs (median reported)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        db = settings.DATABASES["default"]
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine != "postgresql":
            self.stdout.write(self.style.WARNING("Not PostgreSQL: set DATABASE_URL for the numbers that count."))
        counts, timings = bench.run(members=options["members"], days=options["days"], runs=options["runs"])
        self.stdout.write(f"database {engine} {db.get('NAME')}; data: {counts}")
        for t in timings:
            self.stdout.write(
                f"{t.label:<48} median {t.median_ms:7.1f} ms  min {min(t.runs_ms):7.1f}  max {max(t.runs_ms):7.1f}  queries {t.queries:3d}"
            )
        page = timings[0]
        self.stdout.write(
            f"family home page: {page.queries} queries in all, {page.queries - page.own_queries} of them what every "
            "signed-in page reads (session, user, inbox badge)"
        )
        self.stdout.write(
            target_line("family home queries (all, session and inbox badge included)", page.queries, 8, "", fmt="{:.0f}")
        )
        self.stdout.write(target_line("family home p50", page.median_ms, 50.0, "ms"))
