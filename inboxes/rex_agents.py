"""What this app tells the agents layer (discovered by ``agents.registry.load`` in every installed app): how a
command's inbox names are found (``agents.names``)."""

from agents import names
from inboxes.names import RESOLVERS

for resolver in RESOLVERS:
    names.register_resolver(resolver)
