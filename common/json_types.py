"""JSON types are part of the contract. DRF is lenient on purpose (HTML forms send everything as
text): it turns `"yes"` into true, `"4"` into 4 and `123` into "123". For a JSON API that hides
client bugs, so request serializers mix in `StrictJsonTypes`: a value of the wrong JSON type is a
400 with a field message. `null` is left to each field's `allow_null`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

STRING_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.TimeField,
)


def json_type_problem(field: serializers.Field, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else _("Must be true or false.")
    if isinstance(field, serializers.IntegerField):
        return None if isinstance(value, int) and not isinstance(value, bool) else _("Must be a whole number.")
    if isinstance(field, (serializers.FloatField, serializers.DecimalField)):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else _("Must be a number.")
    if isinstance(field, (serializers.MultipleChoiceField, serializers.ListField)):
        if not isinstance(value, list):
            return _("Must be a list.")
        child = getattr(field, "child", None)
        if child is not None and not isinstance(child, serializers.BaseSerializer):
            for item in value:
                problem = json_type_problem(child, item)
                if problem:
                    return f"Every item: {problem[0].lower()}{problem[1:]}"
        return None
    if isinstance(field, STRING_FIELDS):
        return None if isinstance(value, str) else _("Must be a string.")
    return None


class StrictJsonTypes:
    """Mix into a request serializer (before serializers.Serializer)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping) and not hasattr(data, "getlist"):  # JSON, not a QueryDict
            errors = {}
            for name, field in self.fields.items():  # type: ignore[attr-defined]
                if field.read_only or field.source == "*" or name not in data:
                    continue
                problem = json_type_problem(field, data[name])
                if problem:
                    errors[name] = [problem]
            if errors:
                # Report the other fields' problems too, as DRF would.
                rest = {k: v for k, v in data.items() if k not in errors}
                try:
                    super().to_internal_value(rest)  # type: ignore[misc]
                except serializers.ValidationError as exc:
                    if isinstance(exc.detail, dict):
                        for name, messages in exc.detail.items():
                            errors.setdefault(name, messages)  # type: ignore[arg-type]
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]
