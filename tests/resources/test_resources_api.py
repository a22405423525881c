"""The directory, referrals with 30/60/90-day follow-ups, and the curriculum."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from resources.models import Module, Resource
from resources.services import referral_follow_ups_plan, resources_import_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(org):  # type: ignore[no-untyped-def]
    return Resource.objects.create(
        organization=org, name="Casa Nueva", category="housing", languages=["es", "en"], phone="312-555-0110"
    )


def test_members_search_by_category_and_language(maya, housing, org, api):
    Resource.objects.create(organization=org, name="Food pantry", category="food", languages=["en"])
    got = api(maya).get("/api/v1/resources/?language=es").data["results"]
    assert [r["name"] for r in got] == ["Casa Nueva"]
    assert [r["name"] for r in api(maya).get("/api/v1/resources/?category=food").data["results"]] == ["Food pantry"]


def test_staff_add_resources_and_bad_urls_or_phones_are_400(sam, maya, api):
    good = {"name": "Legal aid", "category": "legal", "url": "https://legal.example.org", "phone": "(312) 555-0199"}
    assert api(sam).post("/api/v1/resources/", good, format="json").status_code == 201
    assert api(sam).post("/api/v1/resources/", {**good, "url": "javascript:alert(1)"}, format="json").status_code == 400
    assert api(sam).post("/api/v1/resources/", {**good, "phone": "call us"}, format="json").status_code == 400
    assert api(maya).post("/api/v1/resources/", good, format="json").status_code == 403


def test_csv_import_is_all_or_nothing(sam):
    bad = "name,category,phone\nShelter,housing,312-555-0100\nBroken,nowhere,\n"
    result = resources_import_csv(actor=sam, text=bad)
    assert result.created == 0 and "Line 3" in result.errors[0]
    ok = 'name,category,languages,public\nShelter,housing,"en,es",yes\n'
    assert resources_import_csv(actor=sam, text=ok).created == 1
    assert Resource.objects.get(name="Shelter").languages == ["en", "es"]


def test_a_referral_has_three_follow_ups_that_reach_the_referrers_inbox(care_team, dr_reyes, housing, api):
    maya = care_team
    made = api(dr_reyes).post("/api/v1/referrals/", {"client": maya.pk, "resource": housing.pk}, format="json")
    assert made.status_code == 201, made.data
    assert made.data["status"] == "open" and len(made.data["follow_ups"]) == 3
    assert all(f["outcome"] is None for f in made.data["follow_ups"])
    assert referral_follow_ups_plan() == 0
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert referral_follow_ups_plan() == 1
        assert referral_follow_ups_plan() == 0  # once
    assert dr_reyes.notifications.filter(kind="referral_follow_up").count() == 1
    rid = made.data["id"]
    # Someone else: the member herself 403; an outsider 404.
    assert api(maya).post(f"/api/v1/referrals/{rid}/follow-ups/", {"outcome": "connected"}, format="json").status_code == 403
    done = api(dr_reyes).post(f"/api/v1/referrals/{rid}/follow-ups/", {"outcome": "connected"}, format="json")
    assert done.status_code == 201
    assert api(maya).get("/api/v1/referrals/").data["results"][0]["status"] == "connected"


def test_referrals_outside_the_care_team_are_404(maya, jordan, dr_kim, housing, api):
    # Jordan is not (yet) on Maya's care team; Dr. Kim is in another program.
    assert api(jordan).post("/api/v1/referrals/", {"client": maya.pk, "resource": housing.pk}, format="json").status_code == 404
    assert api(dr_kim).post("/api/v1/referrals/", {"client": maya.pk, "resource": housing.pk}, format="json").status_code == 404
    assert api(dr_kim).get(f"/api/v1/referrals/?client={maya.pk}").status_code == 404


def test_module_markdown_is_rendered_inert(sam, maya, api):
    body = "Hello <script>alert(1)</script> [click](javascript:alert(1)) [ok](https://ok.example)"
    made = api(sam).post("/api/v1/curriculum/modules/", {"week": 1, "title": "Welcome", "body": body}, format="json")
    assert made.status_code == 201, made.data
    html = made.data["body_html"]
    assert "<script" not in html and "javascript:" not in html and 'href="https://ok.example"' in html
    mine = api(maya).get("/api/v1/me/curriculum/").data
    assert mine["week"] == 1 and mine["this_week"]["title"] == "Welcome" and mine["done"] == []
    module_id = mine["this_week"]["id"]
    assert api(maya).post(f"/api/v1/me/curriculum/{module_id}/done/").status_code == 200
    assert api(maya).get("/api/v1/me/curriculum/").data["done"] == [module_id]


def test_an_outsider_cannot_mark_anothers_module(priya, org, api):
    module = Module.objects.create(organization=org, week=1, title="Welcome")
    assert api(priya).post(f"/api/v1/me/curriculum/{module.pk}/done/").status_code == 404


def test_the_program_dashboard_counts_referrals_made_and_connected(care_team, dr_reyes, sam, housing, api):
    made = api(dr_reyes).post("/api/v1/referrals/", {"client": care_team.pk, "resource": housing.pk}, format="json").data
    api(dr_reyes).post("/api/v1/referrals/", {"client": care_team.pk, "resource": housing.pk}, format="json")
    api(dr_reyes).post(f"/api/v1/referrals/{made['id']}/follow-ups/", {"outcome": "connected"}, format="json")
    figures = api(sam).get("/api/v1/dashboard/program/").data
    assert figures["referrals_made"] == 2 and figures["referrals_connected"] == 1
