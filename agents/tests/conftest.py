"""Fixtures of the agents app's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agents import idempotency, registry
from agents.tests.idempotency_helpers import CountingAgent


@pytest.fixture
def restore_registry() -> Iterator[None]:
    """Whatever a test registers or removes, the registry is as before afterwards."""
    saved = dict(registry._agents)
    yield
    registry._agents.clear()
    registry._agents.update(saved)


@pytest.fixture
def counting_agent() -> Iterator[type[CountingAgent]]:
    """``CountingAgent`` registered, its execution list empty, and the result cache's client fresh."""
    CountingAgent.executions = []
    registry.register(CountingAgent)
    idempotency.reset_client()
    yield CountingAgent
    registry.unregister(CountingAgent.name)
    idempotency.reset_client()
