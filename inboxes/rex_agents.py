"""The agents this app declares (discovered by ``agents.registry.load`` in every installed app)."""

from agents import registry
from inboxes.agents import OutreachSendAgent

registry.register(OutreachSendAgent)
