"""Lists and summaries decide visibility for many clients at once; the answer must be the one
the single permission-checked lookup gives, for every viewer and every kind of relationship."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from common.errors import NotVisible
from members.access import client_get_for_viewer, client_scopes_for_many
from members.choices import CareRole, Role
from members.models import CareTeamMember, ClientProfile, ConsentGrant
from tests.factories import UserFactory


@pytest.fixture
def program(org, maya, jordan, dr_reyes, sam, lee, priya):  # type: ignore[no-untyped-def]
    def client(name, consent=True):  # type: ignore[no-untyped-def]
        user = UserFactory(display_name=name, role=Role.CLIENT, organization=org)
        ClientProfile.objects.filter(user=user).update(treatment_consent_at=timezone.now() if consent else None)
        user.refresh_from_db()
        return user

    def team(c, member, role, ended=False):  # type: ignore[no-untyped-def]
        CareTeamMember.objects.create(
            organization=org, client=c, member=member, role=role, ended_at=timezone.now() if ended else None
        )

    def grant(c, grantee, scopes, **extra):  # type: ignore[no-untyped-def]
        ConsentGrant.objects.create(organization=org, client=c, grantee=grantee, scopes=scopes, **extra)

    now = timezone.now()
    consenting, no_consent, shares, expired, revoked, ended, stranger = (
        client("Ana"),
        client("Ben", consent=False),
        client("Cy"),
        client("Di"),
        client("Ed"),
        client("Flo"),
        client("Gus"),
    )
    for c in (consenting, no_consent, shares, expired, revoked):
        team(c, dr_reyes, CareRole.CLINICIAN)
        team(c, jordan, CareRole.MENTOR)
        team(c, lee, CareRole.FAMILY)
    team(ended, jordan, CareRole.MENTOR, ended=True)
    team(ended, dr_reyes, CareRole.CLINICIAN, ended=True)
    grant(no_consent, dr_reyes, ["attendance"])
    grant(shares, jordan, ["checkin_summary", "contact_log"])
    grant(shares, lee, ["checkin_detail"])
    grant(expired, jordan, ["checkin_detail"], expires_at=now - timedelta(minutes=1))
    grant(revoked, jordan, ["checkin_detail"], revoked_at=now)
    inactive = client("Hal")
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    return [maya, consenting, no_consent, shares, expired, revoked, ended, stranger, inactive, priya]


def test_many_equals_one_for_every_viewer(program, maya, jordan, dr_reyes, sam, lee, omar, dr_kim, priya):
    for viewer in (maya, jordan, dr_reyes, sam, lee, omar, dr_kim, priya):
        many = client_scopes_for_many(viewer=viewer, clients=program)
        for c in program:
            try:
                view = client_get_for_viewer(viewer=viewer, client_id=c.pk)
                one = (view.relation, frozenset(view.scopes))
            except NotVisible:
                one = None
            assert many.get(c.pk) == one, (viewer.display_name, c.display_name)


def test_the_fixture_covers_every_kind_of_answer(program, jordan, dr_reyes, omar, priya):
    seen = set()
    for viewer in (jordan, dr_reyes, omar):
        for relation, scopes in client_scopes_for_many(viewer=viewer, clients=program).values():
            seen.add((relation, bool(scopes)))
    assert {("mentor", True), ("mentor", False), ("clinician", True)} <= seen
    assert set(client_scopes_for_many(viewer=omar, clients=program)) == {priya.pk}  # his own program only
