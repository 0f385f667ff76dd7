"""The agent this app declares (discovered by ``agents.registry.load``): ``book_meeting``, whose intent
("book a meeting with … next week") campaigns registers."""

from agents import registry
from meetings.agents import BookMeetingAgent

registry.register(BookMeetingAgent)
