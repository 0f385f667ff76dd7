"""Server-rendered pages: the dashboard."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agents import registry
from missions.decision import EXAMPLE_COMMANDS, layer_share
from missions.events import mission_snapshot
from missions.models import Mission, Priority
from missions.panels import panels_for
from tenants.access import organization_page

DASHBOARD_RECENT = 50
# The period of the "decisions per layer" figure on the dashboard.
DECISION_SHARE_WINDOW = timedelta(hours=24)


@organization_page
def dashboard(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    missions = (
        list(Mission.objects.filter(organization=organization).order_by("-created_at")[:DASHBOARD_RECENT])
        if organization else []
    )
    return render(request, "missions/dashboard.html", {
        "organization": organization,
        "missions": missions,
        "initial_missions": [mission_snapshot(m) for m in missions],
        "mission_types": registry.names(),
        "priorities": Priority.choices,
        "example_commands": EXAMPLE_COMMANDS,
        "decision_share": layer_share(organization, since=timezone.now() - DECISION_SHARE_WINDOW) if organization else None,
        "panels": panels_for(organization) if organization else [],
    })
