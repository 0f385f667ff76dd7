"""The sequence commands REX reads (rules layer): start, pause and resume a campaign.

"start campaign spring-launch with sequence three-touches for list cfo-uk" enrolls the list in the sequence;
"pause campaign spring-launch" and "resume campaign spring-launch" stop and restart its sending. Registered in
``campaigns/rex_agents.py`` with their agents' params models.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from agents.intents import THE, Intent, Rule, slot
from campaigns.sequence_agents import PauseCampaignAgent, ResumeCampaignAgent, StartCampaignAgent


def start(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"campaign": slots["campaign"], "sequence": slots["sequence"], "list": slots["list"]}


def campaign_only(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"campaign": slots["campaign"]}


START_CAMPAIGN = Intent(
    name="start_campaign",
    description="start a campaign's follow-up sequence for the contacts of a list",
    mission_type=StartCampaignAgent.name,
    params=StartCampaignAgent.Params,
    rules=(Rule("start campaign {campaign} with sequence {sequence} for list {list}",
                "start campaign spring-launch with sequence three-touches for list cfo-uk",
                (rf"(?:start|launch|run) {THE}campaign {slot('campaign')} (?:with|using|on) {THE}sequence "
                 rf"{slot('sequence')} (?:for|to|on) {THE}(?:contact |mailing )?list {slot('list')}",),
                start),),
    vocabulary=("with", "using", "sequence", "for", "list"),
)

PAUSE_CAMPAIGN = Intent(
    name="pause_campaign",
    description="pause a campaign: nothing more is sent until it is resumed",
    mission_type=PauseCampaignAgent.name,
    params=PauseCampaignAgent.Params,
    rules=(Rule("pause campaign {campaign}", "pause campaign spring-launch",
                (rf"(?:pause|hold|suspend|stop) {THE}campaign {slot('campaign')}",), campaign_only),),
    vocabulary=("stop",),
)

RESUME_CAMPAIGN = Intent(
    name="resume_campaign",
    description="resume a paused campaign",
    mission_type=ResumeCampaignAgent.name,
    params=ResumeCampaignAgent.Params,
    rules=(Rule("resume campaign {campaign}", "resume campaign spring-launch",
                (rf"(?:resume|unpause|restart|continue) {THE}campaign {slot('campaign')}",), campaign_only),),
)

INTENTS = (START_CAMPAIGN, PAUSE_CAMPAIGN, RESUME_CAMPAIGN)
