"""Benchmark of recording a check-in through the API against a trivial authenticated DRF
endpoint (GET /api/v1/me/), same run, same gunicorn server, same load tool (wrk).

Each check-in request is a random member of a benchmark organization posting a random mood and
craving for a random local day of the last week (the API allows 7 days back), so the run mixes
first check-ins of a day (INSERT, 201) with updates (200), and the streak and risk rules run
on every request, as in production."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from checkins.models import Assessment, CheckIn, RiskFlag
from checkins.services import BACKFILL_DAYS, local_today
from members.choices import Role
from members.models import ClientProfile, Organization, User
from members.tokens import token_issue

BENCH_SLUG = "bench-checkins"
ROOT = Path(settings.BASE_DIR)


@dataclass
class WrkResult:
    rps: float
    requests: int
    non_2xx: int
    latency: str


@transaction.atomic
def prepare(*, clients: int) -> tuple[list[str], list[str]]:
    """The benchmark organization with `clients` members and tokens; their check-ins emptied."""
    org, _ = Organization.objects.get_or_create(
        slug=BENCH_SLUG, defaults={"name": "Benchmark program", "timezone": "America/Chicago"}
    )
    existing = User.objects.filter(organization=org, role=Role.CLIENT).count()
    if existing < clients:
        password = make_password(None)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench-{org.pk}-{n}@bench.kinship.test",
                    display_name=f"Bench member {n}",
                    role=Role.CLIENT,
                    organization=org,
                    timezone="America/Chicago",
                    password=password,
                )
                for n in range(existing, clients)
            ]
        )
        ClientProfile.objects.bulk_create([ClientProfile(user=u, organization=org) for u in users])
    members = list(User.objects.filter(organization=org, role=Role.CLIENT).order_by("pk")[:clients])
    for model in (CheckIn, Assessment, RiskFlag):
        model.objects.filter(organization=org).delete()
    tokens = [token_issue(user=u).key for u in members]  # the real sign-in tokens, with their expiry
    today = local_today(members[0])
    # Today and the 6 days before: still within the 7 days back if the local day turns over mid-run.
    days = [(today - timedelta(days=back)).isoformat() for back in range(BACKFILL_DAYS)]
    return tokens, days


def _lua(tokens: list[str], days: list[str], *, checkin: bool) -> str:
    head = "tokens = " + json.dumps(tokens).replace("[", "{").replace("]", "}") + "\n"
    head += "days = " + json.dumps(days).replace("[", "{").replace("]", "}") + "\n"
    head += "math.randomseed(os.time())\n"
    if checkin:
        return head + (
            "request = function()\n"
            '  local body = string.format(\'{"mood":%d,"craving":%d,"used":"%s","connected":true,'
            '"note":"bench","need_support":false,"date":"%s"}\',\n'
            "    math.random(1, 5), math.random(0, 10), ({'no', 'yes', 'skip'})[math.random(1, 3)], days[math.random(#days)])\n"
            "  return wrk.format('POST', '/api/v1/checkins/', {['Authorization'] = 'Token ' .. tokens[math.random(#tokens)],"
            " ['Content-Type'] = 'application/json'}, body)\n"
            "end\n"
        )
    return head + (
        "request = function()\n"
        "  return wrk.format('GET', '/api/v1/me/', {['Authorization'] = 'Token ' .. tokens[math.random(#tokens)]})\n"
        "end\n"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(*, workers: int, port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-secret-key-not-for-production-000000000000",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CONN_MAX_AGE="600",
        # TLS ends at the proxy in production; here wrk talks plain HTTP to gunicorn.
        SECURE_SSL_REDIRECT="0",
    )
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "gunicorn", "recovery_site.wsgi:application", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError("gunicorn did not start")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def run_wrk(*, url: str, script: Path, seconds: int, connections: int, threads: int) -> WrkResult:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(script), url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603 - fixed arguments
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    non_2xx_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = re.search(r"Latency\s+(\S+)", out)
    return WrkResult(
        rps=rps,
        requests=requests,
        non_2xx=int(non_2xx_match.group(1)) if non_2xx_match else 0,
        latency=latency.group(1) if latency else "?",
    )


def write_scripts(tokens: list[str], days: list[str]) -> tuple[Path, Path]:
    folder = Path(tempfile.mkdtemp(prefix="bench-checkins-"))
    me, checkin = folder / "me.lua", folder / "checkin.lua"
    me.write_text(_lua(tokens, days, checkin=False))
    checkin.write_text(_lua(tokens, days, checkin=True))
    return me, checkin


def bench_org_counts() -> dict[str, int]:
    org = Organization.objects.get(slug=BENCH_SLUG)
    return {
        "check-in rows": CheckIn.objects.filter(organization=org).count(),
        "open risk flags": RiskFlag.objects.filter(organization=org, resolved_at__isnull=True).count(),
    }
