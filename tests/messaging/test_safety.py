"""Crisis messages, reports and moderation (issue 9 "Safety")."""

from __future__ import annotations

import pytest

from checkins.models import FlagKind, RiskFlag
from members.models import AccessLog
from messaging.crisis import reads_as_crisis
from messaging.models import Message, Report, ReportStatus
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def msgs(conv):  # type: ignore[no-untyped-def]
    return f"/api/v1/conversations/{conv.pk}/messages/"


@pytest.mark.parametrize(
    "text",
    [
        "I want to die",
        "i can't go on anymore",
        "thinking about suicide",
        "Quiero morirme",
        "ya no puedo más",
        "pienso en matarme",
    ],
)
def test_crisis_phrases_in_english_and_spanish(text):  # type: ignore[no-untyped-def]
    assert reads_as_crisis(text)


@pytest.mark.parametrize(
    "text", ["I killed it at work today", "new skills group", "dying to see you Thursday", "me muero de risa"]
)
def test_ordinary_words_are_not_a_crisis(text):  # type: ignore[no-untyped-def]
    assert not reads_as_crisis(text)


def test_a_members_crisis_message_shows_resources_and_opens_the_crisis_path_once(api, maya, jordan, dr_reyes, match_conv):
    first = api(maya).post(msgs(match_conv), {"body": "I want to die tonight"}, format="json")
    assert first.status_code == 201
    assert any(r["name"].startswith("988") for r in first.json()["crisis_resources"])
    second = api(maya).post(msgs(match_conv), {"body": "I want to die"}, format="json")
    assert "crisis_resources" in second.json()
    assert RiskFlag.objects.filter(client=maya, kind=FlagKind.CRISIS, resolved_at__isnull=True).count() == 1
    alerts = Notification.objects.filter(kind="crisis_alert")
    assert sorted(alerts.values_list("recipient_id", flat=True)) == sorted([dr_reyes.pk, jordan.pk])  # once each
    # The flag and alert never repeat what she wrote.
    flag = RiskFlag.objects.get(client=maya)
    assert "die" not in flag.reason and all("die" not in a.title + a.body for a in alerts)


def test_a_mentors_words_do_not_open_a_crisis_for_the_member(api, jordan, match_conv, maya):
    response = api(jordan).post(msgs(match_conv), {"body": "Some days I wanted to die too"}, format="json")
    assert "crisis_resources" not in response.json()
    assert not RiskFlag.objects.filter(client=maya).exists()


def test_report_moderate_and_suspend(api, maya, jordan, sam, omar, match_conv):
    sent = api(jordan).post(msgs(match_conv), {"body": "rude words"}, format="json").json()
    report = api(maya).post(f"/api/v1/messages/{sent['id']}/report/", {"reason": "That was unkind"}, format="json")
    assert report.status_code == 201 and report.json()["status"] == "open"
    assert api(maya).post(f"/api/v1/messages/{sent['id']}/report/", {"reason": "again"}, format="json").status_code == 409
    assert api(maya).post(f"/api/v1/messages/{sent['id']}/report/", {"reason": ""}, format="json").status_code == 400
    assert Notification.objects.filter(recipient=sam, kind="message_report").exists()

    queue = api(sam).get("/api/v1/moderation/reports/").json()["results"]
    assert [r["body"] for r in queue] == ["rude words"]
    # Staff are not participants: the read shows in her access log.
    assert AccessLog.objects.filter(client=maya, actor=sam, resource="messages").exists()
    assert any(
        e["actor"] == sam.pk and e["resource"] == "messages" for e in api(maya).get("/api/v1/me/access-log/").json()["results"]
    )
    assert api(omar).get("/api/v1/moderation/reports/").json()["results"] == []
    rid = queue[0]["id"]
    assert api(omar).post(f"/api/v1/moderation/reports/{rid}/resolve/", {"action": "warn"}, format="json").status_code == 404
    assert api(maya).post(f"/api/v1/moderation/reports/{rid}/resolve/", {"action": "warn"}, format="json").status_code == 403
    assert api(sam).post(f"/api/v1/moderation/reports/{rid}/resolve/", {"action": "ban"}, format="json").status_code == 400
    done = api(sam).post(f"/api/v1/moderation/reports/{rid}/resolve/", {"action": "suspend_sender", "note": "x"}, format="json")
    assert done.status_code == 200 and Report.objects.get().status == ReportStatus.SUSPENDED
    assert api(sam).post(f"/api/v1/moderation/reports/{rid}/resolve/", {"action": "dismiss"}, format="json").status_code == 409
    assert Notification.objects.filter(recipient=jordan, kind="moderation_notice").exists()
    # A suspended sender cannot write; nothing is stored.
    assert api(jordan).post(msgs(match_conv), {"body": "hello?"}, format="json").status_code == 403
    assert Message.objects.count() == 1


def test_warn_and_dismiss(api, maya, jordan, sam, match_conv):
    for action in ("warn", "dismiss"):
        sent = api(jordan).post(msgs(match_conv), {"body": f"text {action}"}, format="json").json()
        api(maya).post(f"/api/v1/messages/{sent['id']}/report/", {"reason": "hm"}, format="json")
        rid = Report.objects.get(message_id=sent["id"]).pk
        assert api(sam).post(f"/api/v1/moderation/reports/{rid}/resolve/", {"action": action}, format="json").status_code == 200
    assert Notification.objects.filter(recipient=jordan, kind="moderation_notice").count() == 1  # warned; dismiss tells nobody
    assert api(jordan).post(msgs(match_conv), {"body": "still here"}, format="json").status_code == 201
