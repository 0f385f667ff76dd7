"""Fixtures of the agents app's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agents import idempotency, registry
from agents.tests.idempotency_helpers import CountingAgent


@pytest.fixture
def counting_agent() -> Iterator[type[CountingAgent]]:
    """``CountingAgent`` registered, its execution list empty, and the result cache's client fresh."""
    CountingAgent.executions = []
    registry.register(CountingAgent)
    idempotency.reset_client()
    yield CountingAgent
    registry.unregister(CountingAgent.name)
    idempotency.reset_client()
