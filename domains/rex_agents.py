"""The agents and intents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import intents, registry
from domains.agents import DomainProvisioningAgent, WarmupAgent
from domains.controls import INTENTS as CONTROLS
from domains.intents import INTENTS

registry.register(DomainProvisioningAgent)
registry.register(WarmupAgent)
for intent in (*INTENTS, *CONTROLS):
    intents.register(intent)
