"""The campaign agents. AssignDomainsAgent gives a campaign ready domains from the pool (``campaigns.assignment``).

OutreachSendAgent: sends a campaign's first email to every contact of a list through the campaign's inboxes.

Each (campaign, contact) pair has one idempotency key, stored with the message before the send, so a retried
or repeated mission never writes to anyone twice. Inboxes take turns (round robin over the campaign's domains'
sending inboxes); an inbox or domain at its cap for today drops out of the rotation, and contacts left over
when every inbox is full are counted as deferred — the next run (tomorrow's capacity) picks them up.
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from typing import Annotated, Any

from django.utils.text import slugify
from pydantic import Field, StringConstraints
from rest_framework import serializers

from agents.base import BaseAgent, FatalAgentError, MissionContext, RecoverableAgentError
from agents.names import Names
from agents.params import AgentParams, Name
from campaigns.assignment import NothingAvailable, assign_to_campaign
from campaigns.models import Campaign, ContactList
from domains.agents import MAX_DOMAINS_PER_MISSION, domain_summary
from domains.models import DomainPool, DomainState
from domains.names import pool_slug
from inboxes.models import CapReached, Inbox, OutboundMessage
from inboxes.sending import send_email
from inboxes.transports import TransportError

MAX_SENDS_PER_MISSION = 100_000


class SendCampaignParams(AgentParams):
    campaign: Annotated[Name, Names("campaign")] = Field(description="the campaign whose email is sent")
    list: Annotated[Name, Names("list")] = Field(description="the contact list it goes to")
    # At most this many sends in this mission (a test campaign, a careful first batch).
    limit: int | None = Field(None, ge=1, le=MAX_SENDS_PER_MISSION,
                              description="send at most this many emails in this mission")


def message_key(campaign_id: int, contact_id: int, step: str = "initial") -> str:
    """One key per campaign step and contact: the same person never gets the same email twice."""
    return "email:" + hashlib.sha256(f"{campaign_id}:{contact_id}:{step}".encode()).hexdigest()


class _Blank(defaultdict):
    def __missing__(self, key: str) -> str:
        return ""


def render(template: str, contact: Any) -> str:
    """Fill {first_name}, {last_name}, {company}, {email}; an unknown or empty field renders as nothing."""
    values = _Blank(str, first_name=contact.first_name, last_name=contact.last_name, company=contact.company,
                    email=contact.email)
    try:
        return template.format_map(values).strip()
    except (ValueError, IndexError) as exc:  # a stray "{" in the template
        raise FatalAgentError(f"the campaign template cannot be filled: {exc}") from exc


class OutreachSendAgent(BaseAgent):
    name = "send_campaign"
    version = "1.0"
    description = "Sends a campaign's email to a contact list through its assigned inboxes, within every cap."
    Params = SendCampaignParams
    # What was sent is in OutboundMessage; a re-run must look there, not at a cached result.
    reuse_results = False

    def decide(self, context: MissionContext, params: dict[str, Any]) -> dict[str, Any]:
        organization = context.mission.organization
        campaign = Campaign.objects.filter(organization=organization, slug=_slug(params["campaign"])).first()
        if campaign is None:
            raise FatalAgentError(f"no campaign {params['campaign']!r} in this organization")
        contact_list = ContactList.objects.filter(organization=organization, slug=_slug(params["list"])).first()
        if contact_list is None:
            raise FatalAgentError(f"no contact list {params['list']!r} in this organization")
        if not organization.postal_address.strip():
            raise FatalAgentError("the organization has no postal address; cold email must carry one")
        inbox_ids = list(
            Inbox.objects.filter(domain__campaign=campaign, domain__state=DomainState.IN_USE,
                                 status__in=(Inbox.Status.WARMING, Inbox.Status.ACTIVE))
            .order_by("domain__name", "address").values_list("pk", flat=True))
        if not inbox_ids:
            raise FatalAgentError(f"campaign {campaign.slug} has no sending inboxes; assign domains to it first")
        return {"campaign_id": campaign.pk, "list_id": contact_list.pk, "inbox_ids": inbox_ids,
                "limit": params.get("limit")}

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        mission = context.mission
        campaign = Campaign.objects.get(pk=plan["campaign_id"])
        inboxes = {inbox.pk: inbox for inbox in Inbox.objects.select_related("domain").filter(pk__in=plan["inbox_ids"])}
        rotation = [pk for pk in plan["inbox_ids"] if pk in inboxes]
        contacts = (campaign.organization.contacts.filter(lists__pk=plan["list_id"]).exclude(email="")
                    .order_by("pk").distinct())
        outcome: Counter[str] = Counter()
        per_inbox: Counter[str] = Counter()
        full: dict[str, str] = {}
        refused: dict[int, str] = {}
        turn = 0
        started = time.monotonic()
        for contact in contacts.iterator(chunk_size=500):
            if context.should_stop():
                raise RecoverableAgentError("stopped while sending; a re-run continues where this stopped")
            if plan.get("limit") and outcome["sent"] >= plan["limit"]:
                outcome["not_attempted"] += 1
                continue
            if not rotation:
                outcome["deferred"] += 1
                continue
            key = message_key(campaign.pk, contact.pk)
            while rotation:
                inbox = inboxes[rotation[turn % len(rotation)]]
                try:
                    message = send_email(organization=campaign.organization, inbox=inbox, to=contact.email,
                                         subject=render(campaign.subject_template, contact),
                                         body=render(campaign.body_template, contact), idempotency_key=key,
                                         campaign=campaign, contact=contact, mission=mission)
                except CapReached as exc:
                    full[inbox.address] = str(exc)
                    rotation.remove(inbox.pk)
                    continue
                except ValueError as exc:
                    # This contact cannot be written to as things stand (e.g. its address changed since the
                    # campaign's email went to the old one): count it, note why, go on with the others.
                    outcome["failed"] += 1
                    refused.setdefault(contact.pk, str(exc))
                    break
                except TransportError as exc:
                    if exc.recoverable:
                        raise RecoverableAgentError(f"sending through {inbox.address} failed: {exc}",
                                                    sent_so_far=outcome["sent"]) from exc
                    outcome["failed"] += 1
                    turn += 1
                    break
                turn += 1
                # By status first: a contact suppressed or refused in an earlier run was never written to, and
                # must not be reported as "already sent" when the campaign runs again.
                if message.status == OutboundMessage.Status.SUPPRESSED:
                    outcome["suppressed"] += 1
                elif message.status == OutboundMessage.Status.FAILED:
                    outcome["failed"] += 1
                elif message.status == OutboundMessage.Status.SENT and message.mission_id == mission.pk:
                    outcome["sent"] += 1
                    per_inbox[message.inbox.address if message.inbox_id else inbox.address] += 1
                else:  # sent by an earlier run, or handed over earlier with its outcome unknown
                    outcome["already_sent"] += 1
                break
            else:
                outcome["deferred"] += 1
        context.record_step("send", started=started, payload={"outcome": dict(outcome)})
        return {"campaign": campaign.slug, "sent": outcome["sent"], "already_sent": outcome["already_sent"],
                "suppressed": outcome["suppressed"], "failed": outcome["failed"],
                "deferred_by_caps": outcome["deferred"], "not_attempted": outcome["not_attempted"],
                "per_inbox": dict(per_inbox), "inboxes_full": full,
                "refused": {str(pk): why for pk, why in list(refused.items())[:20]}}


def _slug(name: str) -> str:
    return slugify(name)


class AssignDomainsParams(AgentParams):
    count: int = Field(ge=1, le=MAX_DOMAINS_PER_MISSION, description="how many ready domains to assign")
    campaign: Name = Field(description="the campaign they send for (created if new)")
    pool: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[-a-zA-Z0-9_]+$"),
                    Names("pool")] | None = (
        Field(None, description="the slug of the client's domain pool to take them from (default: the campaign's "
                                "client, or the organization's only pool)"))


class AssignDomainsAgent(BaseAgent):
    """Allocates ready domains (with their inboxes) from the pool to a campaign."""

    name = "assign_domains"
    version = "1.0"
    description = "Assigns N ready domains to a campaign within the pool's quota, spreading the load."
    Params = AssignDomainsParams
    reuse_results = False

    def check_at_intake(self, organization: Any, params: dict[str, Any]) -> dict[str, Any]:
        """The pool the domains come from, decided now: the one named, else the campaign's client's, else the
        organization's only one. Never another client's pool than the campaign's; with several pools and a
        campaign that has no client yet, the command must name one."""
        campaign = Campaign.objects.filter(organization=organization, slug=_slug(params["campaign"])).first()
        client_id = campaign.client_pool_id() if campaign is not None else None
        client = DomainPool.objects.get(pk=client_id) if client_id is not None else None
        if params.get("pool"):
            named = pool_slug(params["pool"])
            if client is not None and client.slug != named:
                raise serializers.ValidationError({"pool": [
                    f"Campaign '{campaign.slug}' sends for client '{client.slug}'; it cannot take domains of "
                    f"'{named}'."]})
            return {**params, "pool": named}
        if client is not None:
            return {**params, "pool": client.slug}
        pools = list(DomainPool.objects.filter(organization=organization).order_by("slug").values_list("slug", flat=True))
        if len(pools) == 1:
            return {**params, "pool": pools[0]}
        if not pools:
            raise serializers.ValidationError({"pool": ["There is no domain pool yet; create one first: "
                                                        "create pool <client>."]})
        raise serializers.ValidationError({"pool": [
            f"Name the client whose domains to take: assign {params['count']} domains to campaign "
            f"{params['campaign']} for {pools[0]} (pools: {', '.join(pools)})."]})

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        organization = context.mission.organization
        pool = None
        if plan.get("pool"):
            pool = DomainPool.objects.filter(organization=organization, slug=plan["pool"]).first()
            if pool is None:
                raise FatalAgentError(f"no domain pool {plan['pool']!r} in this organization")
        try:
            campaign, domains = assign_to_campaign(organization, campaign=plan["campaign"], count=plan["count"],
                                                   pool=pool, actor=f"agent:{self.name}")
        except NothingAvailable as exc:
            raise FatalAgentError(str(exc), available=exc.available) from exc
        except ValueError as exc:  # a finished campaign: the user's to change, not a crash of this agent
            raise FatalAgentError(str(exc)) from exc
        return {"campaign": campaign.slug, "domains": [domain_summary(domain) for domain in domains]}
