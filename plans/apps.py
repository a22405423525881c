from django.apps import AppConfig


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from checkins.providers import support_provider_register
        from common.nav import nav_register
        from common.sections import section_register
        from members.access import consent_scope_register, record_kind_register
        from members.exports import register_eraser, register_exporter
        from notifications.kinds import notification_kind_register

        from . import export_data, services, views
        from .scopes import MILESTONE, PLAN, PLAN_RECORD

        nav_register("client", "my-plan", _("My plan"), order=15)
        # The plan is hers: clinicians read it under treatment consent, mentor and family with `plan`.
        consent_scope_register(
            PLAN,
            _("My plan, milestones and curriculum progress"),
            order=45,
            shared_as={
                "she": _("her plan, milestones and curriculum progress"),
                "he": _("his plan, milestones and curriculum progress"),
                "they": _("their plan, milestones and curriculum progress"),
            },
        )
        record_kind_register(PLAN_RECORD, scopes=(PLAN,))
        notification_kind_register(MILESTONE, _("Milestone"), outside=_("You have something to see in Kinship."))
        support_provider_register(services.plan_support, order=20)
        section_register("home:client", views.home_plan_section, order=10)
        section_register("progress:client", views.progress_milestones_section, order=10)
        register_exporter("plan", export_data.plan)
        register_eraser(services.plans_erase)
