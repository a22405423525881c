"""API.md "Conversations": who takes part, sending, reading, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from matching import services as matching_services
from members.models import CareTeamMember
from messaging.models import Conversation, Kind, Message, ReadMark
from notifications.models import Delivery, Notification

pytestmark = pytest.mark.django_db

LIST = "/api/v1/conversations/"


def msgs(conv):  # type: ignore[no-untyped-def]
    return f"/api/v1/conversations/{conv.pk}/messages/"


def send(api, user, conv, body="Hello"):  # type: ignore[no-untyped-def]
    return api(user).post(msgs(conv), {"body": body}, format="json")


def test_the_match_opens_a_private_conversation_for_the_member_and_her_mentor(api, maya, jordan, dr_reyes, match_conv):
    kinds = {c["kind"]: c for c in api(maya).get(LIST).json()["results"]}
    assert set(kinds) == {"match", "care_team"}
    assert {p["id"] for p in kinds["match"]["participants"]} == {maya.pk, jordan.pk}
    assert kinds["match"]["closed"] is False
    # Her clinician is in the care-team conversation, never in the private match one.
    assert [c["kind"] for c in api(dr_reyes).get(LIST).json()["results"]] == ["care_team"]
    assert api(dr_reyes).get(msgs(match_conv)).status_code == 404


def test_messages_go_both_ways_newest_first_with_read_by_and_unread_counts(api, maya, jordan, match_conv):
    assert send(api, jordan, match_conv, "Hi Maya, Jordan here.").status_code == 201
    second = send(api, maya, match_conv, "Hi Jordan!").json()
    page = api(jordan).get(msgs(match_conv)).json()
    assert [m["body"] for m in page["results"]] == ["Hi Jordan!", "Hi Maya, Jordan here."]
    assert page["results"][1]["read_by"] == [maya.pk]  # she answered, so she has read his
    assert page["next"] is None
    row = next(c for c in api(jordan).get(LIST).json()["results"] if c["kind"] == "match")
    assert row["unread_count"] == 1
    assert api(jordan).post(f"/api/v1/conversations/{match_conv.pk}/read/").json()["unread_count"] == 0
    row = next(c for c in api(jordan).get(LIST).json()["results"] if c["kind"] == "match")
    assert row["unread_count"] == 0
    assert api(maya).get(msgs(match_conv)).json()["results"][0]["id"] == second["id"]
    assert api(maya).get(msgs(match_conv)).json()["results"][0]["read_by"] == [jordan.pk]  # "seen"


def test_pages_of_messages_go_back_with_before(api, maya, jordan, match_conv):
    Message.objects.bulk_create(
        [Message(organization=maya.organization, conversation=match_conv, sender=jordan, body=f"m{i}") for i in range(60)]
    )
    first = api(maya).get(msgs(match_conv)).json()
    assert len(first["results"]) == 50 and first["next"]
    second = api(maya).get(first["next"]).json()
    assert [m["body"] for m in second["results"]] == [f"m{i}" for i in range(9, -1, -1)]
    assert second["next"] is None


def test_the_list_takes_the_same_few_queries_however_many_conversations(
    api, maya, jordan, team_conv, django_assert_max_num_queries
):
    for _ in range(5):
        send(api, jordan, Conversation.objects.get(match__client=maya))
    client = api(maya)
    with django_assert_max_num_queries(6):  # the token, then at most four for the list
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [("", "body"), ("   ", "body"), ("x" * 4001, "body"), ("bad\x00byte", "body"), (None, "body"), (12, "body")],
)
def test_bad_bodies_are_a_clear_400_and_nothing_is_stored(api, maya, match_conv, body, field):
    response = api(maya).post(msgs(match_conv), {"body": body}, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Message.objects.exists()


def test_a_4000_character_message_is_fine(api, maya, match_conv):
    assert send(api, maya, match_conv, "y" * 4000).status_code == 201


def test_bodies_are_text_everywhere(api, maya, jordan, match_conv):
    from django.test import Client

    send(api, jordan, match_conv, "<script>alert(1)</script>")
    browser = Client()
    browser.force_login(maya)
    html = browser.get(f"/messages/{match_conv.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_flooding_past_30_a_minute_is_429(api, maya, match_conv):
    client = api(maya)
    for i in range(30):
        assert client.post(msgs(match_conv), {"body": f"m{i}"}, format="json").status_code == 201
    response = client.post(msgs(match_conv), {"body": "one more"}, format="json")
    assert response.status_code == 429
    assert Message.objects.count() == 30
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert client.post(msgs(match_conv), {"body": "later"}, format="json").status_code == 201


def test_the_match_conversation_is_read_only_once_the_match_ends(api, maya, jordan, matched, match_conv):
    send(api, jordan, match_conv, "Good luck with everything.")
    matching_services.match_end(actor=maya, match=matched, reason="moving on")
    row = next(c for c in api(maya).get(LIST).json()["results"] if c["kind"] == "match")
    assert row["closed"] is True
    assert len(api(maya).get(msgs(match_conv)).json()["results"]) == 1  # still hers to read
    assert send(api, maya, match_conv, "thanks").status_code == 409
    assert Message.objects.count() == 1
    # Jordan left her care team with the match: he leaves its conversations too.
    assert api(jordan).get(msgs(match_conv)).status_code == 404
    assert [c["kind"] for c in api(jordan).get(LIST).json()["results"]] == []


def test_leaving_the_care_team_leaves_its_conversations(api, maya, lee, dr_reyes, team_conv):
    send(api, lee, team_conv, "Proud of you")
    assert api(lee).get(msgs(team_conv)).status_code == 200
    CareTeamMember.objects.filter(client=maya, member=lee).update(ended_at=timezone.now())
    assert api(lee).get(msgs(team_conv)).status_code == 404
    assert send(api, lee, team_conv).status_code == 404
    people = {p["id"] for c in api(maya).get(LIST).json()["results"] if c["kind"] == "care_team" for p in c["participants"]}
    assert lee.pk not in people and dr_reyes.pk in people


def test_direct_conversations_open_once_with_someone_on_her_care_team(api, maya, dr_reyes, lee, matched):
    first = api(maya).post(LIST, {"with": dr_reyes.pk}, format="json")
    assert first.status_code == 201 and first.json()["kind"] == "direct"
    again = api(dr_reyes).post(LIST, {"with": maya.pk}, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Conversation.objects.filter(kind=Kind.DIRECT).count() == 1


@pytest.mark.parametrize("who", ["sam", "omar", "priya", "maya_herself", "unknown", "stranger_client"])
def test_direct_with_anyone_off_her_care_team_is_404(api, maya, sam, omar, priya, matched, who, org):
    from members.choices import Role
    from tests.factories import UserFactory

    target = {
        "sam": sam,
        "omar": omar,
        "priya": priya,
        "maya_herself": maya,
        "stranger_client": UserFactory(role=Role.CLIENT, organization=org),
    }.get(who)
    response = api(maya).post(LIST, {"with": target.pk if target else 999_999}, format="json")
    assert response.status_code == 404
    assert not Conversation.objects.filter(kind=Kind.DIRECT).exists()


def test_bad_with_is_400(api, maya, matched):
    assert api(maya).post(LIST, {"with": "jordan"}, format="json").status_code == 400
    assert api(maya).post(LIST, {}, format="json").status_code == 400


def test_outsiders_get_404_on_every_conversation_endpoint(api, omar, priya, dr_kim, sam, match_conv, jordan):
    msg = send(api, jordan, match_conv, "hi").json()
    for outsider in (omar, priya, dr_kim, sam):
        client = api(outsider)
        assert client.get(msgs(match_conv)).status_code == 404
        assert client.post(msgs(match_conv), {"body": "hi"}, format="json").status_code == 404
        assert client.post(f"/api/v1/conversations/{match_conv.pk}/read/").status_code == 404
        assert client.post(f"/api/v1/messages/{msg['id']}/report/", {"reason": "x"}, format="json").status_code == 404
        assert match_conv.pk not in [c["id"] for c in client.get(LIST).json()["results"]]
    assert Message.objects.count() == 1 and not ReadMark.objects.filter(user__in=[omar, priya, dr_kim, sam]).exists()


def test_a_new_message_notifies_once_per_15_minutes_and_never_carries_the_text(
    api, maya, jordan, match_conv, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(api, jordan, match_conv, "My secret words")
        send(api, jordan, match_conv, "More secret words")
    inbox = Notification.objects.filter(recipient=maya, kind="message")
    assert inbox.count() == 1
    n = inbox.get()
    assert n.title == "New message from Jordan" and "secret" not in n.title + n.body
    assert n.outside_text == "New message from Jordan in Kinship."
    assert all("secret" not in (m.subject + m.body) for m in mail.outbox)
    assert any(m.subject == "New message from Jordan in Kinship." for m in mail.outbox)
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        send(api, jordan, match_conv, "Later")
    assert inbox.count() == 2
    assert not Notification.objects.filter(recipient=jordan, kind="message").exists()


def test_message_emails_wait_for_quiet_hours(api, maya, jordan, match_conv):
    from notifications.services import preference_get

    pref = preference_get(user=maya)
    local_now = timezone.now().astimezone(__import__("zoneinfo").ZoneInfo(maya.timezone))
    pref.quiet_start = (local_now - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    pref.quiet_end = (local_now + timedelta(hours=2)).time().replace(second=0, microsecond=0)
    pref.save()
    send(api, jordan, match_conv, "late night hello")
    delivery = Delivery.objects.get(notification__recipient=maya, notification__kind="message")
    assert delivery.scheduled_for > timezone.now() + timedelta(minutes=90)
