"""The domain API: assign domains to a campaign, release them, list and inspect the pool.

Views are thin: validate, call ``domains.assignment`` or read ``domains.overview``, serialize. Everything is
scoped to the caller's organization (``request.organization``, ``tenants.access``); another organization's domains
do not exist here (404, or "unknown").
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from domains.assignment import (
    NotAssignedToCampaign,
    NothingAvailable,
    UnknownDomains,
    assign_to_campaign,
    release_domains,
)
from domains.models import Domain, DomainState
from domains.overview import domain_snapshot, today_for
from domains.serializers import (
    CampaignDomainsSerializer,
    DomainAssignConflictSerializer,
    DomainAssignRequestSerializer,
    DomainDetailSerializer,
    DomainFilterSerializer,
    DomainPageSerializer,
    DomainReleaseRequestSerializer,
    DomainSummarySerializer,
    assigned_domain,
)
from tenants.access import get_scoped_or_404, scoped

TRANSITIONS_SHOWN = 20
TAGS = ["domains"]


def domains_in(request: Request) -> QuerySet[Domain]:
    """The request's organization's domains, with what their rows read."""
    return scoped(Domain.objects.select_related("pool", "campaign"), request)


def actor_of(request: Request) -> str:
    return request.user.get_username()


def _assignment_body(campaign_slug: str, domains: list[Domain]) -> dict:
    today = today_for(domains)
    return {
        "campaign": campaign_slug,
        "domains": [assigned_domain(domain_snapshot(d, today[d.pk]),
                                    [{"address": e["address"], "status": e["status"], "today_limit": e["today_limit"]}
                                     for e in today[d.pk].inboxes])
                    for d in domains],
    }


@extend_schema(
    request=DomainAssignRequestSerializer,
    responses={
        200: OpenApiResponse(CampaignDomainsSerializer, description="Every domain asked for is now in use by the "
                                                                   "campaign."),
        400: OpenApiResponse(description="Field errors (count outside 1..100, unknown pool, finished campaign); "
                                         "nothing moved."),
        409: OpenApiResponse(DomainAssignConflictSerializer, description="Not enough ready domains, or the pool's quota of "
                                                             "domains in use would be exceeded; nothing moved. "
                                                             "`available` says how many could be had."),
    },
    examples=[
        OpenApiExample("Two domains from pool acme", value={"campaign": "spring-launch", "count": 2, "pool": "acme"},
                       request_only=True),
        OpenApiExample("Too few ready", value={"detail": "only 1 ready domain in pool acme, 2 asked", "available": 1},
                       response_only=True, status_codes=["409"]),
        OpenApiExample("Quota reached", value={"detail": "quota of 20 domains in use reached for pool acme "
                                                         "(20 in use)", "available": 0},
                       response_only=True, status_codes=["409"]),
    ],
    summary="Assign ready domains to a campaign (all or nothing)",
    operation_id="domain_assign",
    tags=TAGS,
)
@api_view(["POST"])
def domain_assign(request: Request) -> Response:
    organization = request.organization
    form = DomainAssignRequestSerializer(data=request.data, context={"organization": organization})
    form.is_valid(raise_exception=True)
    data = form.validated_data
    try:
        campaign, domains = assign_to_campaign(organization, campaign=data["campaign"], count=data["count"],
                                               pool=data.get("pool"), actor=actor_of(request))
    except NothingAvailable as exc:
        return Response({"detail": exc.reason, "available": exc.available}, status=status.HTTP_409_CONFLICT)
    except ValueError as exc:  # the campaign was finished between validation and assignment
        return Response({"campaign": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    return Response(_assignment_body(campaign.slug, domains))


@extend_schema(
    request=DomainReleaseRequestSerializer,
    responses={
        200: OpenApiResponse(CampaignDomainsSerializer, description="The released domains, ready again."),
        400: OpenApiResponse(description="Field errors: unknown campaign, or unknown domains (listed under "
                                         "`domains`); nothing moved."),
        409: OpenApiResponse(description="Some domains named are not in use by this campaign (listed under "
                                         "`domains`); nothing moved."),
    },
    examples=[
        OpenApiExample("Two domains", value={"campaign": "spring-launch", "domains": ["acme-mail.com",
                                                                                     "acme-send.com"]},
                       request_only=True),
        OpenApiExample("All of a campaign's domains", value={"campaign": "spring-launch"}, request_only=True),
    ],
    summary="Give a campaign's domains back to the pool",
    operation_id="domain_release",
    tags=TAGS,
)
@api_view(["POST"])
def domain_release(request: Request) -> Response:
    organization = request.organization
    form = DomainReleaseRequestSerializer(data=request.data, context={"organization": organization})
    form.is_valid(raise_exception=True)
    campaign = form.validated_data["campaign"]
    try:
        domains = release_domains(organization, campaign=campaign, names=form.validated_data.get("domains"),
                                  actor=actor_of(request))
    except UnknownDomains as exc:
        return Response({"domains": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    except NotAssignedToCampaign as exc:
        return Response({"detail": str(exc), "domains": exc.names}, status=status.HTTP_409_CONFLICT)
    return Response(_assignment_body(campaign.slug, domains))


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, many=True, enum=[s.value for s in DomainState],
                         description="Repeat to match several."),
        OpenApiParameter("pool", str, description="A pool's slug."),
        OpenApiParameter("campaign", str, description="A campaign's slug: its domains."),
        OpenApiParameter("page", int),
    ],
    responses={200: DomainPageSerializer, 400: OpenApiResponse(description="Unknown state, pool or campaign.")},
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
        queryset = queryset.filter(campaign=filters.validated_data["campaign"])
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset.order_by("name"), request)
    today = today_for(page)
    rows = [domain_snapshot(domain, today[domain.pk]) for domain in page]
    return paginator.get_paginated_response(DomainSummarySerializer(rows, many=True).data)


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
