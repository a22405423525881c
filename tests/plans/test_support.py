"""A check-in that answers: support after trouble, nothing extra on a calm day; medications."""

import pytest

from plans.models import Plan

pytestmark = pytest.mark.django_db


def test_a_hard_check_in_offers_her_own_coping_steps_and_people(maya, api):
    Plan.objects.create(
        organization=maya.organization,
        client=maya,
        coping_steps=["Walk to the river"],
        people=[{"name": "Lee", "phone": "312-555-0101"}],
    )
    calm = api(maya).post("/api/v1/checkins/", {"mood": 4, "craving": 1}, format="json")
    assert calm.data["support"] == []
    hard = api(maya).post("/api/v1/checkins/", {"mood": 2, "craving": 7, "used": "yes"}, format="json")
    kinds = [(s["kind"], s["text"]) for s in hard.data["support"]]
    assert ("coping_step", "Walk to the river") in kinds and ("coping_step", "Call Lee") in kinds
    assert not any(s["kind"] == "crisis" for s in hard.data["support"])


def test_a_cry_for_help_puts_the_crisis_line_first(maya, api):
    r = api(maya).post("/api/v1/checkins/", {"mood": 1, "craving": 3, "need_support": True}, format="json")
    assert r.data["support"][0]["kind"] == "crisis"


def test_medications_with_malformed_times_are_400_and_the_check_in_asks_only_then(maya, api):
    c = api(maya)
    assert c.post("/api/v1/checkins/", {"mood": 3, "craving": 2, "took_medication": "yes"}, format="json").status_code == 400
    assert c.put("/api/v1/me/medications/", [{"name": "Buprenorphine", "times": ["25:00"]}], format="json").status_code == 400
    assert c.put("/api/v1/me/medications/", [{"name": "Buprenorphine", "times": ["8am"]}], format="json").status_code == 400
    ok = c.put("/api/v1/me/medications/", [{"name": "Buprenorphine", "times": ["08:00"], "days": [1, 3, 5]}], format="json")
    assert ok.status_code == 200 and ok.data[0]["times"] == ["08:00"]
    assert c.post("/api/v1/checkins/", {"mood": 3, "craving": 2, "took_medication": "yes"}, format="json").status_code == 201


def test_medication_reminders_come_at_her_local_time_once(maya, api):
    from datetime import UTC, datetime

    import time_machine

    from checkins.services.medications import medication_reminders_plan

    api(maya).put("/api/v1/me/medications/", [{"name": "Methadone", "times": ["08:00"]}], format="json")
    with time_machine.travel(datetime(2026, 11, 20, 13, 50, tzinfo=UTC)):  # 07:50 in Chicago
        assert medication_reminders_plan() == 0
    with time_machine.travel(datetime(2026, 11, 20, 14, 5, tzinfo=UTC)):  # 08:05 in Chicago
        assert medication_reminders_plan() == 1
        assert medication_reminders_plan() == 0
    notice = maya.notifications.get(kind="medication_reminder")
    assert notice.outside_text == "A reminder you asked for is waiting in Kinship."  # never the medication's name
