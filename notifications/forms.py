"""Reminder settings as a page form: format only, with messages that match the API's
RemindersSerializer. What a person may choose is notifications.services.preference_update's rule;
the page shows its answer next to the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from members.forms import DAY_SHORT, INVALID_CHOICE

from .models import Channel, NotificationPreference

TIME_MESSAGES = {"invalid": _("Time has wrong format. Use one of these formats instead: hh:mm.")}


class RemindersForm(forms.Form):
    channels = forms.MultipleChoiceField(
        choices=[(Channel.EMAIL.value, _("Email")), (Channel.SMS.value, _("Text message"))],
        label=_("Besides this app, also reach me by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID_CHOICE},
        help_text=_("Everything always lands in your Kinship notifications."),
    )
    checkin_time = forms.TimeField(
        label=_("Check-in reminder time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Only sent if you haven't checked in yet that day. Leave empty for no reminder."),
        error_messages=TIME_MESSAGES,
    )
    checkin_days = forms.TypedMultipleChoiceField(
        choices=list(enumerate(DAY_SHORT)),
        coerce=int,
        label=_("On these days"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    checkin_days.compact = True  # type: ignore[attr-defined]  # short choices: a denser grid

    quiet_start = forms.TimeField(
        label=_("Quiet hours start"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages=TIME_MESSAGES,
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Nothing but a crisis alert reaches you during quiet hours."),
        error_messages=TIME_MESSAGES,
    )
    group_reminders = forms.BooleanField(label=_("Remind me before my group sessions"), required=False)

    @staticmethod
    def initial_for(pref: NotificationPreference) -> dict[str, Any]:
        return {
            "channels": [c for c in pref.channels if c != Channel.IN_APP.value],
            "checkin_time": pref.checkin_time,
            "checkin_days": pref.checkin_days,
            "quiet_start": pref.quiet_start,
            "quiet_end": pref.quiet_end,
            "group_reminders": pref.group_reminders,
        }
