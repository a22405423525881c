from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.bench import plans as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Benchmark the member's home (a year of data) and the milestone planner over 100,000 members. Leaves no data behind."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--members", type=int, default=100_000)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        if engine != "postgresql":
            raise CommandError("bench_plans runs on PostgreSQL (set DATABASE_URL=postgres://…).")
        r = bench.run(members=options["members"])
        self.stdout.write(f"database: {engine}")
        self.stdout.write(
            f"home: a member with 365 check-ins, 12 BARC-10s, 6 goals x 4 steps, 10 milestones, 52 modules (30 done): "
            f"{r.home_queries} queries, p50 {r.home_p50_ms:.1f} ms over {r.home_runs} requests"
        )
        self.stdout.write(
            f"milestones: {r.members} members, {r.checkins} check-ins -> {r.planner_inserted} milestones in "
            f"{r.planner_seconds:.2f} s; second run {r.rerun_seconds:.2f} s; hourly run {r.hourly_seconds:.2f} s "
            f"({r.hourly_inserted} new); announced in-app: {r.planner_announced} (reached in the last 3 days)"
        )
        self.stdout.write(target_line("member home queries", r.home_queries, 10, "", fmt="{:.0f}"))
        self.stdout.write(target_line("member home p50", r.home_p50_ms, 40.0, "ms"))
        self.stdout.write(target_line(f"milestone planner over {r.members} members", r.planner_seconds, 10.0, "s", fmt="{:.2f}"))
