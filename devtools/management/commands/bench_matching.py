"""Benchmark matching on synthetic programs (run on PostgreSQL with DATABASE_URL set).

python manage.py bench_matching --clients 10000 --mentors 2000 --capacity 5
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from devtools.bench import matching as bench


class Command(BaseCommand):
    help = "Time the batch run (load, score, solve, write), the solver, peak memory, and suggestions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clients", type=int, default=10_000)
        parser.add_argument("--mentors", type=int, default=2_000)
        parser.add_argument("--capacity", type=int, default=5)
        parser.add_argument(
            "--suggest-mentors", type=int, default=5_000, help="approved mentors for the suggestions timing (0 skips)"
        )
        parser.add_argument("--repeat", type=int, default=200, help="suggestion calls to time")
        parser.add_argument("--no-full-graph", action="store_true", help="skip the full-graph comparison solve")
        parser.add_argument("--no-dry-runs", action="store_true", help="only the propose-all run (for very large programs)")

    def handle(self, *args: Any, **opts: Any) -> None:
        log = self.stdout.write
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        log(f"bench_matching on {engine}, cache {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
        log(f"batch: {opts['clients']:,} clients × {opts['mentors']:,} mentors, capacity {opts['capacity']}")
        bench.batch_benchmark(
            clients=opts["clients"],
            mentors=opts["mentors"],
            capacity=opts["capacity"],
            compare_full=not opts["no_full_graph"],
            log=log,
            dry_runs=not opts["no_dry_runs"],
        )
        if opts["suggest_mentors"]:
            bench.suggestions_benchmark(mentors=opts["suggest_mentors"], repeat=opts["repeat"], log=log)
