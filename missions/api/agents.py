"""``GET /api/agents/status``: every agent with its statistics, the LLM's availability, and the decision layers.

Served by missions, not agents: it reports the decision engine too, which sits above the agents.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from agents import llm, stats
from missions.decision import layer_share


@extend_schema(
    parameters=[OpenApiParameter("window", str, enum=list(stats.WINDOWS), default=stats.DEFAULT_WINDOW,
                                 description="The period the figures cover.")],
    responses={200: inline_serializer("AgentStatus", {
        "window": serializers.CharField(),
        "agents": serializers.ListField(child=serializers.DictField()),
        "decisions": serializers.DictField(),
        "llm": serializers.DictField(),
    })},
    summary="Agents with their run statistics and LLM usage; share of decisions per layer",
)
@api_view(["GET"])
def agents_status(request: Request) -> Response:
    organization = request.organization
    window = request.query_params.get("window", stats.DEFAULT_WINDOW)
    if window not in stats.WINDOWS:
        raise ValidationError({"window": [f"one of {', '.join(stats.WINDOWS)}"]})
    since = stats.window_start(window)
    return Response({
        "window": window,
        "agents": stats.agent_stats(since=since, organization_id=organization.pk),
        "decisions": layer_share(organization, since=since or datetime(1970, 1, 1, tzinfo=UTC)),
        "llm": {"available": llm.is_available(), "model": settings.REX_LLM_MODEL},
    })
