from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from agents.spending import BudgetExceeded
from core.admin import ReadOnlyAdminMixin
from missions.models import CommandDecision, IllegalTransition, Mission, MissionEvent


class MissionEventInline(admin.TabularInline):
    model = MissionEvent
    extra = 0
    can_delete = False
    fields = ["seq", "kind", "from_status", "to_status", "message", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["id", "type", "organization", "priority", "status", "attempts", "created_at", "finished_at"]
    list_filter = ["status", "priority", "type", "organization"]
    search_fields = ["id", "type", "idempotency_key", "organization__name", "requested_by__username"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    inlines = [MissionEventInline]
    actions = ["retry_missions", "cancel_missions", "approve_missions"]
    # Status is only ever changed through Mission methods (the actions below), never by editing the form.
    readonly_fields = [
        "id", "organization", "type", "priority", "params", "status", "idempotency_key", "attempts",
        "max_attempts", "estimated_cost_cents", "cost_quote", "result", "error", "parent", "requested_by",
        "created_at", "updated_at", "started_at",
        "finished_at", "dispatched_at", "dispatch_count", "next_attempt_at", "lease_token", "lease_expires_at",
        "worker",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # missions come through intake (API, dashboard, manage.py), which validates params

    @admin.action(description="Retry selected failed/cancelled missions")
    def retry_missions(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        self._apply(request, queryset, lambda m: m.requeue(by=request.user), "retried")

    @admin.action(description="Cancel selected unfinished missions")
    def cancel_missions(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        self._apply(request, queryset, lambda m: m.cancel(by=request.user), "cancelled")

    @admin.action(description="Approve the spend of selected missions awaiting approval")
    def approve_missions(self, request: HttpRequest, queryset: QuerySet[Mission]) -> None:
        # One by one, each under the budget lock: a selection the budget cannot hold in full approves what fits.
        self._apply(request, queryset.order_by("created_at"), lambda m: m.approve(by=request.user), "approved")

    def _apply(self, request: HttpRequest, queryset: QuerySet[Mission], change, verb: str) -> None:
        done, refused = 0, []
        for mission in queryset:
            try:
                change(mission)
                done += 1
            except (IllegalTransition, BudgetExceeded) as exc:
                refused.append(f"{mission.id}: {exc}")
        if done:
            self.message_user(request, f"{done} mission(s) {verb}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)


@admin.register(MissionEvent)
class MissionEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    deletable = True
    list_display = ["mission", "seq", "kind", "from_status", "to_status", "created_at"]
    list_filter = ["kind", "to_status"]
    # "=request_id": an X-Request-ID a client quotes finds its rows (core.request_context).
    search_fields = ["mission__id", "message", "=request_id"]
    readonly_fields = ["mission", "seq", "kind", "from_status", "to_status", "message", "data", "actor", "created_at",
                       "request_id"]


@admin.register(CommandDecision)
class CommandDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What users asked and how the decision engine read it; a record, so read-only."""

    deletable = True

    list_display = ["created_at", "organization", "layer", "intent", "outcome", "summary"]
    list_filter = ["layer", "outcome", "organization"]
    search_fields = ["text", "summary", "intent", "=request_id"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    readonly_fields = ["organization", "requested_by", "text", "payload", "layer", "intent", "outcome", "summary",
                       "error", "missions", "created_at", "request_id"]
