from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from checkins.providers import support_provider_register
        from common.nav import nav_register
        from common.sections import section_register
        from members.access import record_kind_register
        from members.exports import register_eraser, register_exporter
        from notifications.kinds import notification_kind_register

        from . import export_data, services, views
        from .scopes import REFERRAL_FOLLOW_UP, REFERRALS
        from .support import resource_support

        for role in ("client", "mentor", "clinician", "family"):
            nav_register(role, "resources", _("Resources"), order=50)
        nav_register("client", "curriculum", _("This week"), order=16)
        nav_register("mentor", "referrals", _("Referrals"), order=40)
        nav_register("clinician", "referrals", _("Referrals"), order=40)
        nav_register("staff", "resources-manage", _("Resources"), order=70)
        nav_register("staff", "curriculum-manage", _("Curriculum"), order=75)
        # Her referrals: she, the referrer and her treating clinicians read them (selectors).
        record_kind_register(REFERRALS, scopes=())
        notification_kind_register(REFERRAL_FOLLOW_UP, _("Referral follow-up due"))
        support_provider_register(resource_support, order=30)
        section_register("home:client", views.home_curriculum_section, order=20)
        section_register("organization_public", views.public_resources_section, order=50)
        register_exporter("referrals", export_data.referrals)
        register_eraser(services.resources_erase)
