"""A member invites her family herself (issue 10): by email, choosing the relationship and what
they see at once; she sees them and removes them any time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from members.choices import CareRole, Role
from members.models import CareTeamMember, ConsentGrant, User
from tests.factories import UserFactory

INVITE = "/api/v1/me/care-team/invite/"


def invite(api, maya, **body):  # type: ignore[no-untyped-def]
    data = {"email": "nina@example.org", "display_name": "Nina", "relationship": "sibling", "scopes": ["checkin_summary"]}
    return api(maya).post(INVITE, {**data, **body}, format="json")


@pytest.mark.django_db(transaction=False)
def test_an_unknown_email_gets_an_invitation_that_sets_a_password_and_lands_on_the_family_home(
    api, maya, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(api, maya)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "invited"
    nina = User.objects.get(email="nina@example.org")
    assert nina.role == Role.FAMILY and nina.organization_id == maya.organization_id and not nina.has_usable_password()
    membership = CareTeamMember.objects.get(pk=response.json()["id"])
    assert (membership.client, membership.member, membership.role, membership.relationship) == (
        maya,
        nina,
        CareRole.FAMILY,
        "sibling",
    )
    assert ConsentGrant.objects.get(client=maya, grantee=nina).scopes == ["checkin_summary"]
    # The email carries a bare line and a link, never the program or the member's name.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Maya" not in message.subject + message.body
    link = re.search(r"https?://\S+/reset/\S+/", message.body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    browser = Client()
    page = browser.get(path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    done = browser.post(form_url, {"new_password1": "A-long-new-pass-2026", "new_password2": "A-long-new-pass-2026"})
    assert done.status_code == 302
    signed_in = browser.post("/login/", {"email": "nina@example.org", "password": "A-long-new-pass-2026"})
    assert signed_in.status_code == 302
    home = browser.get("/home/", follow=True)
    assert home.redirect_chain[-1][0] == "/family/"
    assert b"Maya" in home.content


@pytest.mark.django_db
def test_a_family_account_already_in_the_program_is_added_at_once(api, maya, lee):
    response = invite(api, maya, email="LEE@example.org", relationship="parent")
    assert response.status_code == 201
    assert response.json()["status"] == "added"
    team = api(maya).get("/api/v1/me/care-team/").json()
    assert [(m["user"]["display_name"], m["role"], m["relationship"]) for m in team] == [("Lee", "family", "parent")]


@pytest.mark.django_db
def test_an_email_already_on_the_care_team_is_a_conflict(api, care_team, lee):
    response = invite(api, care_team, email="lee@example.org")
    assert response.status_code == 409


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["dr_reyes", "sam", "jordan", "omar"])
def test_staff_clinicians_mentors_and_other_programs_cannot_be_invited_as_family(api, maya, who, request):
    person = request.getfixturevalue(who)
    response = invite(api, maya, email=person.email)
    assert response.status_code == 400
    assert "email" in response.json()
    assert not CareTeamMember.objects.filter(client=maya, member=person).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"relationship": "cousin"},
        {"scopes": ["everything"]},
        {"email": "not-an-email"},
        {"email": 7},
        {"display_name": ""},
    ],
)
def test_bad_invitations_are_400_and_create_nothing(api, maya, body):
    response = invite(api, maya, **body)
    assert response.status_code == 400
    assert not User.objects.filter(role=Role.FAMILY).exists()


@pytest.mark.django_db
def test_only_members_invite_and_the_outsider_cannot_remove(api, maya, lee, omar, jordan):
    assert invite(api, maya, email="lee@example.org").status_code == 201
    membership = CareTeamMember.objects.get(client=maya, member=lee)
    assert api(jordan).post(INVITE, {}, format="json").status_code == 403
    assert api(omar).delete(f"/api/v1/me/care-team/{membership.pk}/").status_code == 403
    # Another member of her program: not hers, so not found.
    luis = UserFactory(role=Role.CLIENT, organization=maya.organization)
    assert api(luis).delete(f"/api/v1/me/care-team/{membership.pk}/").status_code == 404
    assert CareTeamMember.objects.get(pk=membership.pk).ended_at is None


@pytest.mark.django_db
def test_removing_family_ends_their_access_at_once(api, maya, lee):
    invite(api, maya, email="lee@example.org", scopes=["checkin_summary", "checkin_detail"])
    membership = CareTeamMember.objects.get(client=maya, member=lee)
    assert api(lee).get(f"/api/v1/checkins/?client={maya.pk}").status_code == 200
    assert api(maya).delete(f"/api/v1/me/care-team/{membership.pk}/").status_code == 204
    assert api(lee).get(f"/api/v1/checkins/?client={maya.pk}").status_code == 404
    assert not ConsentGrant.objects.filter(client=maya, grantee=lee, revoked_at__isnull=True).exists()
    assert api(lee).get("/api/v1/family/shared/").json() == []


@pytest.mark.django_db
def test_a_clinician_on_her_team_cannot_be_removed_through_the_family_route(api, care_team, dr_reyes):
    membership = CareTeamMember.objects.get(client=care_team, member=dr_reyes)
    assert api(care_team).delete(f"/api/v1/me/care-team/{membership.pk}/").status_code == 404


@pytest.mark.django_db
def test_an_expired_or_forged_invitation_link_says_so_and_changes_nothing(
    api, maya, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(api, maya)
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    forged = re.sub(r"/reset/([^/]+)/[^/]+/", r"/reset/\1/abc-forged/", path)
    for url in (forged,):
        page = Client().get(url, follow=True)
        assert b"Password and invitation links work once" in page.content
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        page = Client().get(path, follow=True)
        assert b"Password and invitation links work once" in page.content
    assert not User.objects.get(email="nina@example.org").has_usable_password()


@pytest.mark.django_db
def test_the_privacy_page_invites_lists_and_removes_family(maya, lee):
    browser = Client()
    browser.force_login(maya)
    response = browser.post(
        "/privacy/",
        {
            "action": "invite",
            "invite-display_name": "Lee",
            "invite-email": "lee@example.org",
            "invite-relationship": "parent",
            "invite-scopes": ["checkin_summary"],
        },
        follow=True,
    )
    assert b"Lee is now on your care team" in response.content
    membership = CareTeamMember.objects.get(client=maya, member=lee, ended_at__isnull=True)
    page = browser.get("/privacy/")
    assert b"Your family" in page.content and b"Parent" in page.content
    ids = re.findall(rb'id="([^"]+)"', page.content)
    assert len(ids) == len(set(ids))  # the invite and the share forms never share a field id
    response = browser.post(f"/privacy/family/{membership.pk}/remove/", follow=True)
    assert b"no longer on your care team" in response.content
    assert CareTeamMember.objects.get(pk=membership.pk).ended_at is not None
