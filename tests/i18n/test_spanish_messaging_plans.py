"""Issue 13: messages, the plan, resources and the family home speak Spanish to a member whose
`language` is "es"; a notification is written in its recipient's language, not the sender's."""

from __future__ import annotations

import pytest

from members.models import User
from messaging import services as messaging_services
from notifications.models import Notification
from plans.services.milestones import milestones_announce
from tests.messaging.conftest import jordan, match_conv, matched  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _spanish(user: User) -> User:
    user.language = "es"
    user.save(update_fields=["language"])
    return User.objects.get(pk=user.pk)


def test_her_plan_inbox_and_conversation_are_in_spanish(client, maya, match_conv):  # noqa: F811
    client.force_login(_spanish(maya))
    plan = client.get("/plan/").content.decode()
    assert '<html lang="es">' in plan
    assert "Mi plan" in plan and "Agregar una meta" in plan and "Plan de respaldo" in plan
    assert "Social: relaciones y apoyo" in plan and "Add a goal" not in plan
    inbox = client.get("/messages/").content.decode()
    assert "Mensajes" in inbox and "Mentor" in inbox
    chat = client.get(f"/messages/{match_conv.pk}/").content.decode()
    assert "Solo entre ustedes dos" in chat and "Escribe un mensaje" in chat and "Enviar" in chat
    empty = client.post(f"/messages/{match_conv.pk}/", {"body": "   "})
    assert empty.status_code == 400 and "Escribe un mensaje." in empty.content.decode()


def test_resources_and_curriculum_pages_are_in_spanish(client, maya):
    client.force_login(_spanish(maya))
    directory = client.get("/resources/").content.decode()
    assert "Recursos de la comunidad" in directory and "Vivienda" in directory and "Categoría" in directory
    curriculum = client.get("/curriculum/").content.decode()
    assert "Tu programa todavía no ha publicado el módulo de esta semana." in curriculum


def test_the_family_home_is_in_spanish(client, lee):
    client.force_login(_spanish(lee))
    html = client.get("/family/").content.decode()
    assert "Las familias también viven su propia recuperación." in html and "Tu propia recuperación" in html


def test_a_message_notification_is_in_each_recipients_language(maya, jordan, match_conv):  # noqa: F811
    _spanish(jordan)  # he reads Spanish; Maya writes in English
    messaging_services.message_send(sender=maya, conversation=match_conv, body="Hi Jordan")
    note = Notification.objects.get(recipient=jordan, kind="message")
    assert note.title == "Mensaje nuevo de Maya" and note.body == "Abre la conversación en Kinship para leerlo."


def test_milestone_notices_are_built_per_language(maya, lee):
    _spanish(maya)
    milestones_announce([(maya.pk, maya.organization_id, "first_checkin", 0), (lee.pk, lee.organization_id, "first_checkin", 0)])
    assert Notification.objects.get(recipient=maya).title == "Un logro: Tu primer registro"
    assert Notification.objects.get(recipient=lee).title == "A milestone: Your first check-in"
