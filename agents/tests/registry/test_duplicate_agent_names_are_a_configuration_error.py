"""Two different agent classes may not share a name: registering the second is a start-up error naming both."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agents import registry
from agents.base import AgentResult, BaseAgent, MissionContext
from agents.canary import CanaryAgent

MODULE = __name__


class FirstTwin(BaseAgent):
    name = "test_twin"

    def run(self, context: MissionContext) -> AgentResult:
        return AgentResult()


class SecondTwin(BaseAgent):
    name = "test_twin"

    def run(self, context: MissionContext) -> AgentResult:
        return AgentResult()


class CanaryImpostor(BaseAgent):
    name = "canary"


pytestmark = pytest.mark.usefixtures("restore_registry")


def test_second_class_with_the_same_name_raises_with_both_dotted_paths():
    registry.register(FirstTwin)

    with pytest.raises(ImproperlyConfigured) as excinfo:
        registry.register(SecondTwin)

    message = str(excinfo.value)
    assert f"{MODULE}.FirstTwin" in message
    assert f"{MODULE}.SecondTwin" in message
    assert "'test_twin'" in message
    assert isinstance(registry.get("test_twin"), FirstTwin)  # the first registration stands


def test_a_class_taking_the_name_of_a_configured_agent_is_refused():
    with pytest.raises(ImproperlyConfigured, match=r"agents\.canary\.CanaryAgent") as excinfo:
        registry.register(CanaryImpostor)

    assert f"{MODULE}.CanaryImpostor" in str(excinfo.value)
    assert isinstance(registry.get("canary"), CanaryAgent)


def test_registering_the_same_class_again_is_harmless():
    registry.register(CanaryAgent)

    assert isinstance(registry.get("canary"), CanaryAgent)
    assert registry.names().count("canary") == 1
