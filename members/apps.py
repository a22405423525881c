from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self) -> None:
        from . import export_data
        from .exports import register_exporter

        register_exporter("account", export_data.account)
        register_exporter("profile", export_data.profile)
        register_exporter("care_team", export_data.care_team)
        register_exporter("consents", export_data.consents)
        register_exporter("access_log", export_data.access_log)
        register_exporter("audit", export_data.audit)
