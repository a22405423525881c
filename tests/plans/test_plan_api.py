"""GET /clients/{id}/plan/, goals, steps and the backup plan (API.md "The member's own plan")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import AccessLog
from plans.models import Goal, Milestone

pytestmark = pytest.mark.django_db


def plan_url(client):  # type: ignore[no-untyped-def]
    return f"/api/v1/clients/{client.pk}/plan/"


def test_maya_writes_a_goal_with_a_step_and_her_mentor_sees_it(plan_team, jordan, api):
    maya = plan_team
    made = api(maya).post(plan_url(maya) + "goals/", {"title": "Call my sister weekly", "domain": "social"}, format="json")
    assert made.status_code == 201, made.data
    assert made.data["status"] == "active" and made.data["steps"] == [] and made.data["owner"]["id"] == maya.pk
    step = api(maya).post(f"/api/v1/plan-goals/{made.data['id']}/steps/", {"title": "Sunday call"}, format="json")
    assert step.status_code == 201
    done = api(maya).post(f"/api/v1/plan-steps/{step.data['id']}/done/")
    assert done.status_code == 200 and done.data["done_at"]

    seen = api(jordan).get(plan_url(maya))
    assert seen.status_code == 200
    assert [g["title"] for g in seen.data["goals"]] == ["Call my sister weekly"]
    assert seen.data["goals"][0]["steps"][0]["done_at"] is not None
    assert AccessLog.objects.filter(client=maya, actor=jordan, resource="plan").exists()


def test_the_backup_plan_round_trips(plan_team, dr_reyes, api):
    maya = plan_team
    body = {
        "warning_signs": ["Skipping meals", "Not answering texts"],
        "coping_steps": ["Walk around the block", "Text my sponsor"],
        "people": [{"name": "Lee", "phone": "312-555-0101"}],
    }
    put = api(dr_reyes).put(plan_url(maya) + "backup/", body, format="json")
    assert put.status_code == 200, put.data
    got = api(maya).get(plan_url(maya)).data["backup_plan"]
    assert got["coping_steps"] == body["coping_steps"] and got["people"][0]["name"] == "Lee"


def test_family_without_the_plan_scope_gets_403_and_outsiders_404(plan_team, lee, omar, priya, api):
    maya = plan_team
    assert api(lee).get(plan_url(maya)).status_code == 403
    assert api(omar).get(plan_url(maya)).status_code == 404
    assert api(priya).get(plan_url(maya)).status_code == 404
    goal = Goal.objects.create(organization=maya.organization, client=maya, title="Sleep", domain="physical")
    # Steps on someone else's goal: 404, never "it exists".
    assert api(priya).post(f"/api/v1/plan-goals/{goal.pk}/steps/", {"title": "x"}, format="json").status_code == 404
    assert api(omar).patch(f"/api/v1/plan-goals/{goal.pk}/", {"status": "done"}, format="json").status_code == 404


def test_bad_input(plan_team, api):
    maya = plan_team
    c = api(maya)
    assert c.post(plan_url(maya) + "goals/", {"title": "x", "domain": "spiritual"}, format="json").status_code == 400
    far = (timezone.now() + timedelta(days=365 * 5)).date().isoformat()
    r = c.post(plan_url(maya) + "goals/", {"title": "x", "domain": "human", "due": far}, format="json")
    assert r.status_code == 400 and "due" in r.data
    assert c.put(plan_url(maya) + "backup/", {"people": [{"name": "A", "phone": "call me"}]}, format="json").status_code == 400
    assert c.post(plan_url(maya) + "goals/", {"title": 5, "domain": "human"}, format="json").status_code == 400


def test_a_goal_done_is_a_milestone_announced_in_app(plan_team, api):
    maya = plan_team
    goal = api(maya).post(plan_url(maya) + "goals/", {"title": "Get an ID", "domain": "physical"}, format="json").data
    assert api(maya).patch(f"/api/v1/plan-goals/{goal['id']}/", {"status": "done"}, format="json").status_code == 200
    ms = api(maya).get("/api/v1/me/milestones/").data
    assert [m["kind"] for m in ms] == ["goal_done"]
    assert maya.notifications.filter(kind="milestone").count() == 1
    assert Milestone.objects.filter(client=maya).count() == 1
