"""The agent registry's rows and the append-only audit log of what agents did."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from agents.pii import redact_payload
from core.bulk import insert_new_rows
from core.request_context import current_request_id
from core.statemachine import StateMachine

# What a move's ``on_transition`` receives: the state the row left and the state it reached.
TransitionHook = Callable[[str, str], Any]


class Agent(models.Model):
    """One registered agent. Code declares it; this row lets ops enable/disable it.

    Its statistics (runs, success rate, mean / p95 duration, LLM usage) are computed from the audit log by
    ``agents.stats``, not kept as counters here: a counter row bumped by every run is one row every worker
    locks at the end of every mission (docs/performance.md).
    """

    name = models.CharField(max_length=64, unique=True)
    version = models.CharField(max_length=32)
    description = models.TextField(blank=True, default="")
    enabled = models.BooleanField(default=True, help_text="A disabled agent's missions are refused at intake.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


# The audit rows of LLM calls: the ones with tokens or a cost (agents.llm.audit writes them).
LLM_USAGE = models.Q(llm_prompt_tokens__gt=0) | models.Q(llm_completion_tokens__gt=0) | models.Q(llm_cost__gt=0)


class AgentLog(models.Model):
    """Append-only: one row per agent action. Payloads are stored redacted."""

    class Level(models.TextChoices):
        DEBUG = "debug", "Debug"
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        ERROR = "error", "Error"

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="agent_logs")
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="agent_logs")
    agent = models.CharField(max_length=64, db_index=True)
    action = models.CharField(max_length=64)
    level = models.CharField(max_length=8, choices=Level.choices, default=Level.INFO)
    attempt = models.PositiveIntegerField(default=0)
    payload = models.JSONField(default=dict, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    llm_prompt_tokens = models.PositiveIntegerField(default=0)
    llm_completion_tokens = models.PositiveIntegerField(default=0)
    llm_cost = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The request (or task chain) that wrote this row: the X-Request-ID an API call was given, also on its log lines.
    request_id = models.CharField(max_length=64, blank=True, default=current_request_id, editable=False)

    class Meta:
        db_table = "agent_logs"
        ordering = ["-created_at"]
        indexes = [
            # /metrics sums LLM tokens and cost per agent at every scrape: only the rows of LLM calls, with the
            # sums' columns in the index (PostgreSQL), so it is an index-only scan of a small part of the table.
            models.Index(fields=["agent"], name="agentlog_llm_usage", condition=LLM_USAGE,
                         include=["llm_prompt_tokens", "llm_completion_tokens", "llm_cost"]),
            models.Index(fields=["mission", "created_at"], name="agentlog_mission_time"),
            # Statistics read one action of one agent over a time window (agents.stats).
            models.Index(fields=["agent", "action", "created_at"], name="agentlog_agent_action_time"),
        ]

    def __str__(self) -> str:
        return f"{self.agent}.{self.action} ({self.level})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("AgentLog rows are append-only")
        # Whoever writes the row, the payload is stored redacted.
        self.payload = redact_payload(self.payload)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("AgentLog rows are append-only")

    @classmethod
    def append_many(cls, rows: list[AgentLog]) -> None:
        """Write several new rows in one statement (an attempt's steps and outcome), redacted as ``save`` would.

        One ``COPY`` (``core.bulk.insert_new_rows``): a worker writes ~5 rows per mission, and preparing them for
        ``bulk_create`` cost more CPU than the COPY does. Their ids are not read back.
        """
        for row in rows:
            if row.pk is not None:
                raise ValueError("AgentLog rows are append-only")
            row.payload = redact_payload(row.payload)
        insert_new_rows(rows)


class LLMRequest(models.Model):
    """One asynchronous LLM call (OpenAI background response): the agent parks its mission until it is answered.

    ``pseudonyms`` maps the placeholders the LLM saw back to real personal data: it never leaves this table (not in
    the admin, the API or any log). ``messages_as_sent`` is what the provider received, placeholders only.

    Its status changes only through the methods below, each one conditional ``UPDATE`` through ``moves``: a webhook
    delivered twice, or one racing the retry that abandons the request, settles it once, and only the caller that
    won writes the audit row and resumes the mission (its ``on_transition``, in the same transaction).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        # Superseded: its mission stopped waiting for it (deadline passed, or the failure was reported to the agent).
        EXPIRED = "expired", "Expired"

    # Asked once, settled once: every state but pending is final, so a late answer has nowhere to go.
    moves = StateMachine(field="status", table={
        Status.PENDING: frozenset({Status.COMPLETED, Status.FAILED, Status.EXPIRED}),
        Status.COMPLETED: frozenset(),
        Status.FAILED: frozenset(),
        Status.EXPIRED: frozenset(),
    })

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False,
                          help_text="The correlation id the waiting mission is parked under.")
    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE, related_name="llm_requests")
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="llm_requests")
    agent = models.CharField(max_length=64)
    provider_response_id = models.CharField(max_length=128, unique=True, null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    prompt_hash = models.CharField(max_length=64, help_text="SHA-256 of the model and the pseudonymised messages.")
    messages_as_sent = models.JSONField(default=list, blank=True)
    pseudonyms = models.JSONField(default=dict, blank=True)
    raw_answer = models.TextField(blank=True, default="", help_text="The answer as the model wrote it (placeholders).")
    answer = models.TextField(blank=True, default="", help_text="The answer with real values restored.")
    model = models.CharField(max_length=100, blank=True, default="")
    prompt_tokens = models.PositiveIntegerField(default=0)
    completion_tokens = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    error = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "llm_requests"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mission", "agent", "prompt_hash"], name="llmrequest_lookup")]

    def __str__(self) -> str:
        return f"LLM request {self.id} ({self.status})"

    def mark_sent(self, provider_response_id: str) -> None:
        """The provider accepted the request under ``provider_response_id``: the id its webhook will name."""
        LLMRequest.objects.filter(pk=self.pk).update(provider_response_id=provider_response_id)
        self.provider_response_id = provider_response_id

    def complete(self, *, raw_answer: str, answer: str, model: str, prompt_tokens: int, completion_tokens: int,
                 cost: Decimal, on_transition: TransitionHook | None = None) -> bool:
        """Store the answer (as written and restored), its tokens and cost. False if already settled elsewhere."""
        return self.moves.move(self, self.Status.COMPLETED, updates={
            "raw_answer": raw_answer, "answer": answer, "model": model, "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens, "cost": cost, "completed_at": timezone.now(),
        }, on_transition=on_transition)

    def fail(self, error: dict[str, Any], *, on_transition: TransitionHook | None = None) -> bool:
        """The provider could not answer (refused, gave up, cancelled). False if already settled elsewhere."""
        return self.moves.move(self, self.Status.FAILED, updates={"error": error, "completed_at": timezone.now()},
                               on_transition=on_transition)

    def expire(self) -> bool:
        """Its mission stopped waiting and asks afresh: a late answer to this request is then ignored."""
        return self.moves.move(self, self.Status.EXPIRED, updates={"completed_at": timezone.now()})

    def mark_failure_reported(self) -> bool:
        """The failure has been raised to the agent once: its retry must ask afresh, not see the failure again.

        Not a move (the request stays failed); conditional all the same, so only a failed request is marked.
        """
        error = {**(self.error or {}), "reported": True}
        marked = LLMRequest.objects.filter(pk=self.pk, status=self.Status.FAILED).update(error=error)
        if marked:
            self.error = error
        return bool(marked)

    @property
    def failure_reported(self) -> bool:
        return bool((self.error or {}).get("reported"))


class SpendBudget(models.Model):
    """What an organization lets REX spend without asking (``agents.spending``): one row per organization.

    Its row is also the lock every spending decision of the organization takes (``select_for_update``): an
    approval, an intake that reserves, a purchase. So two decisions that together would pass the monthly budget
    are judged one after the other, each seeing the other's reservation.
    """

    organization = models.OneToOneField("tenants.Organization", on_delete=models.CASCADE,
                                        related_name="spend_budget")
    monthly_budget_cents = models.BigIntegerField(
        null=True, blank=True, help_text="Most that may be committed or reserved in a calendar month (UTC), in "
                                         "cents; empty: no monthly cap (the approval threshold still applies).")
    approval_threshold_cents = models.BigIntegerField(
        default=0, help_text="A mission whose estimate is above this (cents) waits for a person's approval; 0: "
                             "every mission that costs anything asks.")
    llm_tokens_per_mission = models.PositiveIntegerField(
        default=0, help_text="LLM tokens (prompt + completion) one mission may use; 0: the REX_LLM_TOKENS_PER_MISSION "
                             "default.")
    llm_tokens_per_day = models.PositiveIntegerField(
        default=0, help_text="LLM tokens the organization may use per UTC day; 0: the REX_LLM_TOKENS_PER_DAY default.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "spend_budgets"

    def __str__(self) -> str:
        return f"spend budget of organization {self.organization_id}"


class SpendReservation(models.Model):
    """Money set aside for, or spent by, one costed piece of work (a mission's purchase, an API purchase).

    A month's spend is the sum of its reserved and committed rows; a reservation is taken when a mission is
    approved (by a person, or by the threshold at intake), committed when the money is charged, and released when
    the charge fails, the mission ends without spending, or the purchase is refunded.
    """

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        COMMITTED = "committed", "Committed"
        RELEASED = "released", "Released"

    moves = StateMachine(field="status", table={
        Status.RESERVED: frozenset({Status.COMMITTED, Status.RELEASED}),
        Status.COMMITTED: frozenset({Status.RELEASED}),
        # A released reservation of a purchase that is charged after all (a pending charge retried) counts again.
        Status.RELEASED: frozenset({Status.RESERVED, Status.COMMITTED}),
    })

    organization = models.ForeignKey("tenants.Organization", on_delete=models.CASCADE,
                                     related_name="spend_reservations")
    # "mission:<id>" for a mission (the same key its purchase uses), a purchase's own idempotency key otherwise.
    key = models.CharField(max_length=140)
    kind = models.CharField(max_length=16, default="purchase")
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="USD")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RESERVED)
    month = models.DateField(help_text="First day of the (UTC) month the spend counts in.")
    description = models.CharField(max_length=300, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "spend_reservations"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organization", "key"], name="unique_spend_reservation_key")]
        indexes = [models.Index(fields=["organization", "month", "status"], name="spend_org_month_status")]

    def __str__(self) -> str:
        return f"{self.key}: {self.amount_cents} cents ({self.status})"
