"""members cannot import notifications: it publishes events (members.hooks) and notifications,
subscribed from its AppConfig.ready(), sends the invitation email and the vetting notice."""

from __future__ import annotations

import pytest
from django.core import mail

from common.errors import Conflict
from members import hooks
from members.choices import Role, VettingStatus
from members.models import MentorProfile
from members.services import mentor_vet_with_reason, user_create
from notifications import kinds, member_notices, services
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_invited_user_gets_the_invitation_email_once(org, sam, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        nia = user_create(organization=org, email="nia@example.org", display_name="Nia", role=Role.MENTOR, actor=sam)
    note = Notification.objects.get(recipient=nia)
    assert note.kind == "invite" and note.title == "Sam invited you to Riverbend Recovery on Kinship"
    assert list(note.deliveries.values_list("channel", flat=True)) == ["email"]  # email only, whatever the defaults
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nia@example.org"] and "/reset/" in message.body


def test_a_user_with_a_password_is_not_invited(org):
    user_create(
        organization=org, email="ren@example.org", display_name="Ren", role=Role.CLIENT, actor=None, password="Ren-kinship-2026"
    )
    assert not Notification.objects.exists()


def test_a_failed_user_creation_leaves_no_invitation(org, sam, maya):
    with pytest.raises(Conflict):
        user_create(organization=org, email=maya.email, display_name="Again", role=Role.CLIENT, actor=sam)
    assert not Notification.objects.filter(kind="invite").exists()


def test_an_invitation_still_reaches_an_account_that_is_not_active(maya):
    maya.is_active = False
    maya.save()
    note = member_notices.invite_send(user=maya, invited_by=None)
    assert note is not None and note.title == "Riverbend Recovery invited you to Riverbend Recovery on Kinship"
    assert services.delivery_attempt(delivery_id=note.deliveries.get().pk) == "sent"
    # An ordinary account message to the same inactive person is not sent.
    assert services.notification_create(recipient=maya, kind="mentor_status", title="x", dedupe_key="x") is None


def test_vetting_a_mentor_tells_her_once_per_change(org, sam):
    tyler = UserFactory(display_name="Tyler", role=Role.MENTOR, organization=org, profile__status=VettingStatus.PENDING)
    profile = MentorProfile.objects.get(user=tyler)
    mentor_vet_with_reason(staff=sam, profile=profile, status=VettingStatus.APPROVED)
    mentor_vet_with_reason(staff=sam, profile=profile, status=VettingStatus.APPROVED)  # no change: no notice
    notes = list(Notification.objects.filter(recipient=tyler))
    assert [(n.kind, n.title, n.url) for n in notes] == [("mentor_status", "You are approved as a peer mentor", "/profile/")]
    mentor_vet_with_reason(staff=sam, profile=profile, status=VettingStatus.SUSPENDED, reason="Missed training twice")
    latest = Notification.objects.filter(recipient=tyler).latest("pk")
    assert latest.title == "Your mentor profile is paused" and latest.body == "Missed training twice"


def test_notifications_is_subscribed_to_members_events():
    assert member_notices._on_user_invited in hooks._subscribers["user_invited"]
    assert member_notices._on_mentor_status_changed in hooks._subscribers["mentor_status_changed"]
    assert kinds.kind_info("invite").to_inactive and not kinds.kind_info("mentor_status").to_inactive


def test_member_events_are_a_closed_list(monkeypatch):
    monkeypatch.setattr(hooks, "_subscribers", {event: [] for event in hooks.MEMBER_EVENTS})
    seen = []

    def listener(**data):  # type: ignore[no-untyped-def]
        seen.append(data)

    hooks.member_event_subscribe("user_invited", listener)
    hooks.member_event_subscribe("user_invited", listener)  # twice is once
    hooks.member_event_publish("user_invited", user="u", invited_by=None)
    assert seen == [{"user": "u", "invited_by": None}]
    with pytest.raises(ValueError):
        hooks.member_event_subscribe("user_invitd", listener)
    with pytest.raises(ValueError):
        hooks.member_event_publish("user_invitd")
