"""The agents and intents this app declares (discovered by ``agents.registry.load`` in every installed app).

The send agent is campaigns' (it reads campaigns and contact lists and sends through inboxes, below it); booking
meetings and triaging replies are understood already and have no agent yet, so intake refuses them as such.
"""

from agents import intents, names, registry
from campaigns.agents import AssignDomainsAgent, OutreachSendAgent
from campaigns.intents import INTENTS as CONVERSATION_INTENTS
from campaigns.names import RESOLVERS
from campaigns.sending_intents import INTENTS as SENDING_INTENTS
from campaigns.sequence_agents import PauseCampaignAgent, ResumeCampaignAgent, StartCampaignAgent
from campaigns.sequence_intents import INTENTS as SEQUENCE_INTENTS

registry.register(AssignDomainsAgent)
registry.register(OutreachSendAgent)
for agent in (StartCampaignAgent, PauseCampaignAgent, ResumeCampaignAgent):
    registry.register(agent)
for resolver in RESOLVERS:
    names.register_resolver(resolver)
for intent in (*SENDING_INTENTS, *SEQUENCE_INTENTS, *CONVERSATION_INTENTS):
    intents.register(intent)
