"""The domain agents: provisioning (buy → DNS → warmup), warming one domain, assigning domains to a campaign.

Deterministic logic only: each step calls a service that is idempotent on its own (a purchase by its key, DNS
publishing, the state machine's conditional moves), so a retried or re-run mission picks up where the last
attempt stopped and never buys, publishes or moves anything twice. DNS that has not propagated yet and an
unreachable resolver or payment provider are recoverable (the spine retries after 2, 4 and 8 s); a refused
payment or a domain that does not exist is not.
"""

from __future__ import annotations

import re
import time
from typing import Annotated, Any

from django.conf import settings
from pydantic import Field, StringConstraints, field_validator
from rest_framework import serializers

from agents.base import BaseAgent, FatalAgentError, MissionContext, RecoverableAgentError
from agents.names import Names
from agents.params import AgentParams, Name
from agents.spending import CostEstimate, CostUnknown
from billing.providers import PaymentDeclined, PaymentUnavailable
from billing.services import PurchaseRejected, activate, fulfil, purchase, quote
from core.names import normalize_domain_name
from domains.dns import DnsUnavailable
from domains.models import Domain, DomainPool, DomainState
from domains.names import pool_slug
from domains.provisioning import DnsNotReady, prepare_domain

MAX_DOMAINS_PER_MISSION = 100
DOMAIN_NAME_PATTERN = r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$"


MAX_INBOXES_PER_DOMAIN = 10


class ProvisionDomainsParams(AgentParams):
    count: int = Field(ge=1, le=MAX_DOMAINS_PER_MISSION, description="how many new domains to buy")
    client: Annotated[Name, Names("pool", "client")] = Field(
        description="the client the domains are for: an existing pool (`create pool <client>` makes one)")
    warmup: bool = Field(True, description="start warming the domains up once their DNS passes")
    inboxes_per_domain: int | None = Field(None, ge=1, le=MAX_INBOXES_PER_DOMAIN,
                                           description="inboxes on each new domain (default: REX_INBOXES_PER_DOMAIN)")


class WarmupParams(AgentParams):
    domain: Annotated[str, StringConstraints(strip_whitespace=True, max_length=253), Names("domain")] = Field(
        description="a domain of the organization's pools, e.g. mail-acme.example")

    @field_validator("domain")
    @classmethod
    def is_a_domain_name(cls, value: str) -> str:
        name = normalize_domain_name(value)
        if not re.match(DOMAIN_NAME_PATTERN, name):
            raise ValueError(f"{value!r} is not a domain name (e.g. mail-acme.example)")
        return name


def prepare_or_retry(context: MissionContext, domain: Domain, *, warmup: bool, actor: str) -> dict[str, Any]:
    """``prepare_domain`` inside a mission: DNS not passed yet is worth a retry (2, 4, 8 s) while attempts remain;
    on the last attempt the domain stays in dns_pending for the beat job that rechecks DNS, and the mission
    reports it instead of failing (real DNS can take hours to propagate)."""
    last_attempt = context.attempt >= context.mission.max_attempts
    try:
        prepare_domain(domain, warmup=warmup, actor=actor)
    except DnsUnavailable as exc:
        if not last_attempt:
            raise RecoverableAgentError(f"DNS resolver unreachable while checking {domain.name}: {exc}",
                                        resolver_unreachable=True) from exc
        domain.refresh_from_db()
        return {**domain_summary(domain), "dns_waiting": f"resolver unreachable: {exc}; rechecked by beat"}
    except DnsNotReady as exc:
        if not last_attempt:
            raise RecoverableAgentError(str(exc), failed=exc.failed) from exc
        domain.refresh_from_db()
        return {**domain_summary(domain), "dns_waiting": f"{exc}; rechecked every "
                                                         f"{settings.REX_DNS_RECHECK_SECONDS // 60} min by beat"}
    return domain_summary(domain)


def refused_order(exc: Any) -> FatalAgentError:
    """Billing's refusal of an order (``PurchaseRejected``) as the mission's error: a retry would be refused too."""
    reasons = "; ".join(f"{field}: {' '.join(map(str, messages if isinstance(messages, list) else [messages]))}"
                        for field, messages in exc.errors.items())
    return FatalAgentError(f"billing refused the order: {reasons}", errors=exc.errors)


def domain_summary(domain: Domain) -> dict[str, Any]:
    inboxes = list(domain.inboxes.order_by("address"))
    return {
        "name": domain.name,
        "state": domain.state,
        "dns_ok": domain.dns_ok,
        "inboxes": [{"address": inbox.address, "status": inbox.status, "today_limit": inbox.current_limit(),
                     "warmup_day": inbox.warmup_day} for inbox in inboxes],
    }


def estimate_provisioning(organization: Any, params: dict[str, Any]) -> CostEstimate:
    """A provisioning mission costs what billing would quote for its order now (registered in rex_agents)."""
    per_domain = params.get("inboxes_per_domain") or settings.REX_INBOXES_PER_DOMAIN
    try:
        priced = quote(organization, domains=params["count"], inboxes_per_domain=per_domain, client=params["client"])
    except PurchaseRejected as exc:
        raise CostUnknown(exc.errors) from exc
    return CostEstimate(cents=priced.total_cents, currency=priced.currency, summary=priced.summary)


class DomainProvisioningAgent(BaseAgent):
    """Buys new domains (with their inboxes) for a client, publishes and checks their DNS and starts warmup."""

    name = "provision_domains"
    version = "1.0"
    description = "Buys N domains with inboxes for a client's pool, sets up and checks DNS, starts warmup."
    Params = ProvisionDomainsParams

    def decide(self, context: MissionContext, params: dict[str, Any]) -> dict[str, Any]:
        per_domain = params.get("inboxes_per_domain") or settings.REX_INBOXES_PER_DOMAIN
        try:
            priced = quote(context.mission.organization, domains=params["count"], inboxes_per_domain=per_domain,
                           client=params["client"])
        except PurchaseRejected as exc:
            raise refused_order(exc) from exc
        # The purchase key is the mission's: every attempt of this mission is the same purchase.
        return {**params, "inboxes_per_domain": per_domain, "purchase_key": f"mission:{context.mission.pk}",
                "quoted_cents": priced.total_cents, "currency": priced.currency}

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        mission = context.mission
        started = time.monotonic()
        try:
            bought, created = purchase(
                mission.organization, idempotency_key=plan["purchase_key"], domains=plan["count"],
                inboxes_per_domain=plan["inboxes_per_domain"], extra_inboxes=None, client=plan["client"],
                requested_by=mission.requested_by, mission=mission)
        except PaymentUnavailable as exc:
            raise RecoverableAgentError(f"payment provider unavailable: {exc}") from exc
        except PaymentDeclined as exc:
            raise FatalAgentError(f"payment declined: {exc}") from exc
        except PurchaseRejected as exc:  # e.g. the registrar has no names left for this client
            raise refused_order(exc) from exc
        if bought.status == bought.Status.FAILED:
            raise FatalAgentError(f"purchase {bought.id} failed: {bought.error}")
        if bought.status == bought.Status.PENDING:
            raise RecoverableAgentError(f"purchase {bought.id} is not paid yet")
        context.record_step("purchase", started=started, payload={
            "purchase": str(bought.id), "created": created, "total_cents": bought.total_cents})

        names = list(bought.items.filter(kind="domain").values_list("name", flat=True))
        domains = list(Domain.objects.filter(organization=mission.organization, name__in=names).order_by("name"))
        if len(domains) != len(names):
            # A receiver failed after the charge (logged by billing): announce the purchase again, outside any
            # transaction so the receivers run now, and look again.
            fulfil(bought)
            domains = list(Domain.objects.filter(organization=mission.organization, name__in=names).order_by("name"))
        if len(domains) != len(names):
            raise RecoverableAgentError("the purchase's domains are not in the pool yet",
                                        missing=sorted(set(names) - {d.name for d in domains}))
        actor = f"agent:{self.name}"
        summaries = []
        not_ready: list[RecoverableAgentError] = []
        # Every domain is taken as far as it goes before a retry is asked for, so that all of them are published
        # (and propagating) from the first attempt, not one more per attempt.
        for domain in domains:
            if context.should_stop():
                raise RecoverableAgentError("stopped before every domain was prepared")
            started = time.monotonic()
            try:
                summaries.append(prepare_or_retry(context, domain, warmup=plan["warmup"], actor=actor))
            except RecoverableAgentError as exc:
                if exc.details.get("resolver_unreachable"):
                    raise  # every other domain would wait for the same silent resolver
                not_ready.append(exc)
                context.record_step("prepare_domain", started=started, level="warning",
                                    payload={"domain": domain.name, "error": exc.message})
                continue
            context.record_step("prepare_domain", started=started, payload={"domain": domain.name,
                                                                            "state": summaries[-1]["state"]})
        if not_ready:
            first = not_ready[0]
            raise RecoverableAgentError(
                first.message if len(not_ready) == 1 else f"{len(not_ready)} domains not ready yet; {first.message}",
                **first.details)
        bought.refresh_from_db()
        if bought.status == bought.Status.PAID:
            activate(bought)
        return {"purchase": str(bought.id), "total_cents": bought.total_cents, "currency": bought.currency,
                "client": plan["client"], "domains": summaries}


class WarmupAgent(BaseAgent):
    """Brings one domain into warmup (DNS first) and reports its inboxes' progress."""

    name = "warmup"
    version = "1.0"
    description = "Publishes and checks a domain's DNS if needed, starts its warmup, reports warmup progress."
    Params = WarmupParams
    # Progress changes by the day: a report from an hour ago is not this one.
    reuse_results = False

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        domain = Domain.objects.filter(organization=context.mission.organization, name=plan["domain"]).first()
        if domain is None:
            raise FatalAgentError(f"no domain {plan['domain']} in this organization's pools")
        if domain.state in (DomainState.BURNED, DomainState.RETIRED):
            raise FatalAgentError(f"domain {domain.name} is {domain.state}; it will not be warmed again")
        summary = prepare_or_retry(context, domain, warmup=True, actor=f"agent:{self.name}")
        limits = [inbox["today_limit"] for inbox in summary["inboxes"]]
        summary["today_capacity"] = sum(limits)
        return summary


class CreatePoolParams(AgentParams):
    name: Name = Field(description="the client the pool is for, e.g. globex")


class CreatePoolAgent(BaseAgent):
    """Creates a client's domain pool: the one way a pool comes to exist from a command, so that a client named
    by mistake in "warm up 2 new domains for globex" is refused at intake instead of being created and billed."""

    name = "create_pool"
    version = "1.0"
    description = "Creates a domain pool for a client (nothing is bought)."
    Params = CreatePoolParams

    def check_at_intake(self, organization: Any, params: dict[str, Any]) -> dict[str, Any]:
        slug = pool_slug(params["name"])
        if not slug:
            raise serializers.ValidationError({"name": ["A pool name needs a letter or a digit."]})
        if DomainPool.objects.filter(organization=organization, slug=slug).exists():
            raise serializers.ValidationError({"name": [f"The pool '{slug}' exists already."]})
        return params

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        pool = DomainPool.for_client(context.mission.organization, plan["name"])
        return {"pool": pool.slug, "name": pool.name, "quota": pool.quota}
