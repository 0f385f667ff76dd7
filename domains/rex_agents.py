"""The agents and intents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import intents, names, registry
from agents.spending import register_cost_estimator
from domains.agents import CreatePoolAgent, DomainProvisioningAgent, WarmupAgent, estimate_provisioning
from domains.controls import INTENTS as CONTROLS
from domains.intents import INTENTS
from domains.names import RESOLVERS

registry.register(DomainProvisioningAgent)
register_cost_estimator(DomainProvisioningAgent.name, estimate_provisioning)
registry.register(WarmupAgent)
registry.register(CreatePoolAgent)
for resolver in RESOLVERS:
    names.register_resolver(resolver)
for intent in (*INTENTS, *CONTROLS):
    intents.register(intent)
