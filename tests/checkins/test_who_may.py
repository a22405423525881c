"""Who may do what is the services' rule (and members.access's), not the views': each service
called with a wrong actor is refused, whatever entry point calls it."""

import pytest

from checkins import services
from checkins.models import Assessment, CheckIn, FlagKind, RiskFlag
from common.errors import NotAllowed, NotVisible
from members.choices import CareRole, Role
from members.models import CareTeamMember
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(care_team):
    return services.risk_flag_open(client=care_team, kind=FlagKind.LOW_MOOD, reason="Mood of 2 or lower 3 days running.")[0]


@pytest.fixture
def dr_ortiz(org):
    """Another clinician of Maya's program, not on her care team."""
    return UserFactory(email="ortiz@example.org", display_name="Dr. Ortiz", role=Role.CLINICIAN, organization=org)


# --- risk_flag_resolve: the member's treating clinician, by relation ------------------------


def test_her_treating_clinician_resolves(flag, dr_reyes):
    resolved = services.risk_flag_resolve(actor=dr_reyes, flag=flag, note="Called; she is safe.")
    assert resolved.resolved_by == dr_reyes and not resolved.is_open


def test_a_clinician_who_does_not_treat_her_is_refused(flag, dr_ortiz, dr_kim):
    for outsider in (dr_ortiz, dr_kim):  # same program, not on her team; another program
        with pytest.raises(NotVisible):
            services.risk_flag_resolve(actor=outsider, flag=flag, note="x")
    assert RiskFlag.objects.get(pk=flag.pk).is_open


def test_a_clinician_on_the_team_without_treatment_consent_is_refused(maya, dr_ortiz):
    CareTeamMember.objects.create(organization=maya.organization, client=maya, member=dr_ortiz, role=CareRole.CLINICIAN)
    flag, _ = services.risk_flag_open(client=maya, kind=FlagKind.LOW_MOOD, reason="x")
    with pytest.raises(NotVisible):
        services.risk_flag_resolve(actor=dr_ortiz, flag=flag, note="x")


def test_her_mentor_family_and_staff_are_refused_even_when_they_see_flags(flag, jordan, lee, sam, grant):
    with pytest.raises(NotVisible):  # no grant: he does not even see her flags
        services.risk_flag_resolve(actor=jordan, flag=flag, note="x")
    grant(flag.client, jordan, "checkin_detail")
    grant(flag.client, lee, "checkin_detail")
    for seer in (jordan, lee, sam):
        with pytest.raises(NotAllowed):
            services.risk_flag_resolve(actor=seer, flag=flag, note="x")
    assert RiskFlag.objects.get(pk=flag.pk).is_open


def test_the_member_herself_does_not_resolve_her_flags(flag, care_team):
    with pytest.raises(NotVisible):
        services.risk_flag_resolve(actor=care_team, flag=flag, note="x")


def test_staff_cannot_resolve_through_the_api_either(flag, sam, api):
    response = api(sam).post(f"/api/v1/risk-flags/{flag.pk}/resolve/", {"note": "x"}, format="json")
    assert response.status_code == 403


def test_the_page_and_the_api_give_the_same_answer(flag, jordan, dr_ortiz, grant, client):
    url = f"/clients/{flag.client_id}/flags/{flag.pk}/resolve/"
    client.force_login(dr_ortiz)
    assert client.post(url, {"note": "x"}).status_code == 404
    grant(flag.client, jordan, "checkin_detail")
    client.force_login(jordan)
    assert client.post(url, {"note": "x"}).status_code == 403
    timeline = client.get(f"/clients/{flag.client_id}/checkins/").content.decode()
    assert "Risk flags" in timeline and "Resolve with this note" not in timeline
    assert RiskFlag.objects.get(pk=flag.pk).is_open


# --- mentor_notify_flag: only where she shares her flags with him ---------------------------


def disengagement(user):
    return list(Notification.objects.filter(recipient=user, kind="disengagement"))


def test_without_a_grant_her_mentor_is_not_told(care_team, jordan, dr_reyes, grant):
    grant(care_team, jordan, "checkin_summary")  # which days she checked in: not how she is doing
    for kind in (FlagKind.HIGH_CRAVING, FlagKind.LOW_MOOD, FlagKind.NO_CHECKIN_3D, FlagKind.MISSED_2_SESSIONS):
        flag, _ = services.risk_flag_open(client=care_team, kind=kind, reason="x")
        assert services.mentor_notify_flag(client=care_team, flag=flag) == 0
    assert disengagement(jordan) == []
    assert not Notification.objects.filter(recipient=dr_reyes, kind="disengagement").exists()


def test_with_check_in_detail_shared_her_mentor_is_told_once_in_plain_words(care_team, jordan, grant):
    grant(care_team, jordan, "checkin_detail")
    for kind in (FlagKind.HIGH_CRAVING, FlagKind.LOW_MOOD, FlagKind.NO_CHECKIN_3D, FlagKind.MISSED_2_SESSIONS):
        flag, _ = services.risk_flag_open(client=care_team, kind=kind, reason="Craving of 9; mood 1; missed group.")
        assert services.mentor_notify_flag(client=care_team, flag=flag) == 1
        assert services.mentor_notify_flag(client=care_team, flag=flag) == 0  # once per episode
    notices = disengagement(jordan)
    assert len(notices) == 4
    for notice in notices:
        text = f"{notice.title} {notice.body}".lower()
        for clinical in ("crav", "mood", "session", "group", "checked in", "days", "flag", "used", "drink"):
            assert clinical not in text, (clinical, text)
        assert "kind" not in notice.payload


def test_an_expired_or_revoked_grant_stops_the_notices(care_team, jordan, grant):
    from django.utils import timezone

    given = grant(care_team, jordan, "checkin_detail")
    given.revoked_at = timezone.now()
    given.save()
    flag, _ = services.risk_flag_open(client=care_team, kind=FlagKind.LOW_MOOD, reason="x")
    assert services.mentor_notify_flag(client=care_team, flag=flag) == 0


def test_the_crisis_alert_still_reaches_her_mentor_and_clinician(care_team, jordan, dr_reyes, post_checkin, frozen):
    """A cry for help is never lost: the crisis path does not wait for a grant."""
    post_checkin(care_team, need_support=True)
    recipients = set(Notification.objects.filter(kind="crisis_alert").values_list("recipient_id", flat=True))
    assert recipients == {jordan.pk, dr_reyes.pk}


# --- the members' own writes ---------------------------------------------------------------


def test_nobody_records_a_check_in_for_someone_else(care_team, dr_reyes, luis, frozen):
    for actor in (dr_reyes, luis):
        with pytest.raises(NotAllowed):
            services.checkin_record(actor=actor, client=care_team, mood=3, craving=2)
    with pytest.raises(NotAllowed):  # a clinician has no check-ins of her own here
        services.checkin_record(actor=dr_reyes, client=dr_reyes, mood=3, craving=2)
    assert not CheckIn.objects.exists()


def test_nobody_fills_in_a_questionnaire_for_someone_else(care_team, dr_reyes, luis, frozen):
    for actor in (dr_reyes, luis):
        with pytest.raises(NotAllowed):
            services.assessment_record(actor=actor, client=care_team, instrument="GAD-7", answers=[1] * 7)
    assert not Assessment.objects.exists()
