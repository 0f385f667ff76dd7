"""What the engine could not plan stops start-up with a clear error, as a duplicate agent name does: two intents
with one name, one mission type with two params models, a mission intent without a params model, a params
model that accepts unknown fields, and an agent still declaring a DRF ``params_serializer``."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel
from rest_framework import serializers

from agents import intents, registry
from agents.base import BaseAgent
from agents.intents import Intent, Rule
from agents.params import AgentParams


class NoteParams(AgentParams):
    text: str


class OtherNoteParams(AgentParams):
    text: str


class LenientParams(BaseModel):  # accepts (and drops) whatever it does not know
    text: str


def nothing(slots: dict[str, str], today: Any) -> dict[str, Any]:
    return {}


@pytest.fixture
def cleanup():
    names: list[str] = []
    yield names
    for name in names:
        intents.unregister(name)
        registry.unregister(name)


def test_two_intents_with_one_name_are_refused(cleanup):
    cleanup.append("test_note")
    intents.register(Intent("test_note", "take a note", "test_note", NoteParams))

    with pytest.raises(ImproperlyConfigured, match="two intents are named 'test_note'"):
        intents.register(Intent("test_note", "take another note", "test_note", NoteParams))


def test_the_same_intent_twice_is_harmless(cleanup):
    cleanup.append("test_note")
    note = Intent("test_note", "take a note", "test_note", NoteParams,
                  rules=(Rule("note {text}", "note hello", (r"note (?P<text>\w+)",), nothing),))

    assert intents.register(note) is intents.register(note)


def test_one_mission_type_with_two_params_models_is_refused(cleanup):
    cleanup.extend(["test_note", "test_quick_note"])
    intents.register(Intent("test_note", "take a note", "test_note", NoteParams))

    with pytest.raises(ImproperlyConfigured, match="different params models"):
        intents.register(Intent("test_quick_note", "take a quick note", "test_note", OtherNoteParams))


@pytest.mark.parametrize("intent, message", [
    (Intent("test_note", "take a note", "test_note", None), "without a params model"),
    (Intent("test_note", "take a note", None, NoteParams), "without a params model"),
    (Intent("test_note", "take a note", "test_note", LenientParams), "must forbid unknown fields"),
    (Intent("unknown", "anything", "test_note", NoteParams), "not 'unknown'"),
    (Intent("Take Note", "anything", "test_note", NoteParams), "lower-case"),
])
def test_an_intent_the_engine_could_not_plan_is_refused(cleanup, intent, message):
    cleanup.append(intent.name)

    with pytest.raises(ImproperlyConfigured, match=message):
        intents.register(intent)


def test_an_agent_declaring_a_serializer_instead_of_params_is_refused(cleanup):
    class OldParams(serializers.Serializer):
        text = serializers.CharField()

    class OldStyleAgent(BaseAgent):
        name = "test_old_style"
        params_serializer = OldParams

    cleanup.append("test_old_style")
    with pytest.raises(ImproperlyConfigured, match="declares params_serializer; declare `Params`"):
        registry.register(OldStyleAgent)
    assert registry.get("test_old_style") is None


def test_an_agent_whose_params_accept_unknown_fields_is_refused(cleanup):
    class LenientAgent(BaseAgent):
        name = "test_lenient"
        Params = LenientParams

    cleanup.append("test_lenient")
    with pytest.raises(ImproperlyConfigured, match="must forbid unknown fields"):
        registry.register(LenientAgent)
