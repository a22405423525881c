from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"

    def ready(self) -> None:
        from members.exports import register_exporter

        from .models import Notification

        def export(user):  # type: ignore[no-untyped-def]
            return [
                {
                    "kind": n.kind,
                    "title": n.title,
                    "body": n.body,
                    "created_at": n.created_at.isoformat(),
                    "read": n.read_at is not None,
                }
                for n in Notification.objects.filter(recipient=user).order_by("created_at")
            ]

        register_exporter("notifications", export)
