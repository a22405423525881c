"""Demo conversations: Maya and Jordan over several weeks, Maya's care-team thread, a few other
mentor conversations, and one message reported to staff (waiting in the moderation queue)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Max, Min
from django.utils import timezone

from matching.models import Match, MatchStatus
from members.models import Organization, User
from messaging import services
from messaging.models import Conversation, Kind, Message, ReadMark

from .members import DEMO_SLUG, DOMAIN

MAYA_JORDAN = [
    (
        27,
        "jordan",
        "Hi Maya, it's Jordan. Really glad we got matched. No pressure, but I'm around most evenings if you want to talk.",
    ),
    (27, "maya", "Hi Jordan! Thanks for accepting. I'm a bit nervous about all this honestly."),
    (27, "jordan", "That's completely normal. I was too. Want to do a short video call Thursday?"),
    (26, "maya", "Thursday works. After 7?"),
    (22, "jordan", "Good talking tonight. You said weekends are the hardest — any plan for Saturday?"),
    (22, "maya", "Going to my sister's. And I'll try the SMART meeting online Sunday."),
    (15, "maya", "Rough day. Work party, everyone drinking. I had two and left early."),
    (15, "jordan", "Leaving early is a real win, and two is within the plan you set. How are you feeling now?"),
    (15, "maya", "Tired but OK. Thanks for not lecturing me."),
    (8, "jordan", "Checking in — how did the week go?"),
    (8, "maya", "Better. Went to group twice."),
    (2, "jordan", "Proud of you for sticking with group. Same time Thursday?"),
    (1, "maya", "Yes please. See you then."),
]
CARE_TEAM = [
    (12, "reyes", "Hi Maya, this is a space for you, me, Jordan and Lee. Anything you want us all to know, post it here."),
    (12, "maya", "Thanks Dr. Reyes. Mostly I wanted to say the new schedule is helping."),
    (11, "lee", "So glad to hear it, sweetheart."),
    (4, "reyes", "Reminder: our next session moved to Tuesday at 10."),
]


def seed() -> dict[str, int]:
    org = Organization.objects.filter(slug=DEMO_SLUG).first()
    if org is None or Message.objects.filter(organization=org).exists():
        return {}
    people = {u.email.split("@")[0]: u for u in User.objects.filter(organization=org, email__endswith=f"@{DOMAIN}")}
    maya, jordan = people.get("maya"), people.get("jordan")
    now = timezone.now()
    counts = {"conversations": 0, "messages": 0, "reports": 0}
    rows: list[Message] = []

    def add(conv: Conversation, script: list[tuple[int, str, str]]) -> None:
        for i, (days_ago, who, body) in enumerate(script):
            sender = people.get(who)
            if sender is None:
                continue
            at = now - timedelta(days=days_ago, hours=3) + timedelta(minutes=7 * i)
            rows.append(Message(organization=org, conversation=conv, sender=sender, body=body, sent_at=at))
        counts["conversations"] += 1

    if maya is not None and jordan is not None:
        match = Match.objects.filter(client=maya, mentor=jordan, status=MatchStatus.ACTIVE).first()
        if match is not None:
            add(services.conversation_open_for_match(match=match) or Conversation.objects.get(match=match), MAYA_JORDAN)
        add(services.conversation_care_team_ensure(client=maya), CARE_TEAM)
    # Other active matches: a hello and an answer, so the caseload's last contact is believable.
    for match in (
        Match.objects.filter(organization=org, status=MatchStatus.ACTIVE)
        .exclude(client=maya)
        .select_related("client", "mentor")[:8]
    ):
        conv = services.conversation_open_for_match(match=match)
        if conv is None:
            continue
        days = 3 + match.pk % 9
        rows.append(
            Message(
                organization=org,
                conversation=conv,
                sender=match.mentor,
                body=f"Hi {match.client.display_name.split()[0]}, checking in. How are things this week?",
                sent_at=now - timedelta(days=days),
            )
        )
        rows.append(
            Message(
                organization=org,
                conversation=conv,
                sender=match.client,
                body="Doing OK, thanks for asking.",
                sent_at=now - timedelta(days=days, hours=-2),
            )
        )
        counts["conversations"] += 1
    Message.objects.bulk_create(rows)
    counts["messages"] = len(rows)
    for conv in Conversation.objects.filter(organization=org).select_related("match"):
        agg = Message.objects.filter(conversation=conv).aggregate(last=Max("sent_at"), newest=Max("pk"))
        updates = {"last_message_at": agg["last"]}
        if conv.kind == Kind.MATCH and conv.match is not None:
            mentor = Message.objects.filter(conversation=conv, sender_id=conv.match.mentor_id).aggregate(
                first=Min("sent_at"), last=Max("sent_at")
            )
            updates.update(first_mentor_message_at=mentor["first"], last_mentor_message_at=mentor["last"])
        Conversation.objects.filter(pk=conv.pk).update(**updates)
        if agg["newest"]:
            # Everyone has read all but the newest message of each conversation.
            for uid in {m.sender_id for m in Message.objects.filter(conversation=conv).only("sender_id")}:
                ReadMark.objects.update_or_create(conversation=conv, user_id=uid, defaults={"last_read_id": agg["newest"] - 1})
    # One reported message: a mentor of another member wrote something that worried her.
    other = (
        Conversation.objects.filter(organization=org, kind=Kind.MATCH)
        .exclude(client=maya)
        .select_related("match", "client")
        .first()
    )
    if other is not None and other.match is not None:
        msg = Message.objects.create(
            organization=org,
            conversation=other,
            sender=other.match.mentor,
            body="Honestly you should just stop taking your medication, you don't need it.",
            sent_at=now - timedelta(days=1),
        )
        services.message_report(
            reporter=other.client, message=msg, reason="My mentor told me to stop my medication. That doesn't feel right."
        )
        counts["reports"] = 1
    return counts
