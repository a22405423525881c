from django.apps import AppConfig


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    # No models: the dashboards read the other apps' tables through their selectors.

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register

        nav_register("mentor", "dashboard-caseload", _("My mentees at a glance"), order=20)
        nav_register("clinician", "dashboard-caseload", _("Caseload dashboard"), order=20)
        nav_register("staff", "dashboard-program", _("Program dashboard"), order=20)
