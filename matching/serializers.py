"""Request and response serializers of the matching API (API.md "Matching")."""

from __future__ import annotations

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from members.choices import Format, Goal, MentorGender, Pathway
from members.serializers import availability_field
from members.validators import validate_language, validate_tag

from .models import ContactLog, ContactMode, Match


class MatchRequestCreateSerializer(serializers.Serializer):
    """Optional overrides of the client's profile for this request."""

    goal = serializers.ChoiceField(choices=Goal.choices, required=False)
    pathways = serializers.ListField(child=serializers.ChoiceField(choices=Pathway.choices), max_length=7, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=8, validators=[validate_language]), max_length=10, required=False
    )
    formats = serializers.ListField(child=serializers.ChoiceField(choices=Format.choices), max_length=4, required=False)
    availability = availability_field()
    experience_tags = serializers.ListField(
        child=serializers.CharField(max_length=40, validators=[validate_tag]), max_length=20, required=False
    )
    mentor_gender = serializers.ChoiceField(choices=MentorGender.choices, required=False)
    mentor_gender_required = serializers.BooleanField(required=False)


class MatchRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class SuggestionQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=5)


class SuggestedMentorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    bio = serializers.CharField()
    pathways = serializers.ListField(child=serializers.CharField())
    languages = serializers.ListField(child=serializers.CharField())
    years_in_recovery = serializers.IntegerField()
    formats = serializers.ListField(child=serializers.CharField())
    experience_tags = serializers.ListField(child=serializers.CharField())


class SuggestionSerializer(serializers.Serializer):
    mentor = SuggestedMentorSerializer()
    score = serializers.IntegerField(min_value=0, max_value=100)
    reasons = serializers.ListField(child=serializers.CharField())


class ChooseSerializer(serializers.Serializer):
    mentor = serializers.IntegerField(min_value=1, help_text="The mentor's user id")


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    display_name = serializers.CharField()


class MatchSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="proposed | active | declined | expired | ended")
    client = PersonSerializer(read_only=True)
    mentor = PersonSerializer(read_only=True)

    class Meta:
        model = Match
        fields = [
            "id",
            "status",
            "client",
            "mentor",
            "request",
            "score",
            "reasons",
            "source",
            "proposed_at",
            "expires_at",
            "accepted_at",
            "ended_at",
            "end_reason",
            "rating",
        ]
        read_only_fields = fields


class MatchStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


class EndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)


class RunSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(default=True)


class RunAssignmentSerializer(serializers.Serializer):
    request = serializers.IntegerField()
    mentor = serializers.IntegerField()
    score = serializers.IntegerField()
    client = PersonSerializer(required=False)
    mentor_name = serializers.CharField(required=False)
    match = serializers.IntegerField(required=False, help_text="The proposal created (propose-all only)")


RunResultSerializer = inline_serializer(
    "MatchingRunResult",
    {
        "dry_run": serializers.BooleanField(),
        "matched": serializers.IntegerField(),
        "unmatched": serializers.IntegerField(),
        "objective": serializers.IntegerField(help_text="Total score of the assignment"),
        "certified_optimal": serializers.BooleanField(
            help_text="The plan is proved optimal over every feasible pair (always, up to 50 million request × mentor pairs)"
        ),
        "duration_ms": serializers.FloatField(),
        "assignments": RunAssignmentSerializer(many=True),
        "unmatched_requests": inline_serializer(
            "UnmatchedRequest",
            {"request": serializers.IntegerField(), "client": PersonSerializer(), "reason": serializers.CharField()},
            many=True,
        ),
    },
)


class ContactSerializer(serializers.ModelSerializer):
    occurred_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=ContactMode.choices)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=600)
    note = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")

    class Meta:
        model = ContactLog
        fields = ["id", "match", "occurred_at", "mode", "duration_minutes", "note", "created_at"]
        read_only_fields = ["id", "match", "created_at"]


class ContactEntrySerializer(serializers.Serializer):
    """A line of the contact log: one she logged (`source: logged`), or one a contact source
    derives (`source: messages`: a day on which the mentor wrote, with how many messages; never
    what was said)."""

    id = serializers.IntegerField(allow_null=True)
    match = serializers.IntegerField()
    occurred_at = serializers.DateTimeField()
    mode = serializers.ChoiceField(choices=ContactMode.choices)
    duration_minutes = serializers.IntegerField(min_value=0)
    note = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField(allow_null=True)
    source = serializers.CharField()
    count = serializers.IntegerField(min_value=1)
