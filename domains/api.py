"""The domain API: list and inspect the pool (assigning domains to campaigns is ``campaigns.api``).

Views are thin: validate, read ``domains.overview``, serialize. Everything is
scoped to the caller's organization (``request.organization``, ``tenants.access``); another organization's domains
do not exist here (404, or "unknown").
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.pagination import page_of, paginate
from domains.models import Domain, DomainState
from domains.overview import domain_snapshot, today_for
from domains.serializers import (
    DomainDetailSerializer,
    DomainFilterSerializer,
    DomainSummarySerializer,
)
from tenants.access import get_scoped_or_404, scoped

TRANSITIONS_SHOWN = 20
TAGS = ["domains"]


def domains_in(request: Request) -> QuerySet[Domain]:
    """The request's organization's domains, with what their rows read."""
    return scoped(Domain.objects.select_related("pool", "campaign"), request)


def actor_of(request: Request) -> str:
    return request.user.get_username()


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, many=True, enum=[s.value for s in DomainState],
                         description="Repeat to match several."),
        OpenApiParameter("pool", str, description="A pool's slug."),
        OpenApiParameter("campaign", str, description="A campaign's slug: its domains."),
        OpenApiParameter("page", int),
    ],
    responses={200: page_of(DomainSummarySerializer, name="Domain"),
               400: OpenApiResponse(description="Unknown state, pool or campaign.")},
    summary="List the organization's domains, by name, with today's sends",
    operation_id="domains_list",
    tags=TAGS,
)
@api_view(["GET"])
def domain_list(request: Request) -> Response:
    organization = request.organization
    query = {"state": request.query_params.getlist("state")}
    for name in ("pool", "campaign"):
        if name in request.query_params:
            query[name] = request.query_params[name]
    filters = DomainFilterSerializer(data=query, context={"organization": organization})
    filters.is_valid(raise_exception=True)
    queryset = domains_in(request)
    if filters.validated_data.get("state"):
        queryset = queryset.filter(state__in=filters.validated_data["state"])
    if "pool" in filters.validated_data:
        queryset = queryset.filter(pool=filters.validated_data["pool"])
    if "campaign" in filters.validated_data:
        queryset = queryset.filter(campaign__slug=filters.validated_data["campaign"])
    return paginate(request, queryset.order_by("name"), summary_rows)


def summary_rows(page: list[Domain]) -> list[dict]:
    """A page of domains as list rows, today's sends read once for the whole page."""
    today = today_for(page)
    return DomainSummarySerializer([domain_snapshot(domain, today[domain.pk]) for domain in page], many=True).data


@extend_schema(
    parameters=[OpenApiParameter("name", str, OpenApiParameter.PATH, description="The domain, e.g. acme-mail.com.")],
    responses={200: DomainDetailSerializer,
               404: OpenApiResponse(description="No such domain in your organization.")},
    summary="One domain: inboxes, today's sends, DNS, history",
    operation_id="domains_retrieve",
    tags=TAGS,
)
@api_view(["GET"])
def domain_detail(request: Request, name: str) -> Response:
    domain = get_scoped_or_404(domains_in(request), request, name=name.strip().lower().rstrip("."))
    today = today_for([domain])[domain.pk]
    latest_check = domain.dns_checks.order_by("-checked_at", "-id").first()
    transitions = domain.transitions.order_by("-at", "-id")[:TRANSITIONS_SHOWN]
    body = {
        **domain_snapshot(domain, today),
        "dkim_selector": domain.dkim_selector,
        "incidents": domain.incidents,
        "rest_until": domain.rest_until,
        "created_at": domain.created_at,
        "today": today.day,
        "inboxes": today.inboxes,
        "dns": latest_check and {"checked_at": latest_check.checked_at, "passed": latest_check.passed,
                                 "results": latest_check.results, "dmarc_policy": latest_check.dmarc_policy},
        "transitions": [{"from_state": t.from_state, "to_state": t.to_state, "reason": t.reason, "actor": t.actor,
                         "at": t.at} for t in transitions],
    }
    return Response(DomainDetailSerializer(body).data)
