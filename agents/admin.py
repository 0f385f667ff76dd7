from django.contrib import admin
from django.http import HttpRequest

from agents.models import Agent, AgentLog


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "enabled", "runs", "successes", "failures", "success_rate_display",
                    "mean_duration_ms", "last_run_at"]
    list_filter = ["enabled"]
    list_editable = ["enabled"]
    search_fields = ["name", "description"]
    readonly_fields = ["name", "version", "description", "runs", "successes", "failures", "total_duration_ms",
                       "last_run_at", "created_at", "updated_at"]
    actions = ["enable_agents", "disable_agents"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # agents are declared in code (settings.REX_AGENTS); rows follow the registry

    @admin.display(description="success rate")
    def success_rate_display(self, obj: Agent) -> str:
        rate = obj.success_rate
        return "-" if rate is None else f"{rate:.1%}"

    @admin.display(description="mean ms")
    def mean_duration_ms(self, obj: Agent) -> str:
        return "-" if not obj.runs else f"{obj.total_duration_ms / obj.runs:.0f}"

    @admin.action(description="Enable selected agents")
    def enable_agents(self, request, queryset) -> None:
        queryset.update(enabled=True)

    @admin.action(description="Disable selected agents (intake refuses their missions)")
    def disable_agents(self, request, queryset) -> None:
        queryset.update(enabled=False)


@admin.register(AgentLog)
class AgentLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "agent", "action", "level", "mission", "attempt", "duration_ms",
                    "llm_prompt_tokens", "llm_completion_tokens", "llm_cost"]
    list_filter = ["level", "agent", "action", "organization"]
    search_fields = ["agent", "action", "mission__id"]
    date_hierarchy = "created_at"
    list_select_related = ["mission"]
    readonly_fields = [f.name for f in AgentLog._meta.fields]

    # Append-only audit trail.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
