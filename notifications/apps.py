from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self) -> None:
        from members.exports import register_exporter

        from .member_notices import member_notices_connect
        from .models import Notification
        from .selectors import preferences_for

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

        register_exporter("notifications", export)
        register_exporter("notification_preferences", export_preferences)
