"""Issue 13: the check-in pages speak Spanish to a member who reads Spanish, and what planners
send a care team is written in each recipient's own language, in one batch."""

import pytest
from django.conf import settings
from django.utils import translation

from checkins import charts
from members.models import User
from notifications.models import Notification
from notifications.services.delivery import email_message

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_her_check_in_and_progress_are_in_spanish(client, maya, frozen):
    maya.language = "es"
    maya.save()
    client.force_login(User.objects.get(pk=maya.pk))
    page = client.get("/checkin/").content.decode()
    assert '<html lang="es">' in page
    assert "¿Cómo estás hoy?" in page and "¿Cómo está tu ánimo hoy?" in page and "Necesito apoyo ahora mismo" in page
    assert "Muy bajo" in page and "Prefiero no decirlo" in page and "How are you today?" not in page
    assert "No tienes que pasar por esto a solas" in page  # the crisis box, ready to open
    done = client.post("/checkin/", {"mood": "4", "craving": "2", "used": "no"}).content.decode()
    assert "Gracias por hacer tu registro" in done and "Llevas <strong>1 día seguido</strong>" in done
    progress = client.get("/progress/").content.decode()
    assert "Estar presente cuenta." in progress and "Calendario de registros" in progress
    assert "día seguido con registro" in progress and "Cuestionarios" in progress
    form = client.get("/assessments/phq-9/").content.decode()
    assert "Estado de ánimo (PHQ-9)" in form and "Poco interés o placer en hacer cosas" in form
    assert "Casi todos los días" in form and "Ver mi resultado" in form


def test_a_crisis_alert_reaches_each_person_in_her_language(care_team, dr_reyes, jordan, post_checkin, frozen):
    dr_reyes.language = "es"
    dr_reyes.save()  # Jordan stays in English
    post_checkin(care_team, need_support=True, mood=1)
    to_reyes = Notification.objects.get(kind="crisis_alert", recipient=dr_reyes)
    to_jordan = Notification.objects.get(kind="crisis_alert", recipient=jordan)
    name = care_team.display_name
    assert (
        to_reyes.title == f"{name} necesita apoyo ahora"
        and to_reyes.outside_text == f"{name} necesita apoyo ahora. Abre Kinship."
    )
    assert to_jordan.title == f"{name} needs support now"
    # The email is written in her language, whoever's task sends it.
    message = email_message(to_reyes)
    assert message.subject == f"{name} necesita apoyo ahora. Abre Kinship."
    assert "Hola, " in message.body and "llama o escribe al 988" in message.body
    assert '<html lang="es">' in message.alternatives[0][0]
    assert "Hi " in email_message(to_jordan).body


def test_the_calendar_is_labelled_in_the_active_language(frozen):
    from datetime import date

    with translation.override("es"):
        svg = charts.calendar({date(2026, 10, 19)}, today=date(2026, 10, 20))
    assert "Calendario de registros: 1 registro en las últimas 12 semanas" in svg and "hizo su registro" in svg
