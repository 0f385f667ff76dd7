from __future__ import annotations

from typing import Any

from rest_framework import serializers

from missions.models import Mission, MissionEvent, MissionStatus, Priority


class CommandSerializer(serializers.Serializer):
    """A structured command: which mission type to run, with what params, how urgently."""

    type = serializers.CharField(max_length=64)
    params = serializers.JSONField(required=False, default=dict)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.NORMAL)
    idempotency_key = serializers.RegexField(
        r"^[A-Za-z0-9._:\-]{8,128}$", required=False,
        error_messages={"invalid": "8 to 128 characters: letters, digits, '.', '_', ':' or '-'."},
    )

    def validate_params(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be a JSON object")
        return value


class MissionEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MissionEvent
        fields = ["seq", "kind", "from_status", "to_status", "message", "data", "created_at"]


class MissionSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Mission
        fields = [
            "id", "organization", "type", "priority", "status", "params", "idempotency_key", "attempts",
            "max_attempts", "result", "error", "parent", "requested_by", "created_at", "started_at",
            "finished_at", "next_attempt_at",
        ]
        read_only_fields = fields


class MissionDetailSerializer(MissionSerializer):
    events = MissionEventSerializer(many=True, read_only=True)

    class Meta(MissionSerializer.Meta):
        fields = [*MissionSerializer.Meta.fields, "events"]
        read_only_fields = fields


class MissionFilterSerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=MissionStatus.choices, required=False)
    type = serializers.CharField(max_length=64, required=False)
