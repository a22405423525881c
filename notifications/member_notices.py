"""What members' events tell people: the invitation email and the mentor-vetting notice.

members cannot import notifications (it sits below it), so members publishes events
(members.hooks) and this module, connected from NotificationsConfig.ready(), turns them into
notifications. For the same reason the kinds are members' but registered here."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.choices import VettingStatus
from members.hooks import member_event_subscribe
from members.models import MentorProfile, User

from .kinds import notification_kind_register
from .models import Channel, Notification
from .services import notification_create

INVITE = "invite"
MENTOR_STATUS = "mentor_status"
CARE_TEAM_ADDED = "care_team_added"  # the demo's welcome message carries it
ACCOUNT_NOTICE = "account_notice"

MENTOR_STATUS_TITLES = {
    VettingStatus.APPROVED: _("You are approved as a peer mentor"),
    VettingStatus.SUSPENDED: _("Your mentor profile is paused"),
    VettingStatus.PENDING: _("Your mentor profile is back under review"),
}


def invite_send(*, user: User, invited_by: User | None) -> Notification | None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = settings.SITE_URL.rstrip("/") + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    org_name = user.organization.name if user.organization else "Kinship"
    inviter = invited_by.display_name if invited_by else org_name
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = gettext("%(inviter)s invited you to %(org)s on Kinship") % {"inviter": inviter, "org": org_name}
        body = gettext("Choose a password to finish setting up your account. The link works for a few days.")
    return notification_create(
        recipient=user,
        kind=INVITE,
        title=title,
        body=body,
        url=link,
        dedupe_key=f"invite:{user.pk}:{token}",
        force_channels=[Channel.EMAIL.value],
    )


def mentor_status_notify(*, profile: MentorProfile, status: str, reason: str = "") -> Notification | None:
    # The dedupe key holds the moment of the change: approving, suspending and approving again
    # are three notices, while the same change published twice is one.
    changed_at = profile.status_changed_at.isoformat() if profile.status_changed_at else ""
    with translation.override(profile.user.language or settings.LANGUAGE_CODE):
        title = str(MENTOR_STATUS_TITLES[VettingStatus(status)])
    return notification_create(
        recipient=profile.user,
        kind=MENTOR_STATUS,
        title=title,
        body=reason,
        url="/profile/",
        dedupe_key=f"mentor_status:{profile.pk}:{status}:{changed_at}",
    )


def _on_signup_with_existing_email(*, user: User, **_: Any) -> None:
    """Someone signed up with an address that already has an account: the sign-up page said
    nothing of it (M6), so the owner is told, by email only, with a way in."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = gettext("Someone tried to create a Kinship account with your email")
        body = gettext("If it was you, sign in, or reset your password if you forgot it. If not, you can ignore this.")
    notification_create(
        recipient=user,
        kind=ACCOUNT_NOTICE,
        title=title,
        body=body,
        url=reverse("login"),
        dedupe_key=f"signup-existing:{user.pk}:{timezone.now():%Y-%m-%d}",  # at most one a day
        force_channels=[Channel.EMAIL.value],
    )


def _on_user_invited(*, user: User, invited_by: User | None, **_: Any) -> None:
    invite_send(user=user, invited_by=invited_by)


def _on_mentor_status_changed(*, profile: MentorProfile, status: str, reason: str = "", **_: Any) -> None:
    mentor_status_notify(profile=profile, status=status, reason=reason)


def member_notices_connect() -> None:
    """From NotificationsConfig.ready()."""
    # An invitation goes to an account that is not signed in yet, and it has no preferences to
    # unsubscribe from.
    notification_kind_register(
        INVITE,
        _("Invitation"),
        to_inactive=True,
        unsubscribable=False,
        # Not even the program's name: an invitation to a treatment program is itself a fact.
        outside=_(
            "You're invited to Kinship. Choose a password to finish setting up your account (the link works for a few days):"
        ),
    )
    notification_kind_register(MENTOR_STATUS, _("Mentor status"))
    notification_kind_register(
        ACCOUNT_NOTICE,
        _("Account notice"),
        unsubscribable=False,
        outside=_(
            "Someone tried to create a Kinship account with your email. If it was you, sign in "
            "(or reset your password); if not, you can ignore this."
        ),
    )
    notification_kind_register(CARE_TEAM_ADDED, _("Care team"))
    member_event_subscribe("user_invited", _on_user_invited)
    member_event_subscribe("mentor_status_changed", _on_mentor_status_changed)
    member_event_subscribe("signup_with_existing_email", _on_signup_with_existing_email)
