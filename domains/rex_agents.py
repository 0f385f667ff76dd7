"""The agents and intents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import intents, registry
from agents.spending import register_cost_estimator
from domains.agents import DomainProvisioningAgent, WarmupAgent, estimate_provisioning
from domains.controls import INTENTS as CONTROLS
from domains.intents import INTENTS

registry.register(DomainProvisioningAgent)
register_cost_estimator(DomainProvisioningAgent.name, estimate_provisioning)
registry.register(WarmupAgent)
for intent in (*INTENTS, *CONTROLS):
    intents.register(intent)
