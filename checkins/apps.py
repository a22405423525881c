from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "checkins"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from common.nav import nav_register
        from common.sections import section_register

        from . import scopes
        from .views import crisis_card_section

        # Crisis lines on the landing pages of the people who support a member (issue 13, 6).
        section_register("home:mentor", crisis_card_section, order=90)
        section_register("home:clinician", crisis_card_section, order=90)

        nav_register("client", "checkin", _("Check in"), order=10)
        nav_register("client", "progress", _("My progress"), order=20)

        # members never needs to know about this app: it asks the registries.
        from members.access import consent_scope_register, record_kind_register

        # Labelled as the member grants it, and (shared_as) as her family or mentor reads it.
        consent_scope_register(
            scopes.CHECKIN_SUMMARY,
            _("Check-in summary (whether I checked in, my streak)"),
            staff=True,
            order=10,
            shared_as={
                "she": _("her check-in summary (whether she checked in, her streak)"),
                "he": _("his check-in summary (whether he checked in, his streak)"),
                "they": _("their check-in summary (whether they checked in, their streak)"),
            },
        )
        consent_scope_register(
            scopes.CHECKIN_DETAIL,
            _("Check-in details (mood, cravings, notes)"),
            order=20,
            shared_as={
                "she": _("her check-in details (mood, cravings, notes)"),
                "he": _("his check-in details (mood, cravings, notes)"),
                "they": _("their check-in details (mood, cravings, notes)"),
            },
        )
        consent_scope_register(
            scopes.ASSESSMENTS,
            _("Questionnaire results"),
            order=30,
            shared_as={
                "she": _("her questionnaire results"),
                "he": _("his questionnaire results"),
                "they": _("their questionnaire results"),
            },
        )
        record_kind_register(scopes.CHECKINS, scopes=(scopes.CHECKIN_SUMMARY, scopes.CHECKIN_DETAIL), staff=True)
        # Risk flags: treating clinicians, staff (kinds and dates), and those the member shares
        # check-in detail with; the member's own pages show her support, not flags.
        record_kind_register(scopes.RISK_FLAGS, scopes=(scopes.CHECKIN_DETAIL,), staff=True, self_reads=False)
        # What raised a flag and how a clinician resolved it are clinical (H2): staff see a flag's
        # kind and dates, not its reason or resolution note.
        record_kind_register(scopes.RISK_FLAG_DETAIL, scopes=(scopes.CHECKIN_DETAIL,), staff=False, self_reads=False)

        # Testing results (DESIGN.md "Testing results"): the member, her treating clinicians, and
        # mentor and family only with `test_results`; not staff-readable (clinical).
        consent_scope_register(
            scopes.TEST_RESULTS,
            _("Testing results (breath, urine or saliva tests)"),
            order=60,
            shared_as={
                "she": _("her test results (breath, urine or saliva tests)"),
                "he": _("his test results (breath, urine or saliva tests)"),
                "they": _("their test results (breath, urine or saliva tests)"),
            },
        )
        record_kind_register(scopes.TEST_RESULTS, scopes=(scopes.TEST_RESULTS,), staff=False)
        nav_register("family", "family-checkin", _("My check-in"), order=20)
        nav_register("client", "testing", _("Testing"), order=25)

        # Nor does notifications: the kinds this app sends.
        from notifications.kinds import notification_kind_register

        notification_kind_register(
            scopes.CHECKIN_NUDGE, _("Check-in reminder"), capped=True, outside=_("Your daily check-in is waiting in Kinship.")
        )
        # A cry for help reaches the care team whatever their email settings say.
        notification_kind_register(scopes.CRISIS_ALERT, _("Crisis alert"), unsubscribable=False)
        notification_kind_register(scopes.DISENGAGEMENT, _("Disengagement alert"))
        notification_kind_register(scopes.DIGEST, _("Weekly digest"))
        # A bare line only: that someone is tested is itself a clinical fact.
        notification_kind_register(scopes.TEST_REMINDER, _("Test reminder"), capped=True)
        notification_kind_register(
            "medication_reminder", _("Medication reminder"), outside=_("A reminder you asked for is waiting in Kinship.")
        )
        notification_kind_register(
            scopes.CHECKIN_PAUSED, _("A note when check-ins pause"), outside=_("A note from your Kinship team is waiting.")
        )

        from members.client_records import register_summary_provider
        from members.exports import register_eraser, register_exporter

        from . import export_data
        from .selectors import checkin_summaries
        from .services import checkins_erase

        register_summary_provider(checkin_summaries)
        register_exporter("checkins", export_data.checkins)
        register_exporter("assessments", export_data.assessments)
        register_exporter("risk_flags", export_data.risk_flags)
        register_eraser(checkins_erase)
        register_exporter("family_checkins", export_data.family_checkins)
        register_exporter("test_results", export_data.test_results)
