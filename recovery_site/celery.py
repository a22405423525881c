"""The Celery app and the beat schedule.

The schedule lives here, in code, so every deployment runs the same planners; beat
(`django_celery_beat`'s DatabaseScheduler) syncs it into the database on start. Planners are
idempotent (unique dedupe keys, conditional updates), so a second beat costs nothing but work.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_site.settings")

app = Celery("recovery_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from checkins.beat import SCHEDULE as CHECKINS_SCHEDULE  # noqa: E402
from dashboard.beat import SCHEDULE as DASHBOARD_SCHEDULE  # noqa: E402
from groups.beat import SCHEDULE as GROUPS_SCHEDULE  # noqa: E402
from matching.beat import SCHEDULE as MATCHING_SCHEDULE  # noqa: E402
from plans.beat import SCHEDULE as PLANS_SCHEDULE  # noqa: E402
from resources.beat import SCHEDULE as RESOURCES_SCHEDULE  # noqa: E402

app.conf.beat_schedule = {
    # Deliver what is due (new rows whose enqueue was lost, retries whose backoff elapsed,
    # messages held back by quiet hours).
    "notifications-dispatch-due": {
        "task": "notifications.tasks.deliveries_dispatch_due",
        "schedule": 30.0,
    },
    # A worker that died mid-send leaves its row in `sending`: put it back in the queue.
    "notifications-sweep-stuck": {
        "task": "notifications.tasks.deliveries_sweep_stuck",
        "schedule": 60.0,
    },
    # Erase accounts whose grace period after deletion has passed.
    "members-erase-due": {
        "task": "members.tasks.accounts_erase_due",
        "schedule": 3600.0,
    },
}
# Each feature app's planners (reminders, nudges, expiries) live beside its code.
app.conf.beat_schedule.update(GROUPS_SCHEDULE)
app.conf.beat_schedule.update(CHECKINS_SCHEDULE)
app.conf.beat_schedule.update(MATCHING_SCHEDULE)
app.conf.beat_schedule.update(DASHBOARD_SCHEDULE)
app.conf.beat_schedule.update(PLANS_SCHEDULE)
app.conf.beat_schedule.update(RESOURCES_SCHEDULE)
