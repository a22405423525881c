"""Issue 13: home, the member's privacy page, finding a mentor, the mentor's proposals, batch
matching and the dashboards speak Spanish to whoever reads Spanish; fit reasons (stored in
English on the match) are said in the reader's language; notifications go out in each
recipient's own language."""

from __future__ import annotations

import pytest
from django.test import Client

from matching.models import Match, MatchRequest
from matching.reason_words import reasons_say
from members.models import ClientProfile, User
from notifications.models import Notification
from tests.matching.conftest import EVENINGS, make_mentor

pytestmark = pytest.mark.django_db


def browser(user, language: str = "es") -> Client:  # type: ignore[no-untyped-def]
    user.language = language
    user.save()
    c = Client()
    c.force_login(User.objects.get(pk=user.pk))
    return c


@pytest.fixture
def mentor(org):  # type: ignore[no-untyped-def]
    return make_mentor(org, "Jordan", pathways=["smart"], languages=["en", "es"], years_in_recovery=6, availability=EVENINGS)


def test_her_home_and_privacy_pages_are_in_spanish(maya):
    c = browser(maya)
    home = c.get("/home/").content.decode()
    assert '<html lang="es">' in home
    assert "Próximos pasos" in home and "Tu equipo de apoyo" in home and "Next steps" not in home
    privacy = c.get("/privacy/").content.decode()
    assert "Quién puede ver mis datos" in privacy and "Registro de acceso" in privacy
    assert "Who can see my data" not in privacy


def test_she_finds_a_mentor_in_spanish_with_reasons_in_spanish(maya, mentor):
    ClientProfile.objects.filter(user=maya).update(availability=EVENINGS, pathways=["smart"], languages=["en", "es"])
    c = browser(maya)
    assert "Encuentra un mentor par" in c.get("/mentor/").content.decode()
    c.post("/mentor/request/")
    page = c.get("/mentor/").content.decode()
    assert "Los mentores que mejor encajan contigo" in page and "Elegir a Jordan" in page
    assert "Ambos siguen SMART Recovery" in page and "Disponible: martes y jueves por la noche" in page
    assert "6 años en recuperación" in page and "Habla español" in page


def test_the_mentor_reads_proposals_and_gets_notified_in_spanish(maya, mentor):
    req = MatchRequest.objects.create(organization=maya.organization, client=maya)
    match = Match.objects.create(
        organization=req.organization, client=maya, mentor=mentor, request=req, reasons=["Speaks Spanish"]
    )
    c = browser(mentor)
    page = c.get("/proposals/").content.decode()
    assert "Propuestas y mentoreados" in page and "Aceptar a Maya" in page and "Ambos hablan español" in page
    maya.language = "en"
    maya.save()
    c.post(f"/proposals/{match.pk}/accept/")
    # Maya reads English: the notification she gets is in her language, not the mentor's.
    assert Notification.objects.get(recipient=maya).title == "Jordan is now your mentor"


def test_reasons_stay_english_for_english_readers():
    stored = ["Both on a SMART Recovery path", "Free Tuesday evenings", "Speaks Spanish", "1 year in recovery"]
    assert reasons_say(stored) == stored


def test_the_dashboards_and_batch_matching_are_in_spanish(care_team, dr_reyes, sam):
    caseload = browser(dr_reyes).get("/dashboard/").content.decode()
    assert "Primero quienes corren más riesgo" in caseload and "Último registro diario" in caseload
    staff = browser(sam)
    program = staff.get("/dashboard/program/").content.decode()
    assert "Panel del programa" in program and "Semana a semana" in program and "Descargar CSV" in program
    runs = staff.get("/staff/matching/").content.decode()
    assert "Ver el plan (sin enviar)" in runs
    members = staff.get("/clients/").content.decode()
    assert "Todas las personas del programa" in members and "Nombre" in members
