"""The commands this app declares (discovered by ``agents.registry.load``): pausing and resuming an inbox."""

from agents import intents
from inboxes.controls import INTENTS

for intent in INTENTS:
    intents.register(intent)
