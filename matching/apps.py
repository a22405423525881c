from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matching"

    def ready(self) -> None:
        # Register summary providers, exporters and erasers here (members.client_records,
        # members.exports) so members never needs to know about this app.
        pass
