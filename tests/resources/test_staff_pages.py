"""Staff keep the directory and the curriculum on pages: change a resource or a week's module
(pre-filled, field errors beside the fields, what was typed kept), preview a module's body as
members will see it, delete a week. Only staff of the item's own program: another program's staff
get 404, everyone else of the program the page guard's 403."""

import pytest

from common.errors import NotAllowed, NotVisible
from members.models import AuditEvent
from members.services import consent_grant
from resources.models import Module, ModuleDone, Resource
from resources.services import module_delete, module_update, resource_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing(org):  # type: ignore[no-untyped-def]
    return Resource.objects.create(
        organization=org, name="Casa Nueva", category="housing", languages=["es", "en"], phone="312-555-0110", public=True
    )


@pytest.fixture
def week_one(org):  # type: ignore[no-untyped-def]
    return Module.objects.create(
        organization=org, week=1, title="Welcome", summary="You belong here.", body="Hello.", activities=["Say hi"]
    )


def resource_form(**changes: str) -> dict[str, str]:
    data = {
        "name": "Casa Nueva",
        "category": "housing",
        "description": "",
        "languages": "es, en",
        "hours": "",
        "phone": "312-555-0110",
        "address": "",
        "url": "",
        "public": "on",
        "active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def module_form(**changes: str) -> dict[str, str]:
    data = {"week": "1", "title": "Welcome", "summary": "You belong here.", "body": "Hello.", "activities": "Say hi"}
    data.update(changes)
    return data


# --- the directory --------------------------------------------------------------------------


def test_the_directory_links_each_resource_to_its_edit_page(sam, housing, client):
    client.force_login(sam)
    page = client.get("/resources/manage/").content.decode()
    assert f'href="/resources/manage/{housing.pk}/"' in page


def test_staff_change_every_field_of_a_resource(sam, housing, maya, client):
    client.force_login(sam)
    page = client.get(f"/resources/manage/{housing.pk}/").content.decode()
    assert 'value="Casa Nueva"' in page and 'value="es, en"' in page and 'value="312-555-0110"' in page

    changed = resource_form(
        name="Casa Nueva Housing",
        category="family",
        description="Family rooms and a case worker.",
        languages="EN, es, fr",
        hours="Mon–Fri 9–5",
        phone="(312) 555-0199",
        address="12 Lake St, Chicago",
        url="https://casanueva.example.org",
        public=None,  # unticked: off the public page
    )
    r = client.post(f"/resources/manage/{housing.pk}/", changed, follow=True)
    assert r.redirect_chain == [("/resources/manage/", 302)]
    assert "Saved your changes to Casa Nueva Housing." in r.content.decode()
    housing.refresh_from_db()
    assert (housing.name, housing.category, housing.description) == (
        "Casa Nueva Housing",
        "family",
        "Family rooms and a case worker.",
    )
    assert housing.languages == ["en", "es", "fr"]
    assert (housing.hours, housing.phone, housing.address) == ("Mon–Fri 9–5", "(312) 555-0199", "12 Lake St, Chicago")
    assert housing.url == "https://casanueva.example.org" and housing.public is False and housing.active is True
    assert AuditEvent.objects.filter(action="resource.update", target_id=housing.pk, actor=sam).exists()
    # Members see the change in the directory.
    client.force_login(maya)
    assert "Casa Nueva Housing" in client.get("/resources/?category=family").content.decode()


def test_a_bad_link_is_shown_beside_its_field_and_what_was_typed_is_kept(sam, housing, client):
    client.force_login(sam)
    r = client.post(
        f"/resources/manage/{housing.pk}/", resource_form(name="Casa Renamed", url="javascript:alert(1)", hours="Always")
    )
    assert r.status_code == 400
    html = r.content.decode()
    url_field = html[html.index('<label for="id_url">') : html.index('<label for="id_languages">')]
    assert "Give a web address that starts with https://" in url_field
    assert 'aria-invalid="true"' in url_field
    assert 'value="Casa Renamed"' in html and 'value="Always"' in html  # kept
    housing.refresh_from_db()
    assert housing.name == "Casa Nueva" and housing.url == ""  # nothing saved


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "call us"}, "phone", "Give a phone number people can dial"),
        ({"languages": "english"}, "languages", "two-letter codes"),
        ({"name": ""}, "name", "This field is required."),
        ({"category": "nowhere"}, "category", "Select a valid choice."),
    ],
)
def test_bad_input_is_a_field_error_never_a_500(sam, housing, client, changes, field, message):
    client.force_login(sam)
    r = client.post(f"/resources/manage/{housing.pk}/", resource_form(**changes))
    assert r.status_code == 400
    html = r.content.decode()
    assert f'id="id_{field}_error"' in html and message in html
    housing.refresh_from_db()
    assert housing.phone == "312-555-0110" and housing.languages == ["es", "en"]


def test_adding_a_resource_keeps_what_was_typed_on_an_error(sam, client):
    client.force_login(sam)
    r = client.post("/resources/manage/", resource_form(name="Legal aid", category="legal", phone="call us", active=None))
    assert r.status_code == 400
    html = r.content.decode()
    assert 'id="id_phone_error"' in html and 'value="Legal aid"' in html and 'value="call us"' in html
    assert not Resource.objects.exists()
    ok = client.post("/resources/manage/", resource_form(name="Legal aid", category="legal", active=None))
    assert ok.status_code == 302
    added = Resource.objects.get(name="Legal aid")
    assert added.active is True and added.public is True and added.languages == ["es", "en"]


def test_another_programs_staff_get_404_and_members_403(housing, omar, maya, jordan, client):
    client.force_login(omar)
    assert client.get(f"/resources/manage/{housing.pk}/").status_code == 404
    assert client.post(f"/resources/manage/{housing.pk}/", resource_form(name="Taken over")).status_code == 404
    for person in (maya, jordan):
        client.force_login(person)
        assert client.get(f"/resources/manage/{housing.pk}/").status_code == 403
        assert client.post(f"/resources/manage/{housing.pk}/", resource_form(name="Taken over")).status_code == 403
    housing.refresh_from_db()
    assert housing.name == "Casa Nueva"
    assert client.get("/resources/manage/999999/").status_code == 403  # the role guard answers first


def test_the_update_service_holds_the_rule_itself(housing, omar, maya, sam):
    with pytest.raises(NotVisible):
        resource_update(actor=omar, resource=housing, data={"name": "Taken over"})
    with pytest.raises(NotAllowed):
        resource_update(actor=maya, resource=housing, data={"name": "Taken over"})
    housing.refresh_from_db()
    assert housing.name == "Casa Nueva"
    assert resource_update(actor=sam, resource=housing, data={"name": "Casa"}).name == "Casa"


# --- the curriculum -------------------------------------------------------------------------


def test_the_weeks_link_to_their_edit_pages(sam, week_one, client):
    client.force_login(sam)
    page = client.get("/curriculum/manage/").content.decode()
    assert f'href="/curriculum/manage/{week_one.pk}/"' in page
    assert 'name="week" value="2"' in page  # the add form offers the next free week


def test_staff_change_a_module_and_members_read_the_new_version(sam, week_one, maya, client):
    client.force_login(sam)
    page = client.get(f"/curriculum/manage/{week_one.pk}/").content.decode()
    assert 'value="Welcome"' in page and 'value="You belong here."' in page and "\nSay hi</textarea>" in page
    r = client.post(
        f"/curriculum/manage/{week_one.pk}/",
        module_form(
            week="2",
            title="Welcome, truly",
            summary="A first week.",
            body="## Start\n\nOne *day* at a time.",
            activities="Call your mentor\n\n  Walk for ten minutes  ",
        ),
        follow=True,
    )
    assert r.redirect_chain == [("/curriculum/manage/", 302)]
    assert "Saved your changes to week 2." in r.content.decode()
    week_one.refresh_from_db()
    assert (week_one.week, week_one.title, week_one.summary) == (2, "Welcome, truly", "A first week.")
    assert week_one.body == "## Start\n\nOne *day* at a time."
    assert week_one.activities == ["Call your mentor", "Walk for ten minutes"]
    client.force_login(maya)
    member_page = client.get(f"/curriculum/{week_one.pk}/").content.decode()
    assert "Welcome, truly" in member_page and "<em>day</em>" in member_page and "Walk for ten minutes" in member_page


def test_a_taken_week_or_a_week_that_is_not_a_number_keeps_what_was_typed(sam, week_one, org, client):
    Module.objects.create(organization=org, week=2, title="Two")
    client.force_login(sam)
    taken = client.post(f"/curriculum/manage/{week_one.pk}/", module_form(week="2", title="Renamed"))
    assert taken.status_code == 400
    html = taken.content.decode()
    assert 'id="id_week_error"' in html and "That week already has a module." in html
    assert 'value="Renamed"' in html
    assert "Edit week 1: Welcome" in html  # the heading is still the saved module
    not_a_number = client.post(f"/curriculum/manage/{week_one.pk}/", module_form(week="first", body="Typed body"))
    assert not_a_number.status_code == 400
    assert 'id="id_week_error"' in not_a_number.content.decode() and "\nTyped body</textarea>" in not_a_number.content.decode()
    too_many = client.post(f"/curriculum/manage/{week_one.pk}/", module_form(activities="\n".join(f"a{i}" for i in range(21))))
    assert too_many.status_code == 400 and 'id="id_activities_error"' in too_many.content.decode()
    week_one.refresh_from_db()
    assert (week_one.week, week_one.title, week_one.body) == (1, "Welcome", "Hello.")


def test_preview_renders_the_typed_body_safely_without_saving(sam, week_one, client):
    client.force_login(sam)
    saved = client.get(f"/curriculum/manage/{week_one.pk}/").content.decode()
    saved_preview = saved[saved.index('class="module-preview') : saved.index("</article>")]
    assert '<div class="module-body"><p>Hello.</p></div>' in saved_preview and "Say hi" in saved_preview
    body = "Try **this**. <script>alert(1)</script> [bad](javascript:alert(1)) [good](https://ok.example)"
    r = client.post(f"/curriculum/manage/{week_one.pk}/", module_form(body=body, title="Draft title", action="preview"))
    assert r.status_code == 200
    html = r.content.decode()
    preview = html[html.index('class="module-preview') : html.index("</article>")]
    assert "Week 1: Draft title" in preview  # as members will see it, with what was typed
    assert "<strong>this</strong>" in preview and 'href="https://ok.example"' in preview
    assert "<script" not in preview and "javascript:" not in preview
    assert 'value="Draft title"' in html  # what was typed stays in the form
    week_one.refresh_from_db()
    assert week_one.body == "Hello." and week_one.title == "Welcome"


def test_adding_a_module_keeps_what_was_typed_on_an_error(sam, week_one, client):
    client.force_login(sam)
    r = client.post("/curriculum/manage/", module_form(week="1", title="Another week one", body="Kept"))
    assert r.status_code == 400
    html = r.content.decode()
    assert "That week already has a module" in html and 'value="Another week one"' in html and "\nKept</textarea>" in html
    assert Module.objects.count() == 1


def test_staff_delete_a_week_and_the_marks_of_it_go_too(sam, week_one, maya, client):
    ModuleDone.objects.create(client=maya, module=week_one)
    client.force_login(sam)
    assert "One member has marked this week done" in client.get(f"/curriculum/manage/{week_one.pk}/").content.decode()
    r = client.post(f"/curriculum/manage/{week_one.pk}/delete/", follow=True)
    assert r.redirect_chain == [("/curriculum/manage/", 302)]
    assert "Week 1, Welcome, is deleted." in r.content.decode()
    assert not Module.objects.exists() and not ModuleDone.objects.exists()
    event = AuditEvent.objects.get(action="module.delete")
    assert event.changes == {"week": 1, "title": "Welcome", "marked_done": 1}


def test_another_programs_staff_get_404_on_a_module_and_members_403(week_one, omar, maya, client):
    client.force_login(omar)
    assert client.get(f"/curriculum/manage/{week_one.pk}/").status_code == 404
    assert client.post(f"/curriculum/manage/{week_one.pk}/", module_form(title="Taken over")).status_code == 404
    assert client.post(f"/curriculum/manage/{week_one.pk}/delete/").status_code == 404
    client.force_login(maya)
    assert client.get(f"/curriculum/manage/{week_one.pk}/").status_code == 403
    assert client.post(f"/curriculum/manage/{week_one.pk}/", module_form(title="Taken over")).status_code == 403
    assert client.post(f"/curriculum/manage/{week_one.pk}/delete/").status_code == 403
    week_one.refresh_from_db()
    assert week_one.title == "Welcome"


def test_the_module_services_hold_the_rule_themselves(week_one, omar, maya):
    for actor, error in ((omar, NotVisible), (maya, NotAllowed)):
        with pytest.raises(error):
            module_update(actor=actor, module=week_one, data={"title": "Taken over"})
        with pytest.raises(error):
            module_delete(actor=actor, module=week_one)
    assert Module.objects.get(pk=week_one.pk).title == "Welcome"


# --- who may refer (resources.services.may_refer, asked by the plan page) ------------------------


def test_the_plan_page_offers_referring_only_to_her_mentor_and_clinicians(care_team, jordan, dr_reyes, lee, client):
    maya = care_team
    for person in (jordan, lee):
        consent_grant(client=maya, grantee=person, scopes=["plan"], purpose="support")
    Resource.objects.create(organization=maya.organization, name="Casa Nueva", category="housing")
    for person, offered in ((jordan, True), (dr_reyes, True), (lee, False)):
        client.force_login(person)
        page = client.get(f"/clients/{maya.pk}/plan/")
        assert page.status_code == 200
        assert ("Refer to a resource" in page.content.decode()) is offered, person
