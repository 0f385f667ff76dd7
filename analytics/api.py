"""``GET /api/analytics/``: the analytics page's figures as JSON (docs/api.md, "Analytics")."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.figures import figures
from analytics.serializers import AnalyticsSerializer, filters_from

FILTERS = [
    OpenApiParameter("start", str, description="First day (UTC), YYYY-MM-DD; default 29 days before end."),
    OpenApiParameter("end", str, description="Last day (UTC, included), YYYY-MM-DD; default today."),
    OpenApiParameter("campaign", str, description="The slug of one campaign."),
    OpenApiParameter("client", str, description="The slug of one client (its domain pool)."),
]


@extend_schema(
    parameters=FILTERS,
    responses={200: AnalyticsSerializer,
               400: OpenApiResponse(description="Field errors: a date that is not YYYY-MM-DD, start after end, a "
                                                "range over the maximum, an unknown campaign or client.")},
    summary="Sending figures per day, campaign, step, variant, domain and inbox", operation_id="analytics_retrieve",
    tags=["analytics"],
    description="Read from the daily rollup (refreshed by beat every `REX_ANALYTICS_ROLLUP_SECONDS`). Rates are "
                "against delivered messages (sent less bounced); null when nothing was delivered. No open rates.")
@api_view(["GET"])
def analytics(request: Request) -> Response:
    return Response(figures(request.organization, filters_from(request.query_params.dict(), request.organization)))
