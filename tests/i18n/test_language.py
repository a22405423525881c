"""Issue 13: the member's own `language` chooses; Accept-Language and the footer switch serve
people who are not signed in; <html lang> follows; an unknown code is a 400 with a message."""

from __future__ import annotations

import pytest

from members.models import User

pytestmark = pytest.mark.django_db


def test_her_language_is_on_me_and_chooses_the_pages(api, client, maya):
    assert api(maya).get("/api/v1/me/").json()["language"] == "en"
    r = api(maya).patch("/api/v1/me/", {"language": "es"}, format="json")
    assert r.status_code == 200 and r.json()["language"] == "es"
    client.force_login(User.objects.get(pk=maya.pk))
    page = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()  # hers wins over the browser's
    assert '<html lang="es">' in page and "Cerrar sesión" in page and "marca 2 para español" in page


def test_an_unknown_language_is_a_400_with_a_message(api, maya):
    r = api(maya).patch("/api/v1/me/", {"language": "pl"}, format="json")
    assert r.status_code == 400 and r.json()["language"]
    assert User.objects.get(pk=maya.pk).language == "en"


def test_the_api_answers_in_her_language(api, maya):
    maya.language = "es"
    maya.save()
    r = api(maya).patch("/api/v1/me/", {"language": "pl"}, format="json")
    assert "no es una elección válida" in r.json()["language"][0]  # DRF's own Spanish catalogue


def test_browsers_get_their_language_before_signing_in(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert '<html lang="es">' in page and "Iniciar sesión" in page
    assert '<html lang="en">' in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()


def test_the_footer_switch_sets_a_cookie_and_her_own_language(client, maya):
    r = client.post("/language/", {"language": "es", "next": "/login/"})
    assert r.status_code == 302 and r["Location"] == "/login/"
    assert '<html lang="es">' in client.get("/login/").content.decode()
    client.force_login(maya)
    client.post("/language/", {"language": "es", "next": "/home/"})
    assert User.objects.get(pk=maya.pk).language == "es"
    client.post("/language/", {"language": "en"})
    assert User.objects.get(pk=maya.pk).language == "en"
    assert client.post("/language/", {"language": "xx"}).status_code == 400
    assert client.get("/language/").status_code == 405
    off_site = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert off_site["Location"] == "/home/"


def test_the_favicon_is_served(client):
    r = client.get("/favicon.ico")
    assert r.status_code == 301 and r["Location"].endswith("favicon.svg")


def test_she_picks_her_language_by_name_on_her_profile(client, maya):
    client.force_login(maya)
    page = client.get("/profile/").content.decode()
    assert ">Español</option>" in page and ">English</option>" in page
    body = {
        "form": "account",
        "display_name": "Maya",
        "pronouns": "",
        "phone": "",
        "timezone": "America/Chicago",
        "language": "es",
    }
    assert client.post("/profile/", body).status_code == 302
    assert User.objects.get(pk=maya.pk).language == "es"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("Polish, Tagalog", ["pl", "tl"]), ("polaco", ["pl"]), ("Tiếng Việt", ["vi"]), ("criollo haitiano", ["ht"]), ("de", ["de"])],
)
def test_onboarding_takes_other_languages_by_name(client, maya, typed, stored):
    from members.models import ClientProfile

    client.force_login(maya)
    r = client.post("/onboarding/2/", {"pathways": ["smart"], "languages": ["en"], "other_languages": typed})
    assert r.status_code == 302
    assert ClientProfile.objects.get(user=maya).languages == ["en", *stored]


def test_an_unknown_language_name_says_so_and_her_profile_shows_names(client, maya):
    from members.models import ClientProfile

    client.force_login(maya)
    r = client.post("/onboarding/2/", {"pathways": ["smart"], "languages": ["en"], "other_languages": "polish, Klingonese"})
    assert r.status_code == 200 and "We don&#x27;t know the language “Klingonese”" in r.content.decode()
    assert "ISO 639-1" not in r.content.decode()
    ClientProfile.objects.filter(user=maya).update(languages=["en", "pl"])
    assert 'value="Polish"' in client.get("/onboarding/2/").content.decode()
