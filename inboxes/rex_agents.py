"""The agents and intents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import intents, registry
from inboxes.agents import OutreachSendAgent
from inboxes.intents import INTENTS

registry.register(OutreachSendAgent)
for intent in INTENTS:
    intents.register(intent)
