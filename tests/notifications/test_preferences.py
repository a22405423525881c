"""preference_update keeps the rules of reminder settings for every entry point: only the person
herself changes them, a text needs a phone on file, quiet hours need both ends."""

from __future__ import annotations

from datetime import time

import pytest

from common.errors import Invalid, NotAllowed
from members.models import AuditEvent
from notifications import selectors, services
from notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["jordan", "dr_reyes", "sam", "lee", "omar"])
def test_nobody_else_changes_my_reminder_settings(maya, persona, request):
    other = request.getfixturevalue(persona)
    before = services.preference_get(user=maya)
    with pytest.raises(NotAllowed):
        services.preference_update(user=maya, actor=other, data={"channels": ["in_app"], "checkin_time": time(6, 0)})
    after = NotificationPreference.objects.get(user=maya)
    assert after.channels == before.channels and after.checkin_time is None
    assert not AuditEvent.objects.filter(action="notification_preference.update").exists()


def test_my_own_change_is_saved_and_audited_as_mine(maya):
    pref = services.preference_update(
        user=maya, actor=maya, data={"channels": ["email", "email"], "checkin_days": [5, 1, 1], "checkin_time": time(8, 0)}
    )
    assert pref.channels == ["in_app", "email"] and pref.checkin_days == [1, 5]  # normalized in one place
    event = AuditEvent.objects.get(action="notification_preference.update")
    # The channels asked for are the defaults once normalized: not recorded as a change.
    assert event.actor == maya and set(event.changes) == {"checkin_days", "checkin_time"}


def test_the_inbox_cannot_be_switched_off(maya):
    assert services.preference_update(user=maya, actor=maya, data={"channels": []}).channels == ["in_app"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"channels": ["sms"]}, "channels", "Add a phone number to your account before choosing text messages."),
        ({"channels": ["fax"]}, "channels", "“fax” is not a channel."),
        ({"checkin_days": [7]}, "checkin_days", "Days are 0 (Sunday) to 6 (Saturday)."),
        ({"quiet_start": time(22, 0)}, "quiet_end", "Give both the start and the end of quiet hours, or neither."),
        (
            {"quiet_end": time(7, 0), "quiet_start": None},
            "quiet_end",
            "Give both the start and the end of quiet hours, or neither.",
        ),
    ],
)
def test_bad_values_are_refused_with_the_field(maya, data, field, message):
    before = services.preference_get(user=maya)
    with pytest.raises(Invalid) as refused:
        services.preference_update(user=maya, actor=maya, data=data)
    assert refused.value.field == field and refused.value.message == message
    after = NotificationPreference.objects.get(user=maya)
    assert (after.channels, after.checkin_days, after.quiet_start, after.quiet_end) == (
        before.channels,
        before.checkin_days,
        before.quiet_start,
        before.quiet_end,
    )


def test_quiet_hours_rule_counts_the_end_already_saved(maya):
    services.preference_update(user=maya, actor=maya, data={"quiet_start": time(22, 0), "quiet_end": time(7, 0)})
    with pytest.raises(Invalid) as refused:
        services.preference_update(user=maya, actor=maya, data={"quiet_start": None})  # the end would stay alone
    assert refused.value.field == "quiet_end"
    assert services.preference_update(user=maya, actor=maya, data={"quiet_start": time(23, 0)}).quiet_start == time(23, 0)


def test_a_phone_on_file_allows_texts(maya):
    maya.phone = "+15551234567"
    maya.save()
    assert services.preference_update(user=maya, actor=maya, data={"channels": ["sms"]}).channels == ["in_app", "sms"]


def test_api_gives_the_services_answer_for_one_end_of_quiet_hours(api, maya):
    api(maya).put("/api/v1/me/reminders/", {"quiet_start": "22:00", "quiet_end": "07:00"}, format="json")
    r = api(maya).put("/api/v1/me/reminders/", {"quiet_end": None}, format="json")
    assert r.status_code == 400
    assert r.json() == {"quiet_end": ["Give both the start and the end of quiet hours, or neither."]}


def test_preferences_for_reads_without_creating(maya):
    assert selectors.preferences_for(user=maya) is None
    assert not NotificationPreference.objects.filter(user=maya).exists()
    pref = services.preference_get(user=maya)
    assert selectors.preferences_for(user=maya) == pref
