from __future__ import annotations

import math
import uuid
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.serializers import IntrospectOnceModelSerializer
from core.strict_types import StrictJSONTypes
from missions.api.waiting import MAX_WAIT_SECONDS
from missions.models import Mission, MissionEvent, MissionStatus, Priority

COMMAND_MAX_LENGTH = 500
IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:\-]{8,128}$"
MAX_COMMANDS_PER_BATCH = 100


class CommandSerializer(StrictJSONTypes, serializers.Serializer):
    """A command: structured (``type`` + ``params``) or free text (``command``), exactly one of the two."""

    type = serializers.CharField(max_length=64, required=False,
                                 help_text="Mission type (a registered agent's name). Not with `command`.")
    params = serializers.JSONField(required=False, help_text="The mission's params (with `type` only).")
    command = serializers.CharField(max_length=COMMAND_MAX_LENGTH, required=False,
                                    help_text="Free text, e.g. \"warm up 5 new domains for acme\". Not with `type`.")
    # No default: for free text, an absent priority lets the plan's own priority stand.
    priority = serializers.ChoiceField(choices=Priority.choices, required=False,
                                       help_text="Queue of the mission(s); default normal.")
    idempotency_key = serializers.RegexField(
        IDEMPOTENCY_KEY_PATTERN, required=False,
        error_messages={"invalid": "8 to 128 characters: letters, digits, '.', '_', ':' or '-'."},
        help_text="With `type` only; derived from organization + type + params when absent.",
    )

    def validate_params(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be a JSON object")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "type" in attrs and "command" in attrs:
            raise serializers.ValidationError({"command": ["give either 'type' (structured) or 'command' (free text), "
                                                           "not both"]})
        if "command" in attrs:
            extra = [name for name in ("params", "idempotency_key") if name in attrs]
            if extra:
                raise serializers.ValidationError({name: ["only allowed with 'type', not with 'command'"]
                                                   for name in extra})
            return attrs
        if "type" not in attrs:
            raise serializers.ValidationError({"type": ["This field is required (or give 'command', in free text)."]})
        return {**attrs, "params": attrs.get("params", {}), "priority": attrs.get("priority", Priority.NORMAL)}


class CommandItemSerializer(StrictJSONTypes, serializers.Serializer):
    """One structured command of a batch: ``type`` + ``params``, as ``POST /api/rex/command`` takes it."""

    type = serializers.CharField(max_length=64, help_text="Mission type (a registered agent's name).")
    params = serializers.JSONField(required=False, help_text="The mission's params; default {}.")
    priority = serializers.ChoiceField(choices=Priority.choices, required=False,
                                       help_text="Queue of the mission; default normal.")
    idempotency_key = serializers.RegexField(
        IDEMPOTENCY_KEY_PATTERN, required=False,
        error_messages={"invalid": "8 to 128 characters: letters, digits, '.', '_', ':' or '-'."},
        help_text="Dedupes this item forever; derived from organization + type + params when absent (dedupes "
                  "within the dedupe window).",
    )

    def to_internal_value(self, data: Any) -> Any:
        # DRF ignores unknown keys; a free-text command silently dropped would be a mission nobody asked for.
        if isinstance(data, dict) and "command" in data:
            raise serializers.ValidationError({"command": ["free text is one command per request: POST it to "
                                                           "/api/rex/command; a batch takes 'type' + 'params'"]})
        return super().to_internal_value(data)

    def validate_params(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be a JSON object")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return {**attrs, "params": attrs.get("params", {}), "priority": attrs.get("priority", Priority.NORMAL)}


class CommandBatchSerializer(serializers.Serializer):
    """Structured commands carried out together, all or none (``POST /api/rex/commands``).

    Not ``StrictJSONTypes`` itself: each item is (``CommandItemSerializer``), so a wrong type in one item is
    reported with the other items' errors rather than alone.
    """

    commands = CommandItemSerializer(many=True, min_length=1, max_length=MAX_COMMANDS_PER_BATCH,
                                     help_text=f"1 to {MAX_COMMANDS_PER_BATCH} structured commands.")

    def to_internal_value(self, data: Any) -> Any:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # DRF answers a list of items as a list with {} for each good one; errors keyed by the refused items'
            # indexes say the same in the shape intake's own refusals have ({"commands": {"3": {...}}}).
            detail = exc.detail
            items = detail.get("commands") if isinstance(detail, dict) else None
            if isinstance(items, list) and any(isinstance(item, dict) for item in items):
                detail["commands"] = {str(index): item for index, item in enumerate(items) if item}
            elif isinstance(items, dict) and list(items) == ["non_field_errors"]:
                detail["commands"] = items["non_field_errors"]  # the list as a whole: empty, or too long
            raise serializers.ValidationError(detail) from None


class BatchMissionSerializer(serializers.Serializer):
    """One item's mission in a batch's answer, in request order."""

    id = serializers.UUIDField()
    type = serializers.CharField()
    status = serializers.ChoiceField(choices=MissionStatus.choices)
    idempotency_key = serializers.CharField(help_text="The client's key, or the one derived for the item.")
    created = serializers.BooleanField(help_text="False: a duplicate (the key was seen before, or an earlier item "
                                                 "of this batch is the same command): the existing mission.")


class CommandBatchResponseSerializer(serializers.Serializer):
    missions = BatchMissionSerializer(many=True)


class MissionStatusSerializer(serializers.Serializer):
    """What a poller needs of a mission: where it stands."""

    id = serializers.UUIDField()
    type = serializers.CharField()
    status = serializers.ChoiceField(choices=MissionStatus.choices)
    attempts = serializers.IntegerField()
    finished_at = serializers.DateTimeField(allow_null=True)


class MissionStatusesSerializer(serializers.Serializer):
    missions = MissionStatusSerializer(many=True, help_text="The missions found, in the order `ids` gave them.")
    missing = serializers.ListField(child=serializers.UUIDField(),
                                    help_text="Ids with no mission in your organization (another organization's "
                                              "are missing too).")


class MissionIdsSerializer(serializers.Serializer):
    """``?ids=<uuid>,<uuid>,…`` of ``GET /api/missions/status``."""

    ids = serializers.CharField(help_text=f"Comma-separated mission ids, 1 to {MAX_COMMANDS_PER_BATCH}.")

    def validate_ids(self, value: str) -> list[uuid.UUID]:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        if not parts:
            raise serializers.ValidationError("give at least one mission id")
        if len(parts) > MAX_COMMANDS_PER_BATCH:
            raise serializers.ValidationError(f"at most {MAX_COMMANDS_PER_BATCH} ids; {len(parts)} given")
        ids = []
        for part in parts:
            try:
                ids.append(uuid.UUID(part))
            except ValueError:
                raise serializers.ValidationError(f"{part[:40]!r} is not a mission id (a UUID)") from None
        return list(dict.fromkeys(ids))


class MissionStatusQuerySerializer(MissionIdsSerializer):
    """``?ids=…&wait=<seconds>`` of ``GET /api/missions/status``: ``wait`` holds the answer until every mission is
    final, at most that long (``missions.api.waiting``)."""

    wait = serializers.FloatField(required=False, default=0, min_value=0, max_value=MAX_WAIT_SECONDS,
                                  help_text=f"Seconds, 0 to {MAX_WAIT_SECONDS}.")

    def validate_wait(self, value: float) -> float:
        if math.isnan(value):  # NaN passes both bounds: every comparison with it is false
            raise serializers.ValidationError(f"a number of seconds, 0 to {MAX_WAIT_SECONDS}")
        return value


class MissionEventSerializer(IntrospectOnceModelSerializer):
    class Meta:
        model = MissionEvent
        fields = ["seq", "kind", "from_status", "to_status", "message", "data", "created_at"]


class MissionSerializer(IntrospectOnceModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Mission
        fields = [
            "id", "organization", "type", "priority", "status", "params", "idempotency_key", "attempts",
            "max_attempts", "result", "error", "parent", "requested_by", "created_at", "started_at",
            "finished_at", "next_attempt_at", "estimated_cost_cents", "cost_quote",
        ]
        read_only_fields = fields


class LLMUsageSerializer(serializers.Serializer):
    calls = serializers.IntegerField()
    prompt_tokens = serializers.IntegerField()
    completion_tokens = serializers.IntegerField()
    cost = serializers.CharField(help_text="USD, as a decimal string (never a float).")


class MissionDetailSerializer(MissionSerializer):
    events = MissionEventSerializer(many=True, read_only=True)
    llm_usage = serializers.SerializerMethodField(help_text="LLM calls, tokens and cost of this mission, summed "
                                                            "from its audit rows.")

    class Meta(MissionSerializer.Meta):
        fields = [*MissionSerializer.Meta.fields, "events", "llm_usage"]
        read_only_fields = fields

    @extend_schema_field(LLMUsageSerializer)
    def get_llm_usage(self, mission: Mission) -> dict:
        from agents.llm import usage_for_mission

        return usage_for_mission(mission)


def detail_of_new_mission(mission: Mission, first_event: MissionEvent) -> dict[str, Any]:
    """``MissionDetailSerializer(mission).data`` of a mission this very request created, from memory: its timeline
    is the event recorded with it and it has made no LLM call yet. Two queries fewer per ``POST /api/rex/command``
    (the timeline and the LLM-usage aggregate), and the timeline matches the status answered beside it."""
    from agents.llm.costs import no_usage

    return {**MissionSerializer(mission).data, "events": MissionEventSerializer([first_event], many=True).data,
            "llm_usage": no_usage()}


class MissionFilterSerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=MissionStatus.choices, required=False)
    type = serializers.CharField(max_length=64, required=False)


class DecisionSerializer(serializers.Serializer):
    """How the decision engine read the command (docs/decision-engine.md)."""

    layer = serializers.ChoiceField(choices=["structured", "rules", "llm"])
    intent = serializers.CharField()
    summary = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["accepted", "answered"])


class CommandMissionSerializer(MissionSerializer):
    created = serializers.BooleanField(help_text="False when the command matched an existing mission.")

    class Meta(MissionSerializer.Meta):
        fields = [*MissionSerializer.Meta.fields, "created"]
        read_only_fields = fields


class CommandResponseSerializer(MissionDetailSerializer):
    """The first mission at top level (as before), the decision, and every mission the command made."""

    decision = DecisionSerializer()
    missions = CommandMissionSerializer(many=True)

    class Meta(MissionDetailSerializer.Meta):
        fields = [*MissionDetailSerializer.Meta.fields, "decision", "missions"]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    """A question or control answered at once: one number, or a table (core/answers.py, docs/decision-engine.md)."""

    kind = serializers.ChoiceField(choices=["number", "table"], help_text="How to show it: one figure, or a table.")
    title = serializers.CharField(help_text='What it is, e.g. "Bounce rate · last 30 days · client acme".')
    text = serializers.CharField(help_text="The same answer in one line, for clients that show text only.")
    detail = serializers.CharField(required=False, allow_blank=True,
                                   help_text="What a figure counts, or why it is empty.")
    value = serializers.FloatField(required=False, allow_null=True,
                                   help_text="With kind `number`: the figure; null when it cannot be computed "
                                             "(a rate of nothing sent).")
    unit = serializers.CharField(required=False, allow_blank=True, help_text='With kind `number`: "%", "emails".')
    columns = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False,
                                    help_text="With kind `table`: the column headings.")
    rows = serializers.ListField(child=serializers.ListField(child=serializers.JSONField(allow_null=True)),
                                 required=False, help_text="With kind `table`: one list of cells (text, number or "
                                                           "null) per row, in the order of `columns`.")
    mission = serializers.DictField(required=False, help_text="For a mission's status: the mission, with params "
                                                              "and result.")
    commands = serializers.ListField(child=serializers.CharField(), required=False,
                                     help_text="For help: the example commands.")


class CommandAnswerSerializer(serializers.Serializer):
    """A question or control answered without a mission, e.g. "show bounce rate for acme"."""

    decision = DecisionSerializer()
    answer = AnswerSerializer()


class RejectSerializer(StrictJSONTypes, serializers.Serializer):
    reason = serializers.CharField(max_length=250, help_text="Why the spend is refused; kept on the mission's timeline.")


MAX_TOKENS = 2_000_000_000


class SpendBudgetSerializer(StrictJSONTypes, serializers.Serializer):
    """The organization's spend settings (agents.spending) and where this month stands."""

    monthly_budget_cents = serializers.IntegerField(
        min_value=0, max_value=10**12, allow_null=True, required=False,
        help_text="Most that may be committed or reserved in a calendar month (UTC); null: no monthly cap.")
    approval_threshold_cents = serializers.IntegerField(
        min_value=0, max_value=10**12, required=False,
        help_text="A mission estimated above this waits for approval; 0: every mission that costs money asks.")
    # The token columns are PositiveIntegerField: at most 2^31 - 1 in PostgreSQL.
    llm_tokens_per_mission = serializers.IntegerField(
        min_value=0, max_value=MAX_TOKENS, required=False,
        help_text="LLM tokens one mission may use; 0: the server's default (REX_LLM_TOKENS_PER_MISSION).")
    llm_tokens_per_day = serializers.IntegerField(
        min_value=0, max_value=MAX_TOKENS, required=False,
        help_text="LLM tokens the organization may use per UTC day; 0: the server's default (REX_LLM_TOKENS_PER_DAY).")
    currency = serializers.CharField(read_only=True)
    month_spend_cents = serializers.IntegerField(read_only=True, help_text="Committed + reserved spend this month.")
    budget_left_cents = serializers.IntegerField(read_only=True, allow_null=True,
                                                 help_text="What may still be spent this month; null: no cap.")
