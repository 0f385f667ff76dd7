"""The domain commands REX reads: provisioning new domains and warming one up (assigning them is campaigns').

Registered in ``domains/rex_agents.py``; each intent plans its agent's mission with that agent's own params model,
so a param the agent accepts is one the grammar and the LLM can plan.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from agents.intents import COUNT, NUMBER, THE, Intent, Rule, number_of, slot
from domains.agents import CreatePoolAgent, DomainProvisioningAgent, WarmupAgent

# The grammar's domain name: lower-case labels and a TLD; the params model checks it again.
DOMAIN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"


def provision(slots: dict[str, str], today: date) -> dict[str, Any]:
    params: dict[str, Any] = {"count": number_of(slots["count"]), "client": slots["client"], "warmup": True}
    if slots.get("inboxes_per_domain"):
        params["inboxes_per_domain"] = number_of(slots["inboxes_per_domain"])
    return params


def warmup(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"domain": slots["domain"].lower()}


# "… with 4 inboxes each", "… with 4 inboxes per domain", "… with one inbox each"
INBOXES = rf"(?: with {slot('inboxes_per_domain', NUMBER)} inbox(?:es)?(?: each| per domain| on each)?)?"

PROVISION_DOMAINS = Intent(
    name="provision_domains",
    description="buy new domains (with their inboxes) for a client, set up their DNS and start warming them up",
    mission_type=DomainProvisioningAgent.name,
    params=DomainProvisioningAgent.Params,
    rules=(Rule("warm up {count} new domains for {client}[ with {inboxes_per_domain} inboxes each]",
                "warm up 5 new domains for acme",
                (rf"(?:warm up|provision) {COUNT} (?:new |fresh |more )?domains? for {THE}(?:client |customer )?"
                 rf"{slot('client')}{INBOXES}",),
                provision),),
    vocabulary=("provision",),
    rewrites=((r"\bwarm-?up\b", "warm up"),),
)

WARMUP_DOMAIN = Intent(
    name="warmup_domain",
    description="warm up one domain the organization already has (DNS first), and report its progress",
    mission_type=WarmupAgent.name,
    params=WarmupAgent.Params,
    rules=(Rule("warm up domain {domain}", "warm up domain acme-growth.example",
                (rf"(?:warm up|start warming up) {THE}(?:domain )?{slot('domain', DOMAIN)}",),
                warmup),),
)



def create_pool(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"name": slots["name"]}


CREATE_POOL = Intent(
    name="create_pool",
    description="create a domain pool for a new client (nothing is bought); needed before buying domains for it",
    mission_type=CreatePoolAgent.name,
    params=CreatePoolAgent.Params,
    rules=(Rule("create pool {name}", "create pool globex",
                (rf"(?:create|add|make|new) (?:a )?(?:new )?(?:domain )?(?:pool|client)(?: for)? {THE}"
                 rf"(?:client )?{slot('name')}",),
                create_pool),),
)

INTENTS = (PROVISION_DOMAINS, WARMUP_DOMAIN, CREATE_POOL)
