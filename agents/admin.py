from contextvars import ContextVar

from django.contrib import admin
from django.http import HttpRequest

from agents import spending, stats
from agents.models import Agent, AgentLog, LLMRequest, SpendBudget, SpendReservation
from core.admin import ReadOnlyAdminMixin

# The statistics of the changelist being rendered. The ModelAdmin instance is shared by concurrent requests, so
# the per-request figures live in a context variable, not on ``self``.
_changelist_stats: ContextVar[dict[str, dict] | None] = ContextVar("agent_changelist_stats", default=None)


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    """Agents with their statistics over the last 24 hours (computed from the audit log, all organizations)."""

    list_display = ["name", "version", "enabled", "runs_24h", "success_rate_24h", "mean_ms_24h", "p95_ms_24h",
                    "llm_calls_24h", "llm_tokens_24h", "llm_cost_24h", "last_run_at"]
    list_filter = ["enabled"]
    list_editable = ["enabled"]
    search_fields = ["name", "description"]
    readonly_fields = ["name", "version", "description", "stats_24h", "stats_all_time", "created_at", "updated_at"]
    actions = ["enable_agents", "disable_agents"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # agents are declared in code (rex_agents.py modules, REX_AGENTS); rows follow the registry

    def changelist_view(self, request: HttpRequest, extra_context=None):
        # One set of aggregate queries for the whole page, not one per row.
        since = stats.window_start("24h")
        token = _changelist_stats.set({entry["name"]: entry for entry in stats.agent_stats(since=since)})
        try:
            response = super().changelist_view(request, extra_context)
            # Render while the figures are set: a TemplateResponse would otherwise render after we return.
            return response.render() if hasattr(response, "render") else response
        finally:
            _changelist_stats.reset(token)

    def _stat(self, obj: Agent, key: str):
        return (_changelist_stats.get() or {}).get(obj.name, {}).get(key)

    @admin.display(description="runs (24 h)")
    def runs_24h(self, obj: Agent) -> int:
        return self._stat(obj, "runs") or 0

    @admin.display(description="success (24 h)")
    def success_rate_24h(self, obj: Agent) -> str:
        rate = self._stat(obj, "success_rate")
        return "-" if rate is None else f"{rate:.1%}"

    @admin.display(description="mean ms")
    def mean_ms_24h(self, obj: Agent) -> str:
        value = self._stat(obj, "mean_ms")
        return "-" if value is None else f"{value:.0f}"

    @admin.display(description="p95 ms")
    def p95_ms_24h(self, obj: Agent) -> str:
        value = self._stat(obj, "p95_ms")
        return "-" if value is None else f"{value:.0f}"

    @admin.display(description="LLM calls")
    def llm_calls_24h(self, obj: Agent) -> int:
        return (self._stat(obj, "llm") or {}).get("calls", 0)

    @admin.display(description="LLM tokens")
    def llm_tokens_24h(self, obj: Agent) -> int:
        usage = self._stat(obj, "llm") or {}
        return usage.get("prompt_tokens", 0) + usage.get("completion_tokens", 0)

    @admin.display(description="LLM cost (USD)")
    def llm_cost_24h(self, obj: Agent) -> str:
        return (self._stat(obj, "llm") or {}).get("cost", "0")

    @admin.display(description="last run")
    def last_run_at(self, obj: Agent):
        return self._stat(obj, "last_run_at") or "-"

    @staticmethod
    def _format(entry: dict | None) -> str:
        if not entry or not entry["runs"]:
            return "no runs"
        rate = f"{entry['success_rate']:.1%}" if entry["success_rate"] is not None else "-"
        llm = entry["llm"]
        return (f"{entry['runs']} runs ({entry['successes']} succeeded, {entry['failures']} failed, "
                f"{entry['retries']} retried) · success rate {rate} · mean {entry['mean_ms']} ms · "
                f"p95 {entry['p95_ms']} ms · LLM {llm['calls']} calls, "
                f"{llm['prompt_tokens'] + llm['completion_tokens']} tokens, {llm['cost']} USD")

    def _entry(self, obj: Agent, window: str) -> dict | None:
        entries = stats.agent_stats(since=stats.window_start(window))
        return next((e for e in entries if e["name"] == obj.name), None)

    @admin.display(description="last 24 hours")
    def stats_24h(self, obj: Agent) -> str:
        return self._format(self._entry(obj, "24h"))

    @admin.display(description="all time")
    def stats_all_time(self, obj: Agent) -> str:
        return self._format(self._entry(obj, "all"))

    @admin.action(description="Enable selected agents")
    def enable_agents(self, request, queryset) -> None:
        queryset.update(enabled=True)

    @admin.action(description="Disable selected agents (intake refuses their missions)")
    def disable_agents(self, request, queryset) -> None:
        queryset.update(enabled=False)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records nobody edits from the admin: the append-only audit trail and the LLM requests."""


@admin.register(AgentLog)
class AgentLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "agent", "action", "level", "mission", "attempt", "duration_ms",
                    "llm_prompt_tokens", "llm_completion_tokens", "llm_cost"]
    list_filter = ["level", "agent", "action", "organization"]
    search_fields = ["agent", "action", "mission__id", "=request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["mission"]
    readonly_fields = [f.name for f in AgentLog._meta.fields]



@admin.register(LLMRequest)
class LLMRequestAdmin(ReadOnlyAdmin):
    """Asynchronous LLM calls, read-only. Shows what the model saw and said (placeholders only), never the real
    values: ``pseudonyms`` (the reversal mapping) and ``answer`` (restored) are not fields of this page."""

    list_display = ["created_at", "organization", "mission", "agent", "status", "model", "prompt_tokens",
                    "completion_tokens", "cost"]
    list_filter = ["status", "agent", "organization"]
    search_fields = ["id", "agent", "provider_response_id", "mission__id"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "mission"]
    fields = readonly_fields = ["id", "organization", "mission", "agent", "status", "provider_response_id", "model",
                                "prompt_tokens", "completion_tokens", "cost", "prompt_hash", "messages_as_sent",
                                "raw_answer", "error", "created_at", "completed_at"]



@admin.register(SpendBudget)
class SpendBudgetAdmin(admin.ModelAdmin):
    """Each organization's spend settings (docs/billing.md#budgets-and-approvals), with this month's spend."""

    # This month's spend is on the change form only: in the list it would be one query per organization.
    list_display = ["organization", "monthly_budget_cents", "approval_threshold_cents", "llm_tokens_per_mission",
                    "llm_tokens_per_day", "updated_at"]
    search_fields = ["organization__slug", "organization__name"]
    fields = ["organization", "monthly_budget_cents", "approval_threshold_cents", "llm_tokens_per_mission",
              "llm_tokens_per_day", "month_spend"]
    readonly_fields = ["month_spend"]

    @admin.display(description="Spent or reserved this month")
    def month_spend(self, budget: SpendBudget) -> str:
        if budget.organization_id is None:
            return "-"
        return spending.money(spending.month_spend_cents(budget.organization))


@admin.register(SpendReservation)
class SpendReservationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Money set aside, charged or given back, per organization and month: written by the code only."""

    list_display = ["key", "organization", "kind", "amount_cents", "status", "month", "updated_at"]
    list_filter = ["status", "kind", "month"]
    search_fields = ["key", "organization__slug"]
