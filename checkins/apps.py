from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkins"

    def ready(self) -> None:
        # members never needs to know about this app: it asks the registries.
        from members.client_records import register_summary_provider
        from members.exports import register_eraser, register_exporter

        from . import export_data
        from .selectors import checkin_summaries
        from .services import checkins_erase

        register_summary_provider(checkin_summaries)
        register_exporter("checkins", export_data.checkins)
        register_exporter("assessments", export_data.assessments)
        register_exporter("risk_flags", export_data.risk_flags)
        register_eraser(checkins_erase)
