"""The agent and the questions this app declares (discovered by ``agents.registry.load``): triaging replies, and
the figures about the outreach (sends, rates, capacity) the rules answer at once (``replies.answers``)."""

from agents import intents, registry
from replies.agents import TriageRepliesAgent
from replies.answers import INTENTS

registry.register(TriageRepliesAgent)
for intent in INTENTS:
    intents.register(intent)
