"""The incidents banner on every page: the organization's open incidents, read only by a template that shows it
(a callable, so the admin and pages without the banner pay no query)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import HttpRequest

from monitoring.models import IncidentStatus
from monitoring.services import unresolved_for
from tenants.access import resolve_organization


def _open_incidents(request: HttpRequest) -> list[dict[str, Any]]:
    if not getattr(request.user, "is_authenticated", False):
        return []
    return [i.as_frame() for i in unresolved_for(resolve_organization(request)) if i.status == IncidentStatus.OPEN]


def incidents_banner(request: HttpRequest) -> dict[str, Any]:
    return {"open_incidents": partial(_open_incidents, request)}
