"""Strict JSON types for API request bodies: a number where the schema says string is a 400, not coerced.

DRF's fields coerce: a ``CharField`` turns ``0`` into ``"0"``, an ``IntegerField`` reads ``"5"`` as 5, a
``BooleanField`` takes ``"yes"`` and ``1``. The schema promises types, so ``{"client": 0}`` reaching the pool as
client ``"0"`` is the API not doing what it says. ``StrictJSONTypes``, mixed into a request serializer before DRF's
class, checks the JSON type of every field given against the field's kind, nested serializers and lists of them
included, and answers field errors (``{"client": ["must be a string, not a number"]}``) before any coercion.

Only bodies parsed from JSON are checked: a form or a query string carries nothing but strings, and filters read
from the query string keep DRF's usual reading. ``null`` is left to the field's own ``allow_null``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.relations import ManyRelatedField, PrimaryKeyRelatedField, SlugRelatedField

# JSON's names for Python's types, for the messages.
JSON_NAMES = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array",
              dict: "an object", type(None): "null"}


def json_name(value: Any) -> str:
    return next((name for kind, name in JSON_NAMES.items() if type(value) is kind), "an object")


def expected_types(field: serializers.Field) -> tuple[type, ...] | None:
    """The JSON types ``field`` accepts (as Python types), or None when it takes any (a JSONField, a custom one)."""
    if isinstance(field, (serializers.ListSerializer, serializers.ListField, serializers.MultipleChoiceField,
                          ManyRelatedField)):
        return (list,)
    if isinstance(field, (serializers.Serializer, serializers.DictField, serializers.HStoreField)):
        return (dict,)
    if isinstance(field, serializers.JSONField):
        return None
    if isinstance(field, serializers.BooleanField):
        return (bool,)
    if isinstance(field, serializers.ChoiceField):
        kinds = {type(choice) for choice in field.choices}
        return (str,) if kinds == {str} else (int,) if kinds == {int} else None
    if isinstance(field, (serializers.CharField, serializers.UUIDField, serializers.DateTimeField,
                          serializers.DateField, serializers.TimeField, serializers.DurationField, SlugRelatedField)):
        return (str,)
    if isinstance(field, (serializers.IntegerField, PrimaryKeyRelatedField)):
        return (int,)
    if isinstance(field, serializers.FloatField):
        return (int, float)
    if isinstance(field, serializers.DecimalField):
        return (int, float, str)  # a decimal string ("12.50") keeps its digits, as the answers give it
    return None


def _type_error(field: serializers.Field, value: Any) -> Any:
    """The field error for ``value`` given to ``field``, recursing into nested serializers and lists; None if none."""
    if value is None:
        return None
    expected = expected_types(field)
    if expected is not None and (not isinstance(value, expected) or (isinstance(value, bool) and bool not in expected)):
        wanted = " or ".join(dict.fromkeys(JSON_NAMES[kind] for kind in expected))
        return [f"must be {wanted}, not {json_name(value)}"]
    if isinstance(field, serializers.Serializer):
        return type_errors(field, value) or None
    child = getattr(field, "child", None)
    if isinstance(field, (serializers.ListSerializer, serializers.ListField)) and child is not None:
        errors = {str(index): error for index, item in enumerate(value)
                  if (error := _type_error(child, item)) is not None}
        return errors or None
    if isinstance(field, serializers.DictField) and child is not None:
        errors = {key: error for key, item in value.items() if (error := _type_error(child, item)) is not None}
        return errors or None
    return None


def type_errors(serializer: serializers.Serializer, data: Mapping[str, Any]) -> dict[str, Any]:
    """Field name → error for every writable field of ``serializer`` whose value in ``data`` has the wrong type."""
    errors = {}
    for field in serializer._writable_fields:
        if field.field_name in data:
            error = _type_error(field, data[field.field_name])
            if error is not None:
                errors[field.field_name] = error
    return errors


class StrictJSONTypes:
    """Mix into a request serializer (first base): JSON values of the wrong type are field errors, never coerced."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping) and not isinstance(data, QueryDict):
            errors = type_errors(self, data)  # type: ignore[arg-type]
            if errors:
                raise ValidationError(errors)
        return super().to_internal_value(data)  # type: ignore[misc]
