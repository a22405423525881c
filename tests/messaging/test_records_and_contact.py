"""Messages in the member's export and erasure; mentor messages as contact."""

from __future__ import annotations

import pytest

from members.exports import erase_everywhere, export_everything
from messaging.models import Conversation, Message

pytestmark = pytest.mark.django_db


def msgs(conv):  # type: ignore[no-untyped-def]
    return f"/api/v1/conversations/{conv.pk}/messages/"


def test_her_export_has_her_conversations_and_erasure_takes_them(api, maya, jordan, match_conv, team_conv, dr_reyes):
    api(jordan).post(msgs(match_conv), {"body": "Hi Maya"}, format="json")
    api(maya).post(msgs(team_conv), {"body": "Hello team"}, format="json")
    data = api(maya).get("/api/v1/me/export/").json()
    bodies = [m["body"] for c in data["messaging"]["conversations"] for m in c["messages"]]
    assert sorted(bodies) == ["Hello team", "Hi Maya"]
    erase_everywhere(maya)
    assert not Conversation.objects.filter(client=maya).exists() and not Message.objects.exists()


def test_an_erased_senders_words_stay_as_a_former_member(api, maya, lee, team_conv):
    api(lee).post(msgs(team_conv), {"body": "Proud of you"}, format="json")
    assert export_everything(lee)["messaging"]["sent_elsewhere"][0]["body"] == "Proud of you"
    erase_everywhere(lee)
    result = api(maya).get(msgs(team_conv)).json()["results"][0]
    assert result["sender"] is None and result["body"] == "Proud of you"


def test_mentor_messages_are_contact_in_the_log_and_the_caseload(api, maya, jordan, dr_reyes, matched, match_conv):
    from members.services import consent_grant

    api(maya).post(msgs(match_conv), {"body": "hi"}, format="json")  # hers is not the mentor's contact
    log = api(jordan).get(f"/api/v1/matches/{matched.pk}/contacts/").json()["results"]
    assert log == []
    api(jordan).post(msgs(match_conv), {"body": "private words"}, format="json")
    api(jordan).post(msgs(match_conv), {"body": "more"}, format="json")
    log = api(jordan).get(f"/api/v1/matches/{matched.pk}/contacts/").json()["results"]
    assert [(e["source"], e["mode"], e["count"], e["note"]) for e in log] == [("messages", "text", 2, "")]
    consent_grant(client=maya, grantee=jordan, scopes=["contact_log", "checkin_summary"], purpose="support")
    row = next(r for r in api(dr_reyes).get("/api/v1/dashboard/caseload/").json()["results"] if r["client"]["id"] == maya.pk)
    assert row["last_contact_at"] is not None


def test_a_hard_check_in_offers_her_mentors_conversation_first(api, maya, match_conv):
    """DESIGN.md: a check-in that shows trouble answers with a link to her mentor's conversation."""
    calm = api(maya).post("/api/v1/checkins/", {"mood": 4, "craving": 1}, format="json")
    assert calm.data["support"] == []
    hard = api(maya).post("/api/v1/checkins/", {"mood": 2, "craving": 8}, format="json")
    first = hard.data["support"][0]
    assert first["kind"] == "reach_mentor" and first["url"] == f"/messages/{match_conv.pk}/"
    assert "Jordan" in first["text"]
