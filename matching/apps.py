from django.apps import AppConfig


class MatchingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "matching"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save
        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register
        from members.access import consent_scope_register, record_kind_register
        from members.client_records import register_summary_provider
        from members.exports import register_eraser, register_exporter
        from members.models import MentorProfile, User
        from notifications.kinds import notification_kind_register

        from . import export_data, selectors, services
        from .models import Match
        from .scopes import CONTACT_LOG, MATCH_ACCEPTED, MATCH_DECLINED, MATCH_PROPOSED, PROPOSAL_EXPIRED

        nav_register("client", "find-mentor", _("My mentor"), order=30)
        nav_register("mentor", "mentor-proposals", _("Proposals & mentees"), order=10)
        nav_register("staff", "matching-runs", _("Batch matching"), order=60)

        # The base apps never name this one: it fills their registries (consent scopes and
        # record kinds, notification kinds, summaries, exports and erasure).
        consent_scope_register(
            CONTACT_LOG,
            _("My mentor's contact log"),
            order=50,
            shared_as={
                "she": _("her mentor's contact log"),
                "he": _("his mentor's contact log"),
                "they": _("their mentor's contact log"),
            },
        )
        record_kind_register(CONTACT_LOG, scopes=(CONTACT_LOG,))
        notification_kind_register(MATCH_PROPOSED, _("New mentee proposal"))
        notification_kind_register(MATCH_ACCEPTED, _("Mentor accepted"))
        notification_kind_register(MATCH_DECLINED, _("Mentor declined"))
        notification_kind_register(PROPOSAL_EXPIRED, _("Proposal expired"))
        register_summary_provider(selectors.match_summaries)
        from members.services import care_team_rule_register

        from .care_team_rules import mentor_joins_through_match, mentor_leaves_when_the_match_ends

        care_team_rule_register(may_add=mentor_joins_through_match, may_end=mentor_leaves_when_the_match_ends)
        register_exporter("matching", export_data.export)
        register_eraser(services.matching_erase)

        # The cached mentor pool (selectors.mentor_pool_get) must follow every change to a
        # mentor's profile, name or active flag, and to matches made outside the services.
        post_save.connect(export_data.pool_changed_by_profile, sender=MentorProfile, dispatch_uid="matching-pool-profile")
        post_delete.connect(export_data.pool_changed_by_profile, sender=MentorProfile, dispatch_uid="matching-pool-profile-del")
        post_save.connect(export_data.pool_changed_by_user, sender=User, dispatch_uid="matching-pool-user")
        post_save.connect(export_data.pool_changed_by_match, sender=Match, dispatch_uid="matching-pool-match")

        # A member's first contact with her mentor is a milestone (plans reads it through checkins).
        from checkins.providers import milestone_source_register

        milestone_source_register("first_contact", selectors.first_contact_milestones)
