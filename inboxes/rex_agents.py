"""What this app tells the agents layer (discovered by ``agents.registry.load`` in every installed app): how a
command's inbox names are found (``agents.names``), and the commands pausing and resuming an inbox."""

from agents import intents, names
from inboxes.controls import INTENTS
from inboxes.names import RESOLVERS

for resolver in RESOLVERS:
    names.register_resolver(resolver)
for intent in INTENTS:
    intents.register(intent)
