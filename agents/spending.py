"""Spend that is asked for and capped: cost estimates, the organization's budget, reservations (docs/billing.md).

The lowest business layer owns it so that every app can use it: ``missions`` asks at intake and at approval,
``billing`` reserves, commits and releases around a charge, the LLM gateway checks token budgets before a call.
Apps whose mission types cost money tell it how much with ``register_cost_estimator`` (``domains`` for
``provision_domains``; an SMS app registers its own); an agent that declares ``uses_llm`` is priced from its
token budget and the model's price table.

Money is integer cents. A month's spend is the sum of the organization's reserved and committed
``SpendReservation`` rows of that month; every decision that adds to it holds the organization's ``SpendBudget``
row locked (``select_for_update``) until its transaction ends, so decisions that together would pass the budget are
judged one after the other and at most the budget is ever set aside.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from agents.models import SpendBudget, SpendReservation
from tenants.models import Organization


@dataclass(frozen=True)
class CostEstimate:
    """What a mission is expected to cost before it runs, and how people read it ("2 domains + 6 inboxes,
    $57.00/month")."""

    cents: int
    currency: str
    summary: str


class CostUnknown(Exception):
    """An estimator cannot price these params (a client the registrar has no names for …): field → messages."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


class BudgetExceeded(Exception):
    """Setting the money aside would pass the organization's monthly budget; ``left_cents`` is what remains."""

    def __init__(self, message: str, *, left_cents: int) -> None:
        super().__init__(message)
        self.message = message
        self.left_cents = left_cents


Estimator = Callable[[Organization, dict[str, Any]], CostEstimate | None]
_estimators: dict[str, Estimator] = {}


def register_cost_estimator(mission_type: str, estimator: Estimator) -> None:
    """``estimator(organization, cleaned_params)`` prices a mission of ``mission_type`` (None: it costs nothing).

    It must only read: it runs at intake, inside the transaction that stores the mission. Raise ``CostUnknown``
    when the params cannot be priced; intake then refuses the command with those field errors.
    """
    _estimators[mission_type] = estimator


def estimate_cost(organization: Organization, mission_type: str, params: dict[str, Any]) -> CostEstimate | None:
    """The mission's estimated cost, or None when it costs nothing (canary, start_campaign, send …)."""
    estimator = _estimators.get(mission_type)
    if estimator is not None:
        return estimator(organization, params)
    from agents import registry

    agent = registry.get(mission_type)
    if agent is not None and getattr(agent, "uses_llm", False):
        return llm_estimate(organization)
    return None


def money(cents: int, currency: str = "") -> str:
    """Cents as a person reads them: 5700 → "$57.00" (USD), "57.00 EUR" otherwise."""
    currency = currency or settings.REX_BILLING_CURRENCY
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    amount = f"{whole:,}.{fraction:02d}"
    return f"{sign}${amount}" if currency == "USD" else f"{sign}{amount} {currency}"


# --- the LLM: a price from the token budget -------------------------------------------------------------------------

def llm_tokens_per_mission(budget: SpendBudget) -> int:
    return budget.llm_tokens_per_mission or settings.REX_LLM_TOKENS_PER_MISSION


def llm_tokens_per_day(budget: SpendBudget) -> int:
    return budget.llm_tokens_per_day or settings.REX_LLM_TOKENS_PER_DAY


def llm_estimate(organization: Organization) -> CostEstimate:
    """The most one mission's LLM calls can cost: its token budget, all at the model's dearer per-token price.

    An upper bound on purpose: the gateway refuses a call that would pass the token budget, so the mission can
    never spend more than this.
    """
    from agents.llm.costs import price_of

    tokens = llm_tokens_per_mission(budget_of(organization))
    model = settings.REX_LLM_MODEL
    price = price_of(model) or {"prompt": Decimal(0), "completion": Decimal(0)}
    per_million = max(Decimal(price["prompt"]), Decimal(price["completion"]))
    cents = math.ceil(Decimal(tokens) * per_million / Decimal(1_000_000) * 100)
    return CostEstimate(cents=cents, currency="USD",
                        summary=f"up to {tokens:,} LLM tokens of {model}, {money(cents, 'USD')}")


# --- the budget ------------------------------------------------------------------------------------------------------

def _defaults() -> dict[str, Any]:
    return {"monthly_budget_cents": settings.REX_MONTHLY_BUDGET_CENTS,
            "approval_threshold_cents": settings.REX_APPROVAL_THRESHOLD_CENTS}


def budget_of(organization: Organization) -> SpendBudget:
    """The organization's budget row, created with the configured defaults on first use."""
    budget, _ = SpendBudget.objects.get_or_create(organization=organization, defaults=_defaults())
    return budget


def _locked_budget(organization: Organization) -> SpendBudget:
    """The budget row, locked until the caller's transaction ends (the one lock every spending decision takes)."""
    budget_of(organization)  # created outside the lock's query: get_or_create's own savepoint handles the race
    return SpendBudget.objects.select_for_update().get(organization=organization)


def this_month() -> date:
    return timezone.now().date().replace(day=1)


def month_spend_cents(organization: Organization, month: date | None = None) -> int:
    """Committed + reserved spend of the month (default: this one)."""
    total = SpendReservation.objects.filter(
        organization=organization, month=month or this_month(),
        status__in=(SpendReservation.Status.RESERVED, SpendReservation.Status.COMMITTED),
    ).aggregate(total=Sum("amount_cents"))["total"]
    return int(total or 0)


def budget_left_cents(organization: Organization, budget: SpendBudget | None = None) -> int | None:
    """What may still be spent this month, or None when the organization has no monthly budget."""
    budget = budget or budget_of(organization)
    if budget.monthly_budget_cents is None:
        return None
    return budget.monthly_budget_cents - month_spend_cents(organization)


@dataclass(frozen=True)
class Authorization:
    """Intake's verdict on a costed mission: reserved and free to run, or waiting for a person with ``quote``."""

    approved: bool
    quote: str
    reason: str = ""


def _quote(estimate: CostEstimate, left: int | None) -> str:
    return f"{estimate.summary}; " + (f"budget left {money(max(left, 0), estimate.currency)}" if left is not None
                                      else "no monthly budget set")


def authorize_at_intake(organization: Organization, *, key: str, estimate: CostEstimate,
                        description: str = "") -> Authorization:
    """Reserve ``estimate`` under ``key`` when it is within the approval threshold and the month's budget;
    otherwise reserve nothing and say why a person must approve it. Runs in the caller's transaction (the one
    storing the mission), whose end releases the budget lock.
    """
    with transaction.atomic():
        budget = _locked_budget(organization)
        left = budget_left_cents(organization, budget)
        quote = _quote(estimate, left)
        held = SpendReservation.objects.filter(
            organization=organization, key=key, amount_cents__gte=estimate.cents,
            status__in=(SpendReservation.Status.RESERVED, SpendReservation.Status.COMMITTED)).exists()
        if held:  # approved (or charged) before, and still set aside: a retry is not a new spend
            return Authorization(True, quote)
        if estimate.cents > budget.approval_threshold_cents:
            return Authorization(False, quote, f"{money(estimate.cents, estimate.currency)} is over the approval "
                                               f"threshold of {money(budget.approval_threshold_cents)}")
        if left is not None and estimate.cents > left:
            return Authorization(False, quote, f"{money(estimate.cents, estimate.currency)} would pass the monthly "
                                               f"budget ({money(max(left, 0))} left)")
        _reserve_locked(organization, budget, key=key, cents=estimate.cents, currency=estimate.currency,
                        kind="mission", description=description)
        return Authorization(True, quote)


def reserve(organization: Organization, *, key: str, cents: int, currency: str = "", kind: str = "purchase",
            description: str = "") -> SpendReservation:
    """Set ``cents`` aside under ``key`` if the month's budget allows it; raises ``BudgetExceeded`` otherwise.

    Idempotent per key: a key already holding at least ``cents`` (reserved or committed) is returned as it is; one
    holding less is raised to ``cents`` if the difference fits. Takes the budget lock in its own (possibly nested)
    transaction; the lock is held until the outermost transaction ends.
    """
    with transaction.atomic():
        budget = _locked_budget(organization)
        return _reserve_locked(organization, budget, key=key, cents=cents,
                               currency=currency or settings.REX_BILLING_CURRENCY, kind=kind, description=description)


def _reserve_locked(organization: Organization, budget: SpendBudget, *, key: str, cents: int, currency: str,
                    kind: str, description: str) -> SpendReservation:
    existing = SpendReservation.objects.filter(organization=organization, key=key).first()
    counted = (existing.amount_cents if existing is not None and existing.status != SpendReservation.Status.RELEASED
               and existing.month == this_month() else 0)
    if existing is not None and counted >= cents:
        return existing
    left = budget_left_cents(organization, budget)
    if left is not None and cents - counted > left:
        raise BudgetExceeded(f"{money(cents, currency)} would pass the monthly budget of "
                             f"{money(budget.monthly_budget_cents or 0)}: budget left {money(max(left, 0))}",
                             left_cents=left)
    now = timezone.now()
    if existing is None:
        return SpendReservation.objects.create(organization=organization, key=key, kind=kind, amount_cents=cents,
                                               currency=currency, month=this_month(), description=description[:300],
                                               created_at=now, updated_at=now)
    updates = {"amount_cents": cents, "month": this_month(), "updated_at": now}
    if existing.status == SpendReservation.Status.RELEASED:
        SpendReservation.moves.move(existing, SpendReservation.Status.RESERVED, updates=updates)
    else:
        SpendReservation.objects.filter(pk=existing.pk).update(**updates)
        existing.refresh_from_db()
    return existing


def commit(organization: Organization, *, key: str, cents: int, currency: str = "", kind: str = "purchase",
           description: str = "") -> None:
    """The money under ``key`` was charged: it counts as committed, at the amount really charged.

    No budget check: the money is gone whatever the budget says (``reserve`` checked before the charge).
    """
    now = timezone.now()
    existing = SpendReservation.objects.filter(organization=organization, key=key).first()
    if existing is None:
        SpendReservation.objects.create(organization=organization, key=key, kind=kind, amount_cents=cents,
                                        currency=currency or settings.REX_BILLING_CURRENCY, month=this_month(),
                                        status=SpendReservation.Status.COMMITTED, description=description[:300],
                                        created_at=now, updated_at=now)
        return
    updates = {"amount_cents": cents, "updated_at": now}
    if existing.status == SpendReservation.Status.COMMITTED:
        SpendReservation.objects.filter(pk=existing.pk).update(**updates)
    else:
        SpendReservation.moves.move(existing, SpendReservation.Status.COMMITTED, updates=updates)


def release(organization: Organization | int, *, key: str, committed_too: bool = False) -> bool:
    """Give back what ``key`` set aside: a reservation whose work ended without spending, or (``committed_too``)
    a refunded charge. False when there was nothing to release."""
    statuses = [SpendReservation.Status.RESERVED]
    if committed_too:
        statuses.append(SpendReservation.Status.COMMITTED)
    organization_id = organization if isinstance(organization, int) else organization.pk
    return bool(SpendReservation.objects.filter(organization_id=organization_id, key=key, status__in=statuses)
                .update(status=SpendReservation.Status.RELEASED, updated_at=timezone.now()))
