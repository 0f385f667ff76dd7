"""The agents behind "start campaign X with sequence Y for list Z", "pause campaign X" and "resume campaign X".

Deterministic and quick: each calls ``campaigns.services`` (the same rules as the API, the admin and the page)
and turns a ``CampaignError`` into a failed mission that says what to change. The sending itself is the
sequencer's, minute by minute, within every window and cap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import Field

from agents.base import BaseAgent, FatalAgentError, MissionContext
from agents.names import Names
from agents.params import AgentParams, Name
from campaigns.services import (
    CampaignError,
    campaign_named,
    list_named,
    pause_campaign,
    resume_campaign,
    sequence_named,
    start_campaign,
)


class StartCampaignParams(AgentParams):
    campaign: Annotated[Name, Names("campaign")] = Field(description="the campaign to start")
    sequence: Annotated[Name, Names("sequence")] = Field(description="the sequence it runs")
    list: Annotated[Name, Names("list")] = Field(description="the contact list whose contacts are enrolled")


class CampaignParams(AgentParams):
    campaign: Annotated[Name, Names("campaign")] = Field(description="the campaign")


def _actor(context: MissionContext) -> str:
    user = getattr(context.mission, "requested_by", None)
    return getattr(user, "username", "") or "agent"


class StartCampaignAgent(BaseAgent):
    name = "start_campaign"
    version = "1.0"
    description = "Starts a campaign's sequence for a contact list: enrolls its contacts (never the suppressed)."
    Params = StartCampaignParams
    # Enrolling is idempotent in the database (one enrollment per contact); a re-run must enroll the list's new
    # contacts, not replay an old answer.
    reuse_results = False

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        organization = context.mission.organization
        try:
            campaign = campaign_named(organization, plan["campaign"])
            return start_campaign(campaign, sequence=sequence_named(organization, plan["sequence"]),
                                  contact_list=list_named(organization, plan["list"]), actor=_actor(context))
        except CampaignError as exc:
            raise FatalAgentError(exc.message, field=exc.field) from exc


class _CampaignStatusAgent(BaseAgent):
    """Pause or resume: one campaign named, one service call."""

    Params = CampaignParams
    reuse_results = False  # the campaign's status now is the answer, never an older run's
    change: Callable[..., dict[str, Any]]

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        try:
            campaign = campaign_named(context.mission.organization, plan["campaign"])
            return type(self).change(campaign, actor=_actor(context))
        except CampaignError as exc:
            raise FatalAgentError(exc.message, field=exc.field) from exc


class PauseCampaignAgent(_CampaignStatusAgent):
    name = "pause_campaign"
    version = "1.0"
    description = "Pauses a campaign: nothing more is sent; every contact keeps its place in the sequence."
    change = staticmethod(pause_campaign)


class ResumeCampaignAgent(_CampaignStatusAgent):
    name = "resume_campaign"
    version = "1.0"
    description = "Resumes a paused campaign; steps that fell due meanwhile go at each contact's next window."
    change = staticmethod(resume_campaign)
