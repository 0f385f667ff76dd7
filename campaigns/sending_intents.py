"""The sending commands REX reads: domains for a campaign (``assign_domains``), its email to a list (``send_campaign``).

Registered in ``campaigns/rex_agents.py`` with the send agent's own params model.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from agents.intents import COUNT, NUMBER, THE, Intent, Rule, number_of, slot
from campaigns.agents import AssignDomainsAgent, OutreachSendAgent


def assign(slots: dict[str, str], today: date) -> dict[str, Any]:
    params: dict[str, Any] = {"count": number_of(slots["count"]), "campaign": slots["campaign"]}
    if slots.get("pool"):
        params["pool"] = slots["pool"]
    return params


def send(slots: dict[str, str], today: date) -> dict[str, Any]:
    params: dict[str, Any] = {"campaign": slots["campaign"], "list": slots["list"]}
    if slots.get("limit"):
        params["limit"] = number_of(slots["limit"])
    return params


# "… limit 50", "… at most 50 emails", "… max 50"
LIMIT = (rf"(?:,? (?:limit(?:ed)?(?: to)?|at most|max(?:imum)?|up to) {slot('limit', NUMBER)}"
         r"(?: emails?| messages?| sends?| contacts?)?)?")

ASSIGN_DOMAINS = Intent(
    name="assign_domains",
    description="give a campaign ready domains (with their inboxes) from the pool to send from",
    mission_type=AssignDomainsAgent.name,
    params=AssignDomainsAgent.Params,
    rules=(Rule("assign {count} domains to campaign {campaign}[ for {pool}]",
                "assign 2 domains to campaign spring-launch",
                (rf"assign {COUNT} (?:more |new |extra )?domains? to {THE}campaign {slot('campaign')}"
                 rf"(?: (?:from|for) {THE}(?:client |customer )?(?:domain )?(?:pool )?"
                 rf"{slot('pool', r'[a-z0-9_-]{1,100}')})?",),
                assign),),
)

SEND_CAMPAIGN = Intent(
    name="send_campaign",
    description="send a campaign's email to the contacts of a list, through the campaign's inboxes, within caps",
    mission_type=OutreachSendAgent.name,
    params=OutreachSendAgent.Params,
    rules=(Rule("send campaign {campaign} to list {list}[ limit {limit}]", "send campaign spring-launch to list cfo-uk",
                (rf"(?:send|launch) {THE}campaign {slot('campaign')} to {THE}(?:mailing |contact )?list "
                 rf"{slot('list')}{LIMIT}",),
                send),),
)

INTENTS = (ASSIGN_DOMAINS, SEND_CAMPAIGN)
