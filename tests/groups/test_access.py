"""Who reads a member's group attendance, and who may do what with a group.

The roster (who is in) is for those who run the group; a member's attendance (rate, counts,
history) is hers: members.access decides who reads it (staff, her treating clinician, whoever
she granted `attendance`), not the fact of facilitating. Every read is in her access log, and
every service refuses the wrong actor whoever calls it (API, page, task)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from checkins.providers import sessions_attended_counts
from common.errors import NotAllowed, NotVisible
from groups import selectors, services
from groups.models import Session
from members.choices import Role
from members.models import AccessLog, ConsentGrant
from notifications.kinds import capped_kinds, kind_known
from tests.factories import UserFactory
from tests.groups.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def dr_lopez(org):  # type: ignore[no-untyped-def]
    """A clinician of Riverbend who neither facilitates the group nor treats Maya."""
    return UserFactory(email="lopez@example.org", display_name="Dr. Lopez", role=Role.CLINICIAN, organization=org)


@pytest.fixture
def attended(frozen, make_group, care_team, maya):  # type: ignore[no-untyped-def]
    """Maya (whose care team is Dr. Reyes, Jordan and Lee) in Jordan's group; she came to the
    first session and missed the second."""
    group = make_group()
    services.enrollment_join(actor=maya, group=group, member=maya)
    frozen.move_to(NOW + timedelta(days=8))
    first, second = Session.objects.filter(group=group, starts_at__lt=timezone.now()).order_by("starts_at")[:2]
    services.attendance_record(actor=group.facilitators.get(), session=first, entries=[{"member": maya.pk, "status": "present"}])
    services.attendance_record(actor=group.facilitators.get(), session=second, entries=[{"member": maya.pk, "status": "absent"}])
    return group, second


def roster_row(api, user, group, member):  # type: ignore[no-untyped-def]
    response = api(user).get(f"/api/v1/groups/{group.pk}/roster/")
    assert response.status_code == 200, response.json()
    return next(r for r in response.json()["results"] if r["member"]["id"] == member.pk)


def sheet_row(api, user, session, member):  # type: ignore[no-untyped-def]
    response = api(user).get(f"/api/v1/sessions/{session.pk}/attendance/")
    assert response.status_code == 200, response.json()
    return next(r for r in response.json() if r["member"] == member.pk)


def logged(member, actor):  # type: ignore[no-untyped-def]
    return list(AccessLog.objects.filter(client=member, actor=actor).order_by("pk").values_list("resource", flat=True))


# --- the roster and the sheet ask members.access -------------------------------------------------


def test_facilitating_mentor_sees_who_is_in_but_attendance_only_with_a_grant(attended, api, maya, jordan):
    group, _ = attended
    row = roster_row(api, jordan, group, maya)
    assert row["status"] == "enrolled" and row["member"]["display_name"] == "Maya"
    assert row["attendance_rate"] is None and row["present"] is None and row["attendance_shared"] is False
    assert logged(maya, jordan) == ["group_roster"]  # her name was read, not her attendance
    grant = ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=jordan, scopes=["attendance"])
    row = roster_row(api, jordan, group, maya)
    assert row["attendance_rate"] == 0.5 and row["present"] == 1 and row["absent"] == 1 and row["attendance_shared"]
    assert logged(maya, jordan) == ["group_roster", "attendance"]
    grant.revoked_at = timezone.now()
    grant.save()
    assert roster_row(api, jordan, group, maya)["attendance_rate"] is None  # access ends at once


def test_the_roster_page_says_not_shared_and_shows_no_history(attended, client, maya, jordan):
    group, _ = attended
    client.force_login(jordan)
    html = client.get(f"/groups/manage/{group.pk}/").content.decode()
    assert "Maya" in html and "Not shared" in html
    assert "1 present" not in html and 'class="present"' not in html.split('id="roster-h"')[1].split("Rate =")[0]
    ConsentGrant.objects.create(organization=maya.organization, client=maya, grantee=jordan, scopes=["attendance"])
    html = client.get(f"/groups/manage/{group.pk}/").content.decode()
    assert "50%" in html and "1 present" in html and "Not shared" not in html


def test_treating_clinician_and_staff_read_attendance_another_clinician_does_not(attended, api, maya, dr_reyes, sam, dr_lopez):
    group, _ = attended
    assert roster_row(api, dr_reyes, group, maya)["attendance_rate"] == 0.5  # on her care team, treatment consent
    assert roster_row(api, sam, group, maya)["attendance_rate"] == 0.5  # program staff
    other = roster_row(api, dr_lopez, group, maya)  # a clinician sees rosters, not this member's record
    assert other["attendance_rate"] is None and other["attendance_shared"] is False
    assert logged(maya, dr_lopez) == ["group_roster"] and logged(maya, sam) == ["attendance"]


def test_the_sheet_shows_the_facilitator_her_session_and_another_clinician_only_what_is_shared(
    attended, api, maya, jordan, dr_lopez, dr_reyes
):
    _, second = attended
    row = sheet_row(api, jordan, second, maya)  # Jordan runs the session: he records what he sees
    assert row["status"] == "absent" and row["shared"] is True
    assert logged(maya, jordan) == ["attendance"]
    hidden = sheet_row(api, dr_lopez, second, maya)
    assert hidden["status"] is None and hidden["shared"] is False and hidden["display_name"] == "Maya"
    assert sheet_row(api, dr_reyes, second, maya)["status"] == "absent"
    # Dr. Lopez may still record (API.md: facilitators, clinicians); the answer holds only what she reads.
    url = f"/api/v1/sessions/{second.pk}/attendance/"
    response = api(dr_lopez).post(url, [{"member": maya.pk, "status": "present"}], format="json")
    assert response.status_code == 200 and response.json() == []
    assert sheet_row(api, jordan, second, maya)["status"] == "present"


def test_the_attendance_page_hides_marks_that_are_not_shared(attended, client, maya, dr_lopez, jordan):
    _, second = attended
    client.force_login(dr_lopez)
    html = client.get(f"/groups/sessions/{second.pk}/attendance/").content.decode()
    assert "Maya" in html and "1 of 1 member does not share group attendance with you" in html
    assert " checked" not in html
    client.force_login(jordan)
    html = client.get(f"/groups/sessions/{second.pk}/attendance/").content.decode()
    assert " checked" in html and "not share" not in html


def test_outsiders_get_404_on_roster_sheet_and_pages(attended, api, client, omar, dr_kim):
    group, second = attended
    for outsider in (omar, dr_kim):
        assert api(outsider).get(f"/api/v1/groups/{group.pk}/roster/").status_code == 404
        assert api(outsider).get(f"/api/v1/sessions/{second.pk}/attendance/").status_code == 404
        client.force_login(outsider)
        assert client.get(f"/groups/manage/{group.pk}/").status_code == 404
        assert client.get(f"/groups/sessions/{second.pk}/attendance/").status_code == 404
        assert client.post(f"/groups/sessions/{second.pk}/cancel/").status_code == 404
        assert client.post(f"/groups/manage/{group.pk}/remove/{group.pk}/").status_code == 404
    assert not AccessLog.objects.filter(actor__in=[omar, dr_kim]).exists()


def test_members_and_family_get_403_on_roster_and_sheet(attended, api, maya, lee):
    group, second = attended
    for user in (maya, lee):
        assert api(user).get(f"/api/v1/groups/{group.pk}/roster/").status_code == 403
        assert api(user).get(f"/api/v1/sessions/{second.pk}/attendance/").status_code == 403


# --- every service refuses the wrong actor ---------------------------------------------------------


def test_each_service_refuses_the_wrong_actor(frozen, make_group, group_data_for, maya, jordan, lee, sam, omar, clients):
    group = make_group()
    session = Session.objects.filter(group=group, starts_at__gt=timezone.now()).order_by("starts_at").first()
    closed = make_group(name="Closed circle", visibility="closed")
    refusals = [
        lambda: services.group_create(actor=maya, data=group_data_for()),
        lambda: services.group_create(actor=jordan, data=group_data_for()),
        lambda: services.group_update(actor=jordan, group=group, data={"capacity": 3}),
        lambda: services.group_update(actor=omar, group=group, data={"capacity": 3}),  # staff, but of Harbor House
        lambda: services.group_archive(actor=maya, group=group),
        lambda: services.session_cancel(actor=maya, session=session, reason="no"),
        lambda: services.session_cancel(actor=omar, session=session),
        lambda: services.session_move(actor=lee, session=session, starts_at=session.starts_at + timedelta(hours=1)),
        lambda: services.attendance_record(actor=maya, session=session, entries=[]),
        lambda: services.attendance_record(actor=sam, session=session, entries=[]),  # staff cancel, they do not take it
        lambda: services.enrollment_join(actor=jordan, group=group, member=maya),
        lambda: services.enrollment_join(actor=maya, group=closed, member=maya),
        lambda: services.enrollment_leave(actor=lee, group=group, member=maya),
        lambda: services.enrollment_member_for(actor=maya, group=group, member_id=clients(1)[0].pk),
        lambda: selectors.group_roster(viewer=maya, group=group),
        lambda: selectors.session_attendance_sheet(viewer=sam, session=session),
        lambda: selectors.session_attendance_marks(viewer=lee, session=session),
        lambda: selectors.group_manage_list(viewer=maya),
    ]
    for index, refused in enumerate(refusals):
        with pytest.raises((NotAllowed, NotVisible)):
            refused()
            pytest.fail(f"refusal {index} was allowed")
    assert group.facilitators.get() == jordan  # nothing changed


@pytest.fixture
def group_data_for():  # type: ignore[no-untyped-def]
    from tests.groups.conftest import group_data

    return group_data


def test_a_member_naming_nobody_real_gets_403_not_a_lookup(frozen, api, maya, make_group):
    group = make_group()
    response = api(maya).post(f"/api/v1/groups/{group.pk}/enroll/", {"member": 999_999}, format="json")
    assert response.status_code == 403  # the rule is asked before anyone is looked up


# --- the registries groups fills ------------------------------------------------------------------


def test_groups_counts_attendance_for_the_checkins_digest(attended, maya, clients):
    others = clients(1)
    since = timezone.now() - timedelta(days=30)
    assert sessions_attended_counts([maya, *others], since) == {maya.pk: 1}
    assert sessions_attended_counts([], since) == {}


def test_groups_registers_its_notification_kinds():
    assert all(kind_known(k) for k in ("session_reminder", "session_cancelled", "waitlist_promoted"))
    assert "session_reminder" in capped_kinds() and "session_cancelled" not in capped_kinds()
