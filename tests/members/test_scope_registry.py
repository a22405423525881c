"""members names no feature's consent scopes: the grant form, the consent serializer and the
scope labels read members.access's registry when they are used, so a scope a feature
registers in its AppConfig.ready() (after members is imported) is offered everywhere."""

from __future__ import annotations

import pytest

from members import access
from members.forms import ConsentGrantForm
from members.models import ConsentGrant
from members.serializers import ConsentCreateSerializer
from members.templatetags.kinship import label

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_scope():  # type: ignore[no-untyped-def]
    access.consent_scope_register("plan_test", "My recovery plan (goals and backup plan)", order=999)
    yield "plan_test"
    access._scopes.pop("plan_test", None)


def test_a_scope_registered_later_is_offered_by_the_form_serializer_and_labels(plan_scope, api, care_team, jordan):
    assert plan_scope in dict(ConsentGrantForm().fields["scopes"].choices)
    assert ConsentCreateSerializer(data={"grantee": jordan.pk, "scopes": [plan_scope]}).is_valid()
    assert label(plan_scope, "scope") == "My recovery plan (goals and backup plan)"
    assert label(plan_scope, "scope_short") == "My recovery plan"
    r = api(care_team).post("/api/v1/me/consents/", {"grantee": jordan.pk, "scopes": [plan_scope]}, format="json")
    assert r.status_code == 201, r.content
    assert ConsentGrant.objects.get(grantee=jordan).scopes == [plan_scope]


def test_the_features_scopes_are_the_registered_ones(jordan):
    registered = dict(access.consent_scope_choices())
    assert {"checkin_summary", "checkin_detail", "assessments", "attendance", "contact_log"} <= set(registered)
    assert not ConsentCreateSerializer(data={"grantee": jordan.pk, "scopes": ["everything"]}).is_valid()
