"""The pages a member and her team use: my plan, her plan, support after a hard check-in, home."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from plans.models import Goal, Plan
from resources.models import Module, Resource

pytestmark = pytest.mark.django_db


def test_maya_adds_a_goal_and_a_step_on_her_phone(maya, client):
    client.force_login(maya)
    assert client.get("/plan/").status_code == 200
    r = client.post("/plan/", {"action": "add_goal", "title": "Walk every morning", "domain": "physical", "owner": str(maya.pk)})
    assert r.status_code == 302
    goal = Goal.objects.get(client=maya)
    client.post("/plan/", {"action": "add_step", "goal": str(goal.pk), "title": "Shoes by the door"})
    page = client.get("/plan/").content.decode()
    assert "Walk every morning" in page and "Shoes by the door" in page and "Physical: health, housing, money" in page
    bad = client.post("/plan/", {"action": "add_goal", "title": "x", "domain": "spiritual"}, follow=True)
    assert "Choose a domain" in bad.content.decode()


def test_her_mentor_with_the_plan_scope_reads_and_refers(plan_team, jordan, client):
    maya = plan_team
    resource = Resource.objects.create(organization=maya.organization, name="Casa Nueva", category="housing")
    client.force_login(jordan)
    page = client.get(f"/clients/{maya.pk}/plan/").content.decode()
    assert "Refer to a resource" in page and "Casa Nueva" in page
    assert "Recovery strengths" not in page  # questionnaires are not shared with him
    r = client.post(f"/clients/{maya.pk}/referrals/", {"resource": str(resource.pk)})
    assert r.status_code == 302
    assert "Maya → Casa Nueva" in client.get("/referrals/").content.decode()


def test_family_without_the_plan_scope_and_outsiders_do_not_see_it(plan_team, lee, priya, client):
    client.force_login(lee)
    assert client.get(f"/clients/{plan_team.pk}/plan/").status_code == 403
    client.force_login(priya)
    assert client.get(f"/clients/{plan_team.pk}/plan/").status_code == 404


def test_a_hard_check_in_shows_her_own_steps_on_the_page(maya, client):
    Plan.objects.create(organization=maya.organization, client=maya, coping_steps=["Walk to the river"])
    client.force_login(maya)
    html = client.post("/checkin/", {"mood": "2", "craving": "8", "used": "no"}).content.decode()
    assert "For a day like today" in html and "Walk to the river" in html
    calm = client.post("/checkin/", {"mood": "4", "craving": "1", "used": "no"}).content.decode()
    assert "For a day like today" not in calm


def test_home_shows_her_plan_and_this_week_in_few_queries(maya, client, django_assert_max_num_queries):
    Goal.objects.create(organization=maya.organization, client=maya, title="Sleep", domain="physical")
    Module.objects.create(organization=maya.organization, week=1, title="Welcome: you belong here")
    client.force_login(maya)
    client.get("/home/")
    with django_assert_max_num_queries(10):
        html = client.get("/home/").content.decode()
    assert "Sleep" in html and "Welcome: you belong here" in html


def test_staff_import_a_csv_and_the_public_page_lists_public_ones(sam, client, org):
    client.force_login(sam)
    csv = b"name,category,languages,public\nShelter,housing,en,yes\nDrop-in,other,en,no\n"
    r = client.post("/resources/manage/", {"action": "import", "file": SimpleUploadedFile("r.csv", csv, content_type="text/csv")})
    assert r.status_code == 302
    client.logout()
    public = client.get(f"/o/{org.slug}/").content.decode()
    assert "Shelter" in public and "Drop-in" not in public


def test_curriculum_markdown_is_inert_on_the_page(maya, client):
    Module.objects.create(
        organization=maya.organization, week=1, title="W1", body="<script>alert(1)</script>[x](javascript:alert(1))"
    )
    client.force_login(maya)
    html = client.get("/curriculum/").content.decode()
    assert "<script>alert" not in html and "javascript:alert" not in html


def test_the_check_in_page_asks_about_medication_only_when_she_set_one(maya, client):
    from checkins.models import MedicationAnswer

    client.force_login(maya)
    assert "Took your medication today?" not in client.get("/checkin/").content.decode()
    client.post("/medications/", {"name0": "Buprenorphine", "times0": "08:00"})
    assert "Took your medication today?" in client.get("/checkin/").content.decode()
    client.post("/checkin/", {"mood": "4", "craving": "1", "used": "no", "took_medication": "yes"})
    assert MedicationAnswer.objects.get(client=maya).took == "yes"
    assert "Taken on 1 of the 1 days you answered" in client.get("/progress/").content.decode()
