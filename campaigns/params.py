"""Params of the campaign missions REX already plans but has no agent for yet (``book_meeting``, ``triage_replies``).

Their intents are registered now (``campaigns/rex_agents.py``) so the rules and the LLM read these commands and
intake refuses them as "no agent handles … yet"; the agents, when they come, declare these models as ``Params``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import Field, StringConstraints, ValidationInfo, model_validator

from agents.names import Names
from agents.params import AgentParams, Name, today_of

# How far ahead a meeting may be booked; a window beyond it is almost always a typo in the year.
MAX_MEETING_DAYS_AHEAD = 366
EMAIL = r"[^\s@<>\"']+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}"


class BookMeetingParams(AgentParams):
    attendee: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254,
                                               pattern=rf"^{EMAIL}$")] = Field(description="the attendee's email")
    window_start: date = Field(description="the first day the meeting may be on")
    window_end: date = Field(description="the last day the meeting may be on (included)")
    # Set by the replies app when an interested reply asks for the meeting; a command typed by a person has none.
    reply: int | None = Field(None, description="the id of the interested reply this answers, if any")

    @model_validator(mode="after")
    def window_is_ahead_and_runs_forward(self, info: ValidationInfo) -> BookMeetingParams:
        today = today_of(info)
        if self.window_end < self.window_start:
            raise ValueError(f"the window ends ({self.window_end}) before it starts ({self.window_start})")
        if self.window_start < today:
            raise ValueError(f"the window starts on {self.window_start}, which is in the past (today is {today})")
        if self.window_end > today + timedelta(days=MAX_MEETING_DAYS_AHEAD):
            raise ValueError(f"the window ends on {self.window_end}, more than a year ahead")
        return self


class TriageRepliesParams(AgentParams):
    campaign: Annotated[Name, Names("campaign")] | None = Field(
        None, description="only this campaign's replies (default: every campaign's)")
