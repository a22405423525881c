from django.apps import AppConfig


class DashboardConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dashboard"
    # Models: the daily rollups only (dashboard.rollups); everything else is read through selectors.

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register

        from . import signals

        signals.connect()

        nav_register("mentor", "dashboard-caseload", _("My mentees at a glance"), order=20)
        nav_register("clinician", "dashboard-caseload", _("Caseload dashboard"), order=20)
        nav_register("staff", "dashboard-program", _("Program dashboard"), order=20)
