"""Issue 13 (10): words as the reader would say them. The family home told Lee what Maya shares
in Maya's own words ("Check-in summary (whether I checked in, my streak)") and said "they" for a
member who uses she/her; Maya's home offered "Find a peer mentor" though Jordan is her mentor;
Spanish called a clinician "Clínico" in one place and "clínico/a" in another."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.utils import translation

from members.choices import CareRole
from members.models import CareTeamMember, User
from members.services import consent_grant

pytestmark = pytest.mark.django_db


def page(user: User, path: str, language: str = "en") -> str:
    user.language = language
    user.save(update_fields=["language"])
    browser = Client()
    browser.force_login(user)
    return unescape(browser.get(path, follow=True).content.decode())


@pytest.mark.parametrize(
    ("pronouns", "language", "expected"),
    [
        (
            "she/her",
            "en",
            "Maya shares with you: her check-in summary (whether she checked in, her streak); her group attendance.",
        ),
        (
            "he/him",
            "en",
            "Maya shares with you: his check-in summary (whether he checked in, his streak); his group attendance.",
        ),
        (
            "",
            "en",
            "Maya shares with you: their check-in summary (whether they checked in, their streak); their group attendance.",
        ),
        (
            "she/her",
            "es",
            "Maya comparte contigo: su resumen de registros (si se registró, su racha); su asistencia a grupos.",
        ),
    ],
)
def test_the_family_home_says_what_she_shares_from_the_family_side(care_team, lee, pronouns, language, expected):
    maya = care_team
    maya.pronouns = pronouns
    maya.save(update_fields=["pronouns"])
    consent_grant(client=maya, grantee=lee, scopes=["attendance", "checkin_summary"])
    html = re.sub(r"\s+", " ", page(lee, "/family/", language))
    assert expected in html
    assert "my streak" not in html and "mi racha" not in html  # not her words, his
    if pronouns == "she/her":
        assert " they " not in html.replace("(they/them)", "")


def test_every_scope_reads_from_the_family_side_in_both_languages():
    from members.access import all_scopes, consent_scopes_shared

    for language in ("en", "es"):
        with translation.override(language):
            for pronoun in ("she", "he", "they"):
                phrases = consent_scopes_shared(all_scopes(), pronoun=pronoun)
                assert len(phrases) == len(all_scopes())
                for phrase in phrases:
                    assert not re.search(r"\b(my|mi|mis|I|me)\b", phrase), (language, pronoun, phrase)


def test_a_matched_member_is_offered_a_message_to_her_mentor_by_name(maya, jordan):
    jordan.pronouns = "he/him"
    jordan.save(update_fields=["pronouns"])
    CareTeamMember.objects.create(organization=maya.organization, client=maya, member=jordan, role=CareRole.MENTOR)
    html = page(maya, "/home/")
    assert "Message Jordan" in html and "Find a peer mentor" not in html
    assert f'href="/messages/with/{jordan.pk}/"' in html
    assert "tell him how today is going" in html  # Jordan uses he/him
    spanish = page(maya, "/home/", "es")
    assert "Escribirle a Jordan" in spanish and "Busca un mentor par" not in spanish


def test_an_unmatched_member_is_offered_to_find_a_mentor(maya):
    html = page(maya, "/home/")
    assert "Find a peer mentor" in html and "Message " not in html


def test_spanish_calls_a_clinician_profesional_de_salud_everywhere(dr_reyes, maya):
    CareTeamMember.objects.create(organization=maya.organization, client=maya, member=dr_reyes, role=CareRole.CLINICIAN)
    html = page(maya, "/home/", "es")
    assert "Profesional de salud" in html and "Clínico" not in html
    from pathlib import Path

    from django.conf import settings

    catalogue = (Path(settings.BASE_DIR) / "locale/es/LC_MESSAGES/django.po").read_text()
    strings = "\n".join(line for line in catalogue.splitlines() if not line.startswith(("msgid", "#")))
    # "clínico/a", "Clínico", "los clínicos": one word for the person, everywhere
    assert not re.search(r"\bcl[ií]nicos?\b(?!\s*\()|cl[ií]nico/a", strings.replace("detalles clínicos", ""), re.I)
