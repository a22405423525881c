import contextlib

from django.apps import AppConfig


def _heartbeat_connect() -> None:
    """Each beat-scheduled task records its start in a worker (the `beat` line of /healthz)."""
    from celery import current_app
    from celery.signals import task_prerun

    from common.health import health_check_register

    from .services.heartbeat import beat_status, planner_run_record

    def on_prerun(sender=None, task=None, **_):  # type: ignore[no-untyped-def]
        name = getattr(task, "name", "")
        scheduled = {entry.get("task") for entry in (current_app.conf.beat_schedule or {}).values()}
        if name in scheduled:
            with contextlib.suppress(Exception):  # a heartbeat must never stop the planner itself
                planner_run_record(task=name)

    task_prerun.connect(on_prerun, weak=False, dispatch_uid="notifications-heartbeat")
    health_check_register("beat", beat_status)


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self) -> None:
        from common.nav import badge_register
        from common.sql import count_of
        from members.exports import register_exporter

        from .member_notices import member_notices_connect
        from .models import Notification
        from .selectors import preferences_for, unread_notifications

        badge_register("unread_notifications", lambda user: count_of(unread_notifications(user=user)))

        # members' invitations and vetting notices (members cannot import notifications).
        member_notices_connect()

        def export(user):  # type: ignore[no-untyped-def]
            return [
                {
                    "id": n.pk,
                    "kind": n.kind,
                    "title": n.title,
                    "body": n.body,
                    "created_at": n.created_at.isoformat(),
                    "url": n.url,
                    "read": n.read_at is not None,
                    "read_at": n.read_at.isoformat() if n.read_at else None,
                }
                for n in Notification.objects.filter(recipient=user).order_by("created_at")
            ]

        def export_preferences(user):  # type: ignore[no-untyped-def]
            pref = preferences_for(user=user)
            if pref is None:
                return None
            return {
                "channels": pref.channels,
                "checkin_time": pref.checkin_time.strftime("%H:%M") if pref.checkin_time else None,
                "checkin_days": pref.checkin_days,
                "quiet_start": pref.quiet_start.strftime("%H:%M") if pref.quiet_start else None,
                "quiet_end": pref.quiet_end.strftime("%H:%M") if pref.quiet_end else None,
                "group_reminders": pref.group_reminders,
            }

        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register

        nav_register("staff", "ops-outbox", _("Outbox"), order=80)
        _heartbeat_connect()
        register_exporter("notifications", export)
        register_exporter("notification_preferences", export_preferences)
