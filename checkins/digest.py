"""The weekly digest to clinicians: Monday from 8 am in the clinician's time zone, counts only
(no names, no notes, no clinical free text: an email or a lock screen may be seen by others).

Counts cover the clinician's caseload (members.access.clients_visible_to) and only what the
clinician may see of each member (the same consent rules as the client record): open flags by
kind, members with no check-in on their last 3 local days, group sessions attended in the last
7 days by those who share attendance (the groups feature counts them through
checkins.providers: checkins never imports groups). Idempotent: the dedupe key is the
clinician and the ISO week of their local Monday."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext

from members.access import client_ids_seeing, clients_visible_to, record_kind
from members.choices import Role
from members.models import User
from notifications.models import Notification
from notifications.services import NotificationSpec, notifications_create_many

from .models import FlagKind
from .providers import sessions_attended_counts
from .scopes import DIGEST
from .selectors import checkin_summaries
from .services import NO_CHECKIN_DAYS, local_today

# The record kind whose sharing opens a member's attendance (registered by the groups feature).
ATTENDANCE = "attendance"

DIGEST_WEEKDAY = 0  # Monday
DIGEST_AT = time(8, 0)


def digest_dedupe_key(clinician: User, local_day: datetime) -> str:
    year, week, _ = local_day.isocalendar()
    return f"digest:{clinician.pk}:{year}-W{week:02d}"


def digest_counts(*, clinician: User, now: datetime) -> dict[str, object]:
    """The numbers in one clinician's digest (a constant number of queries)."""
    clients = list(clients_visible_to(viewer=clinician).select_related("client_profile"))
    summaries = checkin_summaries(clinician, clients)
    flags: dict[str, int] = {}
    quiet = 0
    for client in clients:
        summary = summaries.get(client.pk, {})
        for kind in set(summary.get("flags", [])):
            flags[kind] = flags.get(kind, 0) + 1
        if "checkin_streak" in summary:
            last = summary["last_checkin_date"]
            if last is None or last <= local_today(client, now) - timedelta(days=NO_CHECKIN_DAYS):
                quiet += 1
    return {
        "caseload": len(clients),
        "flags": flags,
        "no_checkin_3d": quiet,
        "sessions_attended_7d": _sessions_attended(clinician=clinician, clients=clients, since=now - timedelta(days=7)),
    }


def _sessions_attended(*, clinician: User, clients: list[User], since: datetime) -> int:
    """Sessions attended since `since` by the clients who share attendance with the clinician
    (members.access decides; the counters only count)."""
    try:
        record_kind(ATTENDANCE)
    except KeyError:
        return 0  # no feature keeps attendance records: nothing to count
    if not clients:
        return 0
    ids = client_ids_seeing(viewer=clinician, clients=clients, kind=ATTENDANCE)
    sharing = [c for c in clients if c.pk in ids]
    if not sharing:
        return 0
    return sum(sessions_attended_counts(sharing, since).values())


def _digest_body(counts: dict[str, object]) -> str:
    flags = counts["flags"]
    assert isinstance(flags, dict)
    lines = [gettext("Members on your caseload: %(n)s") % {"n": counts["caseload"]}]
    if flags:
        lines.append(gettext("Members with open flags:"))
        lines += [f"  {FlagKind(kind).label}: {n}" for kind, n in sorted(flags.items())]
    else:
        lines.append(gettext("Members with open flags: none"))
    lines.append(
        gettext("Members without a check-in in %(days)s days: %(n)s") % {"days": NO_CHECKIN_DAYS, "n": counts["no_checkin_3d"]}
    )
    lines.append(gettext("Group sessions attended in the last 7 days: %(n)s") % {"n": counts["sessions_attended_7d"]})
    return "\n".join(lines)


def weekly_digest_plan(*, now: datetime | None = None) -> int:
    """Send the digest to every clinician whose local time is Monday 8 am or later that day and
    who has not had this week's yet. One query per time zone in use finds who is due."""
    now = now or timezone.now()
    zones = (
        User.objects.filter(role=Role.CLINICIAN, is_active=True, organization__isnull=False)
        .order_by()
        .values_list("timezone", flat=True)
        .distinct()
    )
    url = reverse("client-list")
    specs = []
    for zone in sorted(set(zones)):
        local = now.astimezone(ZoneInfo(zone))
        if local.weekday() != DIGEST_WEEKDAY or local.time() < DIGEST_AT:
            continue
        year, week, _ = local.isocalendar()
        sent = Notification.objects.filter(
            recipient=OuterRef("pk"), kind=DIGEST, dedupe_key__startswith="digest:", payload__week=f"{year}-W{week:02d}"
        )
        due = User.objects.filter(role=Role.CLINICIAN, is_active=True, organization__isnull=False, timezone=zone).filter(
            ~Exists(sent)
        )
        for clinician in due:
            counts = digest_counts(clinician=clinician, now=now)
            if not counts["caseload"]:
                continue
            with translation.override(clinician.language):  # the digest in her own language
                title = gettext("Your weekly caseload digest, week of %(day)s") % {
                    "day": dateformat.format(local, gettext("F j"))
                }
                body = _digest_body(counts)
            specs.append(
                NotificationSpec(
                    recipient_id=clinician.pk,
                    kind=DIGEST,
                    title=title,
                    body=body,
                    url=url,
                    payload={"week": f"{year}-W{week:02d}", **counts},
                    dedupe_key=digest_dedupe_key(clinician, local),
                )
            )
    return len(notifications_create_many(specs, now=now))
