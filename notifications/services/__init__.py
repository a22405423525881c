"""The outbox's services, one module per topic (re-exported here, so callers keep importing
`notifications.services`):

- create: `notifications_create_many` (planners: one INSERT for the rows, one for the
  deliveries) and `notification_create` (one row, the same rules);
- delivery: batch claims, one email connection per batch, retries, the dispatcher, the sweeper;
- preferences: reminder settings and quiet hours;
- unsubscribe: the signed one-click links;
- heartbeat: whether beat's planners run."""

from .create import (
    DELIVERY_BATCH,
    NotificationSpec,
    deliveries_enqueue,
    local_midnight,
    notification_create,
    notifications_create_many,
)
from .delivery import (
    backoff,
    deliveries_claim,
    deliveries_deliver,
    deliveries_dispatch_due,
    deliveries_due,
    deliveries_send,
    deliveries_sweep_stuck,
    delivery_attempt,
    email_message,
)
from .heartbeat import BEAT_SILENCE, beat_last_run, beat_status, planner_run_record
from .inbox import notification_mark_read, notifications_mark_all_read
from .preferences import (
    DEFAULT_CHANNELS,
    EXTRA_CHANNELS,
    PREFERENCE_FIELDS,
    channels_for,
    preference_get,
    preference_update,
    quiet_hours_release,
    quiet_release_at,
)
from .unsubscribe import (
    UnsubscribeError,
    UnsubscribeRequest,
    email_opt_outs,
    unsubscribe_apply,
    unsubscribe_check,
    unsubscribe_token,
    unsubscribe_undo,
    unsubscribe_url,
)

__all__ = [
    "BEAT_SILENCE",
    "DEFAULT_CHANNELS",
    "DELIVERY_BATCH",
    "EXTRA_CHANNELS",
    "PREFERENCE_FIELDS",
    "NotificationSpec",
    "UnsubscribeError",
    "UnsubscribeRequest",
    "backoff",
    "beat_last_run",
    "beat_status",
    "channels_for",
    "deliveries_claim",
    "deliveries_deliver",
    "deliveries_dispatch_due",
    "deliveries_due",
    "deliveries_enqueue",
    "deliveries_send",
    "deliveries_sweep_stuck",
    "delivery_attempt",
    "email_message",
    "email_opt_outs",
    "local_midnight",
    "notification_create",
    "notification_mark_read",
    "notifications_create_many",
    "notifications_mark_all_read",
    "planner_run_record",
    "preference_get",
    "preference_update",
    "quiet_hours_release",
    "quiet_release_at",
    "unsubscribe_apply",
    "unsubscribe_check",
    "unsubscribe_token",
    "unsubscribe_undo",
    "unsubscribe_url",
]
