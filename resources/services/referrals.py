"""Referrals: the recovery community's proof that connection happened. A mentor or clinician on
the member's care team refers her to a resource; follow-ups come due at 30, 60 and 90 days in
the referrer's inbox, and each records an outcome."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.errors import Invalid, NotAllowed, NotVisible
from members.access import ClientView, client_get_for_viewer
from members.choices import CareRole, Role
from members.models import User
from members.services import audit_record
from notifications.services import NotificationSpec, notifications_create_many

from ..models import FollowUp, ModuleDone, Outcome, Referral, ReferralStatus, Resource
from ..scopes import REFERRAL_FOLLOW_UP

FOLLOW_UP_DAYS = (30, 60, 90)
NOTE_MAX = 2000
REFERRER_RELATIONS = frozenset({CareRole.MENTOR.value, CareRole.CLINICIAN.value})


def _note(note: object) -> str:
    if not isinstance(note, str):
        raise Invalid(_("A note is text."), field="note")
    if len(note) > NOTE_MAX:
        raise Invalid(_("Keep the note to %(max)s characters or fewer.") % {"max": NOTE_MAX}, field="note")
    return note.strip()


def may_refer(view: ClientView) -> bool:
    """Who refers a member: her mentor or a clinician on her care team (the viewer of `view`,
    who must hold that role too). Pages ask this to offer the referral form; referral_create
    holds everyone to it."""
    return view.relation in REFERRER_RELATIONS and view.viewer.role in (Role.MENTOR, Role.CLINICIAN)


@transaction.atomic
def referral_create(*, actor: User, client_id: int, resource_id: int, note: object = "") -> Referral:
    """Her mentor or a clinician on her care team refers her: anyone else who cannot see her gets
    404; staff (who can) 403. The resource must be in her organization's directory (else 404)."""
    view = client_get_for_viewer(viewer=actor, client_id=client_id)
    if not may_refer(view):
        raise NotAllowed(_("Her mentor or clinicians make referrals."))
    resource = Resource.objects.filter(pk=resource_id, organization_id=actor.org_id, active=True).first()
    if resource is None:
        raise NotVisible(_("No such resource in your program's directory."), field="resource")
    now = timezone.now()
    referral = Referral.objects.create(
        organization_id=actor.org_id, client=view.client, resource=resource, referrer=actor, note=_note(note), created_at=now
    )
    today = now.astimezone(ZoneInfo(actor.timezone)).date()
    FollowUp.objects.bulk_create([FollowUp(referral=referral, due_on=today + timedelta(days=d)) for d in FOLLOW_UP_DAYS])
    audit_record(
        actor=actor, action="referral.create", target=referral, organization_id=actor.org_id, client=view.client,
        changes={"resource": resource.pk},
    )  # fmt: skip
    return referral


@transaction.atomic
def follow_up_record(*, actor: User, referral_id: int, outcome: object, note: object = "") -> FollowUp:
    """The referrer records how it went, on the earliest follow-up still open (one more is added
    after the third). Someone else who can see the referral (the member, her clinicians) gets
    403; anyone else 404."""
    referral = Referral.objects.select_for_update().filter(pk=referral_id, organization_id=actor.org_id).first()
    if referral is None:
        raise NotVisible()
    if referral.referrer_id != actor.pk:
        try:
            view = client_get_for_viewer(viewer=actor, client_id=referral.client_id)
        except NotVisible:
            raise NotVisible() from None
        if view.is_self or (view.relation == CareRole.CLINICIAN.value and view.scopes):
            raise NotAllowed(_("Only the person who made the referral records its follow-ups."))
        raise NotVisible()
    if outcome not in Outcome.values:
        raise Invalid(_("Choose connected, not_yet, declined or unreachable."), field="outcome")
    now = timezone.now()
    follow_up = referral.follow_ups.filter(outcome__isnull=True).order_by("due_on", "pk").first()
    if follow_up is None:
        follow_up = FollowUp(referral=referral, due_on=now.astimezone(ZoneInfo(actor.timezone)).date())
    follow_up.outcome = str(outcome)
    follow_up.note = _note(note)
    follow_up.recorded_at = now
    follow_up.recorded_by = actor
    follow_up.save()
    if outcome == Outcome.CONNECTED:
        referral.status = ReferralStatus.CONNECTED
    elif outcome == Outcome.DECLINED:
        referral.status = ReferralStatus.CLOSED
    referral.save(update_fields=["status"])
    audit_record(
        actor=actor, action="referral.follow_up", target=referral, organization_id=actor.org_id, client=referral.client,
        changes={"outcome": str(outcome)},
    )  # fmt: skip
    return follow_up


def referral_follow_ups_plan(*, now: datetime | None = None) -> int:
    """Daily: each follow-up that has come due (still without an outcome, on an open referral)
    lands in the referrer's inbox once (the dedupe key is the follow-up). One query finds them."""
    now = now or timezone.now()
    horizon = (now + timedelta(days=1)).date()  # every zone's today is at most a day ahead of UTC
    due = (
        FollowUp.objects.filter(
            outcome__isnull=True, due_on__lte=horizon, referral__status=ReferralStatus.OPEN, referral__referrer__is_active=True
        )
        .select_related("referral__referrer", "referral__client", "referral__resource")
        .order_by("due_on", "pk")
    )
    specs: list[NotificationSpec] = []
    for follow_up in due:
        referral = follow_up.referral
        referrer = referral.referrer
        if referrer is None or follow_up.due_on > now.astimezone(ZoneInfo(referrer.timezone)).date():
            continue
        with translation.override(referrer.language):  # in the referrer's language
            specs.append(
                NotificationSpec(
                    recipient_id=referrer.pk,
                    kind=REFERRAL_FOLLOW_UP,
                    title=_("A referral follow-up is due"),
                    body=_("How did %(name)s's referral go? Record the outcome.") % {"name": referral.client.display_name},
                    url=reverse("referrals"),
                    dedupe_key=f"referral_follow_up:{follow_up.pk}",
                )
            )
    return len(notifications_create_many(specs, now=now))


def resources_erase(user: User) -> None:
    """A closed account's referrals and curriculum progress go (members.exports.register_eraser)."""
    Referral.objects.filter(client=user).delete()
    ModuleDone.objects.filter(client=user).delete()
