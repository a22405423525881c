from django.apps import AppConfig


class MembersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "members"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from .lockout import address_failure_record
        from .middleware import session_mark_sign_in

        user_logged_in.connect(session_mark_sign_in, dispatch_uid="members-session-sign-in")
        user_login_failed.connect(address_failure_record, dispatch_uid="members-address-failures")
        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register

        nav_register("client", "home", _("Home"), order=0)
        nav_register("client", "privacy", _("Who sees my data"), order=90)
        nav_register("mentor", "home", _("Home"), order=0)
        nav_register("mentor", "profile", _("My profile"), order=90)
        nav_register("clinician", "home", _("Home"), order=0)
        nav_register("clinician", "client-list", _("My caseload"), order=10)
        nav_register("staff", "home", _("Home"), order=0)
        nav_register("staff", "client-list", _("Members"), order=10)
        nav_register("staff", "staff-users", _("Users"), order=40)
        nav_register("staff", "staff-mentors", _("Mentor vetting"), order=50)
        nav_register("family", "home", _("Home"), order=0)
        nav_register("family", "client-list", _("The person I support"), order=10)

        from . import export_data
        from .exports import register_exporter

        register_exporter("account", export_data.account)
        register_exporter("profile", export_data.profile)
        register_exporter("care_team", export_data.care_team)
        register_exporter("consents", export_data.consents)
        register_exporter("access_log", export_data.access_log)
        register_exporter("audit", export_data.audit)
