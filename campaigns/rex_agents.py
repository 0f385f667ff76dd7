"""The intents this app declares (discovered by ``agents.registry.load`` in every installed app); no agent yet."""

from agents import intents
from campaigns.intents import INTENTS

for intent in INTENTS:
    intents.register(intent)
