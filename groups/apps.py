from django.apps import AppConfig


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = "Recovery groups"

    def ready(self) -> None:
        # Register summary providers, exporters and erasers here (members.client_records,
        # members.exports) so members never needs to know about this app.
        from members.client_records import register_summary_provider
        from members.exports import register_eraser, register_exporter

        from . import selectors, services

        register_summary_provider(selectors.client_group_summaries)
        register_exporter("groups", selectors.member_group_export)
        register_eraser(lambda user: services.group_personal_data_erase(user=user))
