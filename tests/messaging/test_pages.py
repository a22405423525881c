"""The "Message …" links and buttons (the member's home, mentee and client pages): following a
link lands in the conversation, or asks before opening one; it never changes anything by itself."""

from __future__ import annotations

import pytest

from messaging.models import Conversation, Kind

pytestmark = pytest.mark.django_db


def test_her_home_link_to_her_mentor_opens_their_conversation(client, maya, jordan, match_conv):
    client.force_login(maya)
    home = client.get("/home/").content.decode()
    assert f'href="/messages/with/{jordan.pk}/"' in home
    page = client.get(f"/messages/with/{jordan.pk}/", follow=True)
    assert page.status_code == 200 and page.redirect_chain[-1][0] == f"/messages/{match_conv.pk}/"


def test_a_link_to_someone_she_has_not_written_to_asks_first_and_the_button_opens_it(client, maya, dr_reyes, matched):
    client.force_login(maya)
    asked = client.get(f"/messages/with/{dr_reyes.pk}/")
    html = asked.content.decode()
    assert asked.status_code == 200 and "Message Dr. Ana Reyes" in html and "Start the conversation" in html
    assert not Conversation.objects.filter(client=maya, kind=Kind.DIRECT).exists()  # a GET changes nothing
    opened = client.post(f"/messages/with/{dr_reyes.pk}/")
    conv = Conversation.objects.get(client=maya, other=dr_reyes, kind=Kind.DIRECT)
    assert opened.status_code == 302 and opened["Location"] == f"/messages/{conv.pk}/"
    assert client.get(f"/messages/with/{dr_reyes.pk}/")["Location"] == f"/messages/{conv.pk}/"  # now it goes straight there
    client.force_login(dr_reyes)  # and from her side, to the same conversation
    assert client.get(f"/messages/with/{maya.pk}/")["Location"] == f"/messages/{conv.pk}/"


def test_an_outsider_following_the_link_gets_404_and_learns_nothing(client, org, maya, jordan, priya, dr_kim, matched):
    from members.choices import Role
    from tests.factories import UserFactory

    stranger = UserFactory(email="stranger@example.org", display_name="Dr. Stranger", role=Role.CLINICIAN, organization=org)
    for outsider in (dr_kim, priya, stranger):  # another program's clinician and member; a clinician not on her team
        client.force_login(outsider)
        for target in (maya, jordan):
            assert client.get(f"/messages/with/{target.pk}/").status_code == 404, (outsider, target)
            assert client.post(f"/messages/with/{target.pk}/").status_code == 404, (outsider, target)
        assert client.get("/messages/with/999999/").status_code == 404
    assert not Conversation.objects.filter(kind=Kind.DIRECT).exists()
