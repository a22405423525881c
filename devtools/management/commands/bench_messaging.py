"""`manage.py bench_messaging`: conversations at size (issue 9). 2,000 members, 400 mentors,
1,000,000 messages; the conversation list (<= 4 queries whatever the size, p50 <= 30 ms), a page
of 50 messages (p50 <= 20 ms), posting (p50 <= 25 ms server time); live through a real daphne
process on the Redis channel layer: post → frame on the other participant's socket (p50 <= 100
ms, p99 <= 500 ms), 1,000 idle sockets in one ASGI process (RSS growth <= 200 MB). Run it on
PostgreSQL with REDIS_URL set; the data is committed under its own organization (`--reuse`
keeps it between runs)."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.bench import messaging as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Benchmark conversations: lists, pages, posting, live delivery and idle sockets."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--members", type=int, default=2000)
        parser.add_argument("--mentors", type=int, default=400)
        parser.add_argument("--messages", type=int, default=1_000_000)
        parser.add_argument("--runs", type=int, default=30, help="timed runs per in-process figure (median reported)")
        parser.add_argument("--sockets", type=int, default=1000)
        parser.add_argument("--posts", type=int, default=200, help="live posts timed to the other socket")
        parser.add_argument("--port", type=int, default=8621, help="the daphne process's port")
        parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run of the same size")
        parser.add_argument("--no-live", action="store_true", help="skip daphne (no live or socket figures)")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        db = settings.DATABASES["default"]
        engine = db["ENGINE"].rsplit(".", 1)[-1]
        if engine != "postgresql":
            raise CommandError("bench_messaging builds its data with generate_series: set DATABASE_URL to PostgreSQL.")
        live = not options["no_live"]
        if live and not settings.CHANNEL_LAYERS["default"]["BACKEND"].startswith("channels_redis"):
            raise CommandError("The live figures need the Redis channel layer: set REDIS_URL (or pass --no-live).")
        if live:
            bench.fresh_channel_prefix()
        org = bench.existing(members=options["members"], messages=options["messages"]) if options["reuse"] else None
        if org is None:
            t0 = time.perf_counter()
            org = bench.build(members=options["members"], mentors=options["mentors"], messages=options["messages"])
            self.stdout.write(f"built in {time.perf_counter() - t0:.1f} s")
        self.stdout.write(f"database {engine} {db.get('NAME')}; data: {bench.counts(org)}")

        timings = bench.timings(org, runs=options["runs"])
        for t in timings:
            self.stdout.write(
                f"{t.label:<52} median {t.median_ms:7.1f} ms  min {min(t.runs_ms):7.1f}  max {max(t.runs_ms):7.1f}  queries {t.queries:3d}"
            )
        lists = [t for t in timings if t.label.startswith("conversation list")]
        pages = [t for t in timings if t.label.startswith("messages:")]
        post = next(t for t in timings if t.label.startswith("post"))
        self.stdout.write(
            target_line("conversation list queries (largest of 3 viewers)", max(t.queries for t in lists), 4, "", fmt="{:.0f}")
        )
        self.stdout.write(target_line("conversation list p50 (slowest viewer)", max(t.median_ms for t in lists), 30.0, "ms"))
        self.stdout.write(target_line("page of 50 messages p50 (slower page)", max(t.median_ms for t in pages), 20.0, "ms"))
        self.stdout.write(target_line("post a message p50 (server time)", post.median_ms, 25.0, "ms"))
        if not live:
            return
        result = bench.live(org, port=options["port"], sockets=options["sockets"], posts=options["posts"])
        lat = bench.Timing("live", result.latencies_ms)
        self.stdout.write(
            f"live: {result.sockets} sockets open ({result.refused} refused); daphne RSS {result.rss_before_mb:.1f} MB → "
            f"{result.rss_after_mb:.1f} MB; {len(lat.runs_ms)} posts, min {min(lat.runs_ms):.1f} ms, max {max(lat.runs_ms):.1f} ms"
        )
        self.stdout.write(target_line("live post → frame on the other socket p50", lat.median_ms, 100.0, "ms"))
        self.stdout.write(target_line("live post → frame on the other socket p99", lat.pct(99), 500.0, "ms"))
        self.stdout.write(
            target_line(
                f"idle sockets held ({options['sockets']} asked)",
                result.sockets,
                options["sockets"],
                "",
                at_most=False,
                fmt="{:.0f}",
            )
        )
        self.stdout.write(target_line(f"daphne RSS growth for {result.sockets} idle sockets", result.rss_growth_mb, 200.0, "MB"))
