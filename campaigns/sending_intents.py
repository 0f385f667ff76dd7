"""The sending command REX reads: a campaign's email to a contact list (``send_campaign``).

Registered in ``campaigns/rex_agents.py`` with the send agent's own params model.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from agents.intents import NUMBER, THE, Intent, Rule, number_of, slot
from campaigns.agents import OutreachSendAgent


def send(slots: dict[str, str], today: date) -> dict[str, Any]:
    params: dict[str, Any] = {"campaign": slots["campaign"], "list": slots["list"]}
    if slots.get("limit"):
        params["limit"] = number_of(slots["limit"])
    return params


# "… limit 50", "… at most 50 emails", "… max 50"
LIMIT = (rf"(?:,? (?:limit(?:ed)?(?: to)?|at most|max(?:imum)?|up to) {slot('limit', NUMBER)}"
         r"(?: emails?| messages?| sends?| contacts?)?)?")

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

INTENTS = (SEND_CAMPAIGN,)
