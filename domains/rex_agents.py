"""The agents and intents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import intents, names, registry
from domains.agents import CreatePoolAgent, DomainProvisioningAgent, WarmupAgent
from domains.intents import INTENTS
from domains.names import RESOLVERS

registry.register(DomainProvisioningAgent)
registry.register(WarmupAgent)
registry.register(CreatePoolAgent)
for resolver in RESOLVERS:
    names.register_resolver(resolver)
for intent in INTENTS:
    intents.register(intent)
