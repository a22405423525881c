from django.apps import AppConfig


class GroupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "groups"
    verbose_name = "Recovery groups"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register

        nav_register("client", "my-groups", _("My groups"), order=40)
        nav_register("mentor", "my-groups", _("My groups"), order=40)
        nav_register("clinician", "groups-manage", _("Groups"), order=40)
        nav_register("staff", "groups-manage", _("Groups"), order=70)
        nav_register("family", "my-groups", _("Family groups"), order=40)

        # Register summary providers, exporters and erasers here (members.client_records,
        # members.exports) so members never needs to know about this app.
        from members.access import consent_scope_register, record_kind_register
        from members.client_records import register_summary_provider

        consent_scope_register("attendance", _("Group attendance"), staff=True, order=40)
        record_kind_register("attendance", scopes=("attendance",), staff=True)
        from members.exports import register_eraser, register_exporter

        from . import selectors, services

        register_summary_provider(selectors.client_group_summaries)
        from checkins.providers import register_attendance_counter

        register_attendance_counter(selectors.sessions_attended_counts)
        register_exporter("groups", selectors.member_group_export)
        register_eraser(lambda user: services.group_personal_data_erase(user=user))
