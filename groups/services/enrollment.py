"""Enrollment and the waitlist. People join and leave for themselves; clinicians and staff
enroll or remove others. The group row lock serializes every seat change."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from common.errors import Conflict, Invalid, NotAllowed, NotVisible
from members.choices import Role
from members.models import User
from members.selectors import org_user_get
from members.services import audit_record
from notifications.services import notification_create

from ..models import Enrollment, EnrollmentStatus, RecoveryGroup
from ..notify import WAITLIST_PROMOTED
from ..selectors import can_manage_group, can_self_enroll

# Who can be in a group: members of the program, their families, mentors (clinicians and staff
# run groups; they are not enrolled by others).
ENROLLABLE_ROLES = (Role.CLIENT, Role.FAMILY, Role.MENTOR)


@dataclass(frozen=True)
class EnrollmentResult:
    enrollment: Enrollment
    position: int | None


def _waitlist_position(enrollment: Enrollment) -> int | None:
    if enrollment.status != EnrollmentStatus.WAITLISTED or enrollment.waitlist_seq is None:
        return None
    return Enrollment.objects.filter(
        group_id=enrollment.group_id, status=EnrollmentStatus.WAITLISTED, waitlist_seq__lte=enrollment.waitlist_seq
    ).count()


def _require_self_or_manager(*, actor: User, group: RecoveryGroup, member: User) -> None:
    """People join and leave for themselves; only clinicians and staff enroll or remove others."""
    if actor.pk != member.pk and not can_manage_group(user=actor, group=group):
        raise NotAllowed("Only clinicians and staff enroll or remove other people.")


@transaction.atomic
def enrollment_join(*, actor: User, group: RecoveryGroup, member: User) -> EnrollmentResult:
    """Take a seat, or the next place on the waitlist when the group is full. The group row lock
    serializes joins, so two people taking the last seat at once get one seat and one place."""
    if member.organization_id != group.organization_id:
        raise Invalid("This person is not in your program.", field="member")
    _require_self_or_manager(actor=actor, group=group, member=member)
    locked = RecoveryGroup.objects.select_for_update().get(pk=group.pk)
    if locked.archived_at is not None:
        raise Conflict("This group has ended.")
    now = timezone.now()
    enrollment = Enrollment.objects.filter(group=locked, member=member).first()
    if enrollment is not None and enrollment.status in (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED):
        raise Conflict("Already in this group." if enrollment.status == EnrollmentStatus.ENROLLED else "Already on the waitlist.")
    if actor.pk == member.pk and not can_self_enroll(user=actor, group=locked):
        raise NotAllowed("Members of this group are enrolled by the care team.")
    if enrollment is None:
        enrollment = Enrollment(organization_id=locked.organization_id, group=locked, member=member)
    seated = Enrollment.objects.filter(group=locked, status=EnrollmentStatus.ENROLLED).count()
    waiting = Enrollment.objects.filter(group=locked, status=EnrollmentStatus.WAITLISTED).exists()
    enrollment.added_by = actor if actor.pk != member.pk else None
    enrollment.left_at = None
    enrollment.updated_at = now
    if (locked.capacity is None or seated < locked.capacity) and not waiting:
        enrollment.status = EnrollmentStatus.ENROLLED
        enrollment.enrolled_at = now
        enrollment.waitlist_seq = None
    else:
        locked.waitlist_counter += 1
        RecoveryGroup.objects.filter(pk=locked.pk).update(waitlist_counter=locked.waitlist_counter)
        enrollment.status = EnrollmentStatus.WAITLISTED
        enrollment.waitlisted_at = now
        enrollment.waitlist_seq = locked.waitlist_counter
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        raise Conflict("Already in this group.") from None
    audit_record(
        actor=actor,
        action="group.enroll" if enrollment.status == EnrollmentStatus.ENROLLED else "group.waitlist",
        target=enrollment,
        client=member if member.role == Role.CLIENT else None,
        changes={"group": locked.pk, "member": member.pk},
    )
    return EnrollmentResult(enrollment=enrollment, position=_waitlist_position(enrollment))


def waitlist_promote(*, group: RecoveryGroup, actor: User | None) -> list[Enrollment]:
    """Seat the head of the waitlist while there is room. Caller holds the group row lock."""
    promoted: list[Enrollment] = []
    capacity = RecoveryGroup.objects.filter(pk=group.pk).values_list("capacity", flat=True).get()
    seated = Enrollment.objects.filter(group_id=group.pk, status=EnrollmentStatus.ENROLLED).count()
    room = None if capacity is None else max(capacity - seated, 0)
    queue = Enrollment.objects.filter(group_id=group.pk, status=EnrollmentStatus.WAITLISTED).select_related("member")
    heads = list(queue.order_by("waitlist_seq")[:room] if room is not None else queue.order_by("waitlist_seq"))
    now = timezone.now()
    for head in heads:
        head.status = EnrollmentStatus.ENROLLED
        head.enrolled_at = now
        head.waitlist_seq = None
        head.updated_at = now
        head.save(update_fields=["status", "enrolled_at", "waitlist_seq", "updated_at"])
        notification_create(
            recipient=head.member,
            kind=WAITLIST_PROMOTED,
            title=f"You have a seat in {group.name}",
            body="A place opened up and you are now enrolled. See you at the next session.",
            url=reverse("my-groups"),
            dedupe_key=f"groups:waitlist-promoted:{head.pk}:{now.isoformat()}",
            payload={"group": group.pk},
        )
        audit_record(
            actor=actor,
            action="group.waitlist_promote",
            target=head,
            client=head.member if head.member.role == Role.CLIENT else None,
            changes={"group": group.pk},
        )
        promoted.append(head)
    return promoted


@transaction.atomic
def enrollment_leave(*, actor: User, group: RecoveryGroup, member: User) -> list[Enrollment]:
    """Leave (or be removed from) a group; the head of the waitlist takes the seat, atomically.
    Returns who was promoted."""
    _require_self_or_manager(actor=actor, group=group, member=member)
    locked = RecoveryGroup.objects.select_for_update().get(pk=group.pk)
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(group=locked, member=member, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED])
        .first()
    )
    if enrollment is None:
        raise Conflict("Not in this group.")
    was_seated = enrollment.status == EnrollmentStatus.ENROLLED
    now = timezone.now()
    enrollment.status = EnrollmentStatus.LEFT
    enrollment.waitlist_seq = None
    enrollment.left_at = now
    enrollment.updated_at = now
    enrollment.save(update_fields=["status", "waitlist_seq", "left_at", "updated_at"])
    audit_record(
        actor=actor,
        action="group.leave" if actor.pk == member.pk else "group.remove",
        target=enrollment,
        client=member if member.role == Role.CLIENT else None,
        changes={"group": locked.pk, "member": member.pk},
    )
    return waitlist_promote(group=locked, actor=actor) if was_seated else []


def enrollment_member_for(*, actor: User, group: RecoveryGroup, member_id: int | str, any_role: bool = False) -> User:
    """The other person an enroll or a removal is about: clinicians and staff only, checked
    before anyone is looked up, so a member naming someone else learns nothing about who
    exists. Nobody of the program with that id is a 400 on the enroll form; with `any_role`
    (a removal names the person in its URL, whatever her role) a 404."""
    if not can_manage_group(user=actor, group=group):
        raise NotAllowed("Only clinicians and staff enroll or remove other people.")
    member = org_user_get(viewer=actor, user_id=member_id, roles=None if any_role else list(ENROLLABLE_ROLES))
    if member is None:
        if any_role:
            raise NotVisible()
        raise Invalid("Choose a member of your program.", field="member")
    return member
