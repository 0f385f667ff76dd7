"""The LLM only ever sees placeholders; the caller gets the answer with the real values put back, and an answer
using a placeholder the request never sent is invalid."""

import pytest

from agents import llm
from agents.models import AgentLog

CONTACT = {"PERSON": ["Jane Doe"], "ORGANIZATION": ["Globex Corporation"]}
RAW_VALUES = ["Jane", "Doe", "jane.doe@example.com", "415", "555-0100", "Globex"]


def test_prompt_is_pseudonymised_and_answer_restored(fake_openai, organization):
    fake_openai.reply("Hi <PERSON_1>, shall I call <PHONE_1> or write to <EMAIL_1> about <ORGANIZATION_1>?",
                      prompt_tokens=40, completion_tokens=20)

    answer = llm.complete(
        [{"role": "system", "content": "You draft short, polite follow-ups for Jane Doe's account manager."},
         {"role": "user", "content": "Contact: Jane Doe <jane.doe@example.com>, +1 415-555-0100, "
                                     "works at Globex Corporation. Draft a follow-up."}],
        organization=organization, agent="writer", known_values=CONTACT, consent=True
    )

    assert answer.text == ("Hi Jane Doe, shall I call +1 415-555-0100 or write to jane.doe@example.com about "
                           "Globex Corporation?")
    [sent] = fake_openai.received("/chat/completions")
    received = sent.text()
    for value in RAW_VALUES:
        assert value not in received, f"{value!r} reached the LLM"
    user_message = sent.body["messages"][-1]["content"]
    assert user_message == ("Contact: <PERSON_1> <<EMAIL_1>>, <PHONE_1>, works at <ORGANIZATION_1>. "
                            "Draft a follow-up.")
    # One mapping for the whole prompt: the name is <PERSON_1> in the system message too.
    assert "<PERSON_1>'s account manager" in sent.body["messages"][0]["content"]

    row = AgentLog.objects.get(action="llm.complete")
    assert row.payload["messages_as_sent"] == sent.body["messages"]
    assert row.payload["outcome"] == "succeeded"
    for value in RAW_VALUES:
        assert value not in str(row.payload), f"{value!r} reached the audit log"


def test_a_placeholder_the_llm_invents_makes_the_answer_invalid(fake_openai, organization):
    # No real value stands behind <PERSON_7>: an answer using it would greet (or email) a placeholder.
    fake_openai.reply("I also know <PERSON_7>.")

    with pytest.raises(llm.LLMInvalidOutput, match="uses <PERSON_7>, a placeholder this request never sent"):
        llm.complete([{"role": "user", "content": "Say hello to Jane Doe."}], organization=organization,
                     known_values=CONTACT, consent=True)

    assert AgentLog.objects.get(action="llm.complete").payload["outcome"] == "invalid_output"
