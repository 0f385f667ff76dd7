"""Assigning domains to a campaign and giving them back: ``POST /api/domain/assign`` and ``/api/domain/release``.

Served by campaigns, which owns the campaign and ranks domains by their inboxes' capacity (both above domains);
the routes keep their names. Views are thin: validate, call ``campaigns.assignment``, serialize. Everything is
scoped to the caller's organization (``request.organization``).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.assignment import (
    NotAssignedToCampaign,
    NothingAvailable,
    OtherClientsPool,
    UnknownDomains,
    assign_to_campaign,
    release_domains,
)
from campaigns.serializers import (
    CampaignDomainsSerializer,
    DomainAssignConflictSerializer,
    DomainAssignRequestSerializer,
    DomainReleaseRequestSerializer,
    assigned_domain,
)
from domains.api import TAGS, actor_of
from domains.models import Domain
from domains.overview import domain_snapshot, today_for


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
        400: OpenApiResponse(description="Field errors (count outside 1..100, unknown pool, another client's pool than "
                                         "the campaign's, finished campaign); "
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
    except OtherClientsPool as exc:
        return Response({"pool": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
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
