"""The incidents page (/incidents/, acknowledge and resolve) and the agents board (/agents/, enable or disable an
agent: staff only, audited in the admin's log). Both are kept live by static/rex/monitoring.js."""

from __future__ import annotations

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from agents.models import Agent
from live.publish import publish
from monitoring import board as board_figures
from monitoring import services
from monitoring.models import Incident, IncidentStatus
from tenants.access import get_scoped_or_404, organization_page

RECENTLY_RESOLVED = 20


@require_GET
@organization_page
def incidents_page(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    unresolved = services.unresolved_for(organization)
    resolved = list(Incident.objects.filter(organization=organization, status=IncidentStatus.RESOLVED)
                    .order_by("-resolved_at")[:RECENTLY_RESOLVED]) if organization else []
    return render(request, "monitoring/incidents.html", {
        "organization": organization, "unresolved": unresolved, "resolved": resolved})


@require_GET
@organization_page
def incidents_summary(request: HttpRequest) -> JsonResponse:
    """What the banner and the incidents page draw again after their socket (re)connects."""
    return JsonResponse({"incidents": [i.as_frame() for i in services.unresolved_for(request.organization)]})


def _incident(request: HttpRequest, pk: int) -> Incident:
    if request.organization is None:
        raise PermissionDenied("not a member of an organization")
    return get_scoped_or_404(Incident.objects.all(), request, pk=pk)


@require_POST
@organization_page
def acknowledge_incident(request: HttpRequest, pk: int) -> HttpResponse:
    services.acknowledge(_incident(request, pk), by=request.user)
    return redirect("incidents")


@require_POST
@organization_page
def resolve_incident(request: HttpRequest, pk: int) -> HttpResponse:
    services.resolve(_incident(request, pk), by=request.user, resolution=f"resolved by {request.user}")
    return redirect("incidents")


@require_GET
@organization_page
def agents_board(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    figures = board_figures.board(organization) if organization else {"agents": [], "queues": [], "workers": []}
    return render(request, "monitoring/agents.html", {"organization": organization, "board": figures})


@require_GET
@organization_page
def agents_board_data(request: HttpRequest) -> JsonResponse:
    if request.organization is None:
        raise PermissionDenied("not a member of an organization")
    return JsonResponse(board_figures.board(request.organization))


@require_POST
@organization_page
def toggle_agent(request: HttpRequest, name: str) -> HttpResponse:
    """Enable or disable an agent for everyone (staff): a disabled agent's missions are refused at intake."""
    if not request.user.is_staff:
        raise PermissionDenied("only staff enable or disable agents")
    enable = request.POST.get("enabled") == "true"
    with transaction.atomic():
        agent = get_object_or_404(Agent.objects.select_for_update(), name=name)
        if agent.enabled != enable:
            Agent.objects.filter(pk=agent.pk).update(enabled=enable)
            LogEntry.objects.log_actions(
                user_id=request.user.pk, queryset=[agent], action_flag=CHANGE,
                change_message=f"{'Enabled' if enable else 'Disabled'} on the agents board", single_object=True)
            if request.organization is not None:
                publish(request.organization.pk, services.STREAM,
                        {"type": "agent.toggled", "agent": name, "enabled": enable})
    return redirect("agents-board")
