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

        # Groups fills the registries of the apps below it (DESIGN.md "Layout"), so none of them
        # needs to know about groups: members' consent scopes, record kinds, summaries, exports and
        # erasure; notifications' kinds; checkins' attendance counter for the weekly digest.
        from checkins.providers import register_attendance_counter
        from members.access import consent_scope_register, record_kind_register
        from members.client_records import register_summary_provider
        from members.exports import register_eraser, register_exporter
        from notifications.kinds import notification_kind_register

        from . import notify, scopes, selectors, services

        consent_scope_register(
            scopes.ATTENDANCE,
            _("Group attendance"),
            staff=True,
            order=40,
            shared_as={
                "she": _("her group attendance"),
                "he": _("his group attendance"),
                "they": _("their group attendance"),
            },
        )
        record_kind_register(scopes.ATTENDANCE, scopes=(scopes.ATTENDANCE,), staff=True)
        # Reminders count toward the daily cap on routine nudges; a cancellation or a seat does not.
        # Email and texts never name the group (a therapy group's name is a clinical fact).
        notification_kind_register(
            notify.SESSION_REMINDER,
            _("Group session reminder"),
            capped=True,
            outside=_("Reminder: you have a group session coming up. The details are in Kinship."),
        )
        notification_kind_register(
            notify.SESSION_CANCELLED,
            _("Session cancelled"),
            outside=_("A session on your calendar changed. The details are in Kinship."),
        )
        notification_kind_register(
            notify.WAITLIST_PROMOTED, _("You have a seat"), outside=_("A seat opened up for you. The details are in Kinship.")
        )
        register_summary_provider(selectors.client_group_summaries)
        register_exporter("groups", selectors.member_group_export)
        register_eraser(lambda user: services.group_personal_data_erase(user=user))
        register_attendance_counter(selectors.sessions_attended_count)
