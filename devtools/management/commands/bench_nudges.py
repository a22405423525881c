from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.bench import nudges as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Plan check-in nudges for 10,000 and 100,000 due members, then re-run. Leaves no data behind."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--members", type=int, nargs="+", default=[10_000, 100_000])

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        self.stdout.write(f"database: {engine}")
        results = [bench.run(members=n) for n in options["members"]]
        for r in results:
            self.stdout.write(
                f"nudges: {r.members} due members -> {r.created} notifications + {r.deliveries} deliveries in "
                f"{r.plan_seconds:.2f} s ({r.plan_queries} queries); re-run created {r.rerun_created} in {r.rerun_seconds:.2f} s"
            )
        for r in results:
            goal = 5.0  # <= 5 s at 100,000 (the 10,000 line shows how it grows)
            self.stdout.write(target_line(f"plan nudges for {r.members} members", r.plan_seconds, goal, "s", fmt="{:.2f}"))
            self.stdout.write(target_line(f"re-run for {r.members} members creates 0", r.rerun_created, 0, "", fmt="{:.0f}"))
            self.stdout.write(target_line(f"re-run for {r.members} members", r.rerun_seconds, 1.0, "s", fmt="{:.2f}"))
