from django.apps import AppConfig


class MessagingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "messaging"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from django.utils.translation import gettext_lazy as _

        from checkins.providers import support_provider_register
        from common.nav import nav_register
        from common.sql import count_of
        from matching.contact_sources import ContactSource, contact_source_register
        from matching.models import Match
        from members.exports import register_eraser, register_exporter
        from members.models import CareTeamMember
        from notifications.kinds import notification_kind_register

        from . import contact, export_data, services, support
        from .scopes import MESSAGE, MODERATION_NOTICE, REPORT_RECEIVED
        from .selectors import unread_messages

        def unread(user: object) -> object:
            return count_of(unread_messages(viewer=user))  # type: ignore[arg-type]

        for role in ("client", "mentor", "clinician", "family"):
            nav_register(role, "inbox", _("Messages"), order=15, count=unread)
        nav_register("staff", "moderation-queue", _("Reported messages"), order=70)
        # Email and SMS say only who wrote, never what (API.md); the notification passes the name.
        notification_kind_register(MESSAGE, _("New message"), outside=_("You have a new message in Kinship."))
        notification_kind_register(MODERATION_NOTICE, _("About your messages"), unsubscribable=False)
        notification_kind_register(REPORT_RECEIVED, _("Reported message"))
        support_provider_register(support.reach_mentor, order=10)  # her mentor first, then her own steps
        register_exporter("messaging", export_data.export)
        register_eraser(services.messaging_erase)
        contact_source_register(
            ContactSource(name="messages", last_by_pair=contact.last_by_pair, entries=contact.entries_for_match)
        )
        # The match's conversation opens when the mentor accepts, the care-team conversation
        # once she has a care team: both idempotent, and whatever path saved the row.
        post_save.connect(contact.match_saved, sender=Match, dispatch_uid="messaging-match-conversation")
        post_save.connect(contact.care_team_saved, sender=CareTeamMember, dispatch_uid="messaging-care-team-conversation")
