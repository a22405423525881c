"""Issue 13: the groups, sign-in and account pages speak Spanish to whoever reads Spanish (her own
`language` when signed in, Accept-Language before), dates and times follow the language, the
crisis resources say how to get Spanish, and a string nobody translated shows in English, never
blank."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from checkins.services.crisis import crisis_resources
from groups import services
from groups.recurrence import describe
from members.models import User
from tests.groups.conftest import frozen, make_group  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya_es(client, maya):  # type: ignore[no-untyped-def]
    maya.language = "es"
    maya.save()
    client.force_login(User.objects.get(pk=maya.pk))
    return client


def test_she_finds_and_joins_a_group_in_spanish(frozen, maya_es, maya, make_group):  # noqa: F811
    group = make_group(name="Tuesday SMART", capacity=1)
    html = maya_es.get("/groups/").content.decode()
    assert '<html lang="es">' in html
    assert "Buscar un grupo" in html and "Cualquier día" in html and "Mostrar grupos" in html
    assert "Cada martes a las 7 p. m." in html  # the schedule, written for her
    assert "Próxima: mar 20 de oct, 7:00 p.m." in html  # the date in Spanish, not "Tue 20 Oct"
    assert "Queda 1 lugar" in html and "Find a group" not in html
    joined = maya_es.post(f"/groups/{group.pk}/join/", follow=True).content.decode()
    assert "Te uniste a Tuesday SMART" in joined
    mine = maya_es.get("/groups/mine/").content.decode()
    assert "Mis grupos" in mine and "Agrega tus grupos a tu calendario" in mine and "martes 20 de oct" in mine


def test_the_facilitator_roster_is_in_spanish(frozen, client, jordan, make_group):  # noqa: F811
    jordan.language = "es"
    jordan.save()
    group = make_group(name="Tuesday SMART")
    client.force_login(User.objects.get(pk=jordan.pk))
    html = client.get(f"/groups/manage/{group.pk}/").content.decode()
    assert "Sesiones" in html and "Lista de espera" in html and "No hay nadie esperando." in html


def test_her_profile_and_onboarding_speak_spanish(maya_es, maya):
    from members.models import ClientProfile

    ClientProfile.objects.filter(user=maya).update(experience_tags=["parent", "grief"], pathways=["moud"], languages=["en", "es"])
    profile = maya_es.get("/profile/").content.decode()
    assert "Mi perfil" in profile and "Tus respuestas" in profile and "Guardar datos de la cuenta" in profile
    assert "Madre o padre, Duelo y pérdida" in profile and "Inglés, Español" in profile
    assert "medicamentos para el trastorno por consumo de opioides" in profile
    step = maya_es.get("/onboarding/1/").content.decode()
    assert "¿Cuál es tu meta ahora mismo?" in step and "No consumir nada" in step and "Paso 1 de 5" in step
    step3 = maya_es.get("/onboarding/3/").content.decode()
    assert "sábado por la mañana" in step3 and "Mañana" in step3


def test_a_spanish_browser_gets_spanish_sign_up_and_errors_before_signing_in(client):
    es = {"HTTP_ACCEPT_LANGUAGE": "es-US,es;q=0.9"}
    signup = client.get("/signup/", **es).content.decode()
    assert "Únete a tu programa" in signup and "Código del programa" in signup and "Crear mi cuenta" in signup
    bad = client.post("/signup/", {"organization": "", "email": "nope"}, **es).content.decode()
    assert "Este campo es obligatorio." in bad and "Escribe un correo electrónico válido." in bad
    wrong = client.post("/login/", {"email": "nobody@example.com", "password": "not-it-at-all"}, **es).content.decode()
    assert "El correo o la contraseña no son correctos." in wrong
    missing = client.get("/no-such-page/", **es)
    assert missing.status_code == 404 and "No encontramos esa página" in missing.content.decode()
    landing = client.get("/", **es).content.decode()
    assert "La recuperación es mejor en compañía." in landing and "Dejarlo por completo." in landing


def test_the_crisis_resources_say_how_to_get_spanish():
    with translation.override("es"):
        resources = crisis_resources(None)
    assert "Para español, marca 2." in resources[0]["how"]
    assert "en inglés y español" in resources[1]["how"] and resources[1]["call"] == "tel:18006624357"
    assert resources[2]["call_label"] == "Llamar al 911"
    with translation.override("en"):
        assert "For Spanish, press 2." in crisis_resources(None)[0]["how"]


def test_schedules_follow_the_language():
    start = datetime(2026, 1, 6, 18, 30)  # noqa: DTZ001 - a naive wall-clock start, as stored
    with translation.override("es"):
        assert describe("FREQ=WEEKLY;BYDAY=TU,TH", start) == "Cada martes y jueves a las 6:30 p. m."
        assert describe("FREQ=WEEKLY;BYDAY=SA", datetime(2026, 1, 3, 13, 0)) == "Cada sábado a la 1 p. m."  # noqa: DTZ001
        assert describe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", start) == "De lunes a viernes a las 6:30 p. m."
    with translation.override("en"):
        assert describe("FREQ=WEEKLY;BYDAY=TU,TH", start) == "Every Tuesday and Thursday at 6:30 pm"


def test_a_missing_translation_falls_back_to_english_never_blank(maya_es):
    with translation.override("es"):
        text = Template('{% load i18n %}<p>{% translate "Words nobody has translated yet" %}</p>').render(Context())
    assert text == "<p>Words nobody has translated yet</p>"
    # a page whose own words are translated still shows her English data as it is
    html = maya_es.get("/profile/").content.decode()
    assert "Maya" in html and "Mi perfil" in html


def test_errors_of_a_group_form_are_in_spanish(frozen, client, dr_reyes):  # noqa: F811
    dr_reyes.language = "es"
    dr_reyes.save()
    client.force_login(User.objects.get(pk=dr_reyes.pk))
    html = client.post("/groups/manage/new/", {"name": "", "timezone": "America/Chicago"}).content.decode()
    assert "Nuevo grupo" in html and "Elige al menos un día (o escribe una regla personalizada)." in html


def test_enrolling_someone_says_so_in_spanish(frozen, client, dr_reyes, maya, make_group):  # noqa: F811
    dr_reyes.language = "es"
    dr_reyes.save()
    group = make_group(name="Tuesday SMART")
    client.force_login(User.objects.get(pk=dr_reyes.pk))
    html = client.post(f"/groups/manage/{group.pk}/enroll/", {"member": maya.pk}, follow=True).content.decode()
    assert "Maya" in html and "quedó inscrito" in html
    services.enrollment_leave(actor=dr_reyes, group=group, member=maya)


def test_her_pronouns_read_in_the_readers_language(client, care_team, maya, dr_reyes):
    from django.urls import reverse

    maya.pronouns = "She / Her"
    maya.save(update_fields=["pronouns"])
    dr_reyes.language = "es"
    dr_reyes.save(update_fields=["language"])
    client.force_login(User.objects.get(pk=dr_reyes.pk))
    for url in (reverse("client-detail", args=[maya.pk]), reverse("client-list")):
        html = client.get(url).content.decode()
        assert "Maya" in html and "(ella)" in html and "She / Her" not in html, url
    dr_reyes.language = "en"
    dr_reyes.save(update_fields=["language"])
    client.force_login(User.objects.get(pk=dr_reyes.pk))
    assert "(She / Her)" in client.get(reverse("client-detail", args=[maya.pk])).content.decode()
    maya.pronouns = "xe/xem"  # anything else is shown as she typed it, in every language
    maya.save(update_fields=["pronouns"])
    dr_reyes.language = "es"
    dr_reyes.save(update_fields=["language"])
    client.force_login(User.objects.get(pk=dr_reyes.pk))
    assert "(xe/xem)" in client.get(reverse("client-detail", args=[maya.pk])).content.decode()
