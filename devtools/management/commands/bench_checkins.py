"""`manage.py bench_checkins`: requests/second of POST /api/v1/checkins/ against GET /api/v1/me/,
same gunicorn server, same wrk, same run. Run it on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import os
import shutil
import statistics

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from devtools.bench import checkins as bench
from devtools.bench.targets import target_line


class Command(BaseCommand):
    help = "Benchmark recording a check-in through the API against a trivial authenticated endpoint."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--clients", type=int, default=2000, help="members posting check-ins (random per request)")
        parser.add_argument("--seconds", type=int, default=15, help="length of each measured run")
        parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per endpoint (median is reported)")
        parser.add_argument(
            "--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1, help="gunicorn sync workers (gunicorn's 2 x cores + 1)"
        )
        parser.add_argument("--connections", type=int, default=16, help="wrk connections")
        parser.add_argument("--threads", type=int, default=2, help="wrk threads")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if shutil.which("wrk") is None:
            raise CommandError("wrk is needed: apt-get install -y wrk")
        if not settings.IS_POSTGRES:
            self.stdout.write(self.style.WARNING("Not PostgreSQL: set DATABASE_URL for the numbers that count."))
        tokens, days = bench.prepare(clients=options["clients"])
        me_script, checkin_script = bench.write_scripts(tokens, days)
        port = bench._free_port()
        server = bench.start_server(workers=options["workers"], port=port)
        url = f"http://127.0.0.1:{port}"
        db = settings.DATABASES["default"]
        self.stdout.write(
            f"database {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}; gunicorn {options['workers']} sync workers; "
            f"wrk -t{options['threads']} -c{options['connections']} -d{options['seconds']}s; "
            f"{len(tokens)} members, local days {days[-1]}..{days[0]}; cpus {os.cpu_count()}"
        )
        wrk = {"seconds": options["seconds"], "connections": options["connections"], "threads": options["threads"]}
        results: dict[str, list[bench.WrkResult]] = {"me": [], "checkin": []}
        try:
            for script in (me_script, checkin_script):  # warm up both code paths and connections
                bench.run_wrk(url=url, script=script, **{**wrk, "seconds": 3})
            for _ in range(options["rounds"]):
                results["me"].append(bench.run_wrk(url=url, script=me_script, **wrk))
                results["checkin"].append(bench.run_wrk(url=url, script=checkin_script, **wrk))
        finally:
            bench.stop_server(server)
        for n, (m, c) in enumerate(zip(results["me"], results["checkin"], strict=True), start=1):
            for label, r in (("GET  /api/v1/me/      ", m), ("POST /api/v1/checkins/", c)):
                self.stdout.write(
                    f"round {n} {label} {r.rps:8.1f} req/s {r.requests:7d} requests  p50 {r.latency:>8}  non-2xx {r.non_2xx}"
                )
            self.stdout.write(f"round {n} ratio {c.rps / m.rps if m.rps else 0:.2f}")
        self.stdout.write(f"load average after the run (1/5/15 min): {os.getloadavg()}")
        me = statistics.median(r.rps for r in results["me"])
        checkin = statistics.median(r.rps for r in results["checkin"])
        ratio = checkin / me if me else 0.0
        paired = statistics.median(c.rps / m.rps for m, c in zip(results["me"], results["checkin"], strict=True) if m.rps)
        errors = sum(r.non_2xx for rs in results.values() for r in rs)
        self.stdout.write(f"after the run: {bench.bench_org_counts()}")
        self.stdout.write(f"median GET /api/v1/me/ {me:.1f} req/s; median POST /api/v1/checkins/ {checkin:.1f} req/s")
        self.stdout.write(f"median of the per-round ratios {paired:.2f} (less sensitive to load from other processes)")
        verdict = "PASS" if ratio >= 0.5 and errors == 0 else "FAIL"
        style = self.style.SUCCESS if verdict == "PASS" else self.style.ERROR
        self.stdout.write(style(f"ratio check-in / me = {ratio:.2f} (target >= 0.50; non-2xx {errors}) {verdict}"))
        self.stdout.write(target_line("check-in POST / trivial GET throughput", ratio, 0.5, "", at_most=False, fmt="{:.2f}"))
        self.stdout.write(target_line("check-in non-2xx answers", errors, 0, "", fmt="{:.0f}"))
