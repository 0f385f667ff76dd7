"""No call to the LLM without an explicit consent decision: ``consent`` is a required keyword of every way into the
gateway, so a caller that forgets it fails at once (TypeError) instead of sending someone's data by default."""

import inspect

import pytest

from agents import llm

ENTRY_POINTS = [llm.complete, llm.run_crew, llm.ask_async, llm.submit_async]


@pytest.mark.parametrize("entry_point", ENTRY_POINTS, ids=lambda f: f.__name__)
def test_consent_is_a_keyword_without_a_default(entry_point):
    consent = inspect.signature(entry_point).parameters["consent"]

    assert consent.kind is inspect.Parameter.KEYWORD_ONLY
    assert consent.default is inspect.Parameter.empty


def test_a_call_that_leaves_consent_out_sends_nothing(fake_openai, organization):
    with pytest.raises(TypeError, match="consent"):
        llm.complete([{"role": "user", "content": "Write to jane.doe@example.com."}],  # type: ignore[call-arg]
                     organization=organization)

    assert fake_openai.received() == []
