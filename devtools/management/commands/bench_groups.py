from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.bench import groups as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Benchmark session materialization (1,000 groups x 90 days) and a 40-member roster. Leaves no data behind."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--groups", type=int, default=1000)
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        r = bench.run(groups=options["groups"], days=options["days"])
        self.stdout.write(f"database: {engine}")
        self.stdout.write(
            f"materialize: {r.groups} groups x {r.days} days -> {r.sessions} sessions in {r.materialize_seconds:.2f} s "
            f"(target <= 5 s); next run (nothing to add) {r.rerun_seconds:.2f} s"
        )
        self.stdout.write(
            f"roster: {r.roster_members} members, {r.roster_attendance_rows} attendance rows over 12 weeks -> "
            f"{r.roster_queries} queries in {r.roster_seconds * 1000:.1f} ms"
        )
        self.stdout.write(
            target_line(f"materialize {r.groups} groups x {r.days} days", r.materialize_seconds, 5.0, "s", fmt="{:.2f}")
        )
        self.stdout.write(target_line("roster of 40 queries", r.roster_queries, 6, "", fmt="{:.0f}"))
