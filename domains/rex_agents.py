"""The agents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import registry
from domains.agents import AssignDomainsAgent, DomainProvisioningAgent, WarmupAgent

registry.register(DomainProvisioningAgent)
registry.register(WarmupAgent)
registry.register(AssignDomainsAgent)
