"""``/api/spend/budget``: the organization's spend settings (agents.spending), read by members, set by owners."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from agents import spending
from agents.models import SpendBudget
from missions.api.serializers import SpendBudgetSerializer
from tenants.models import Membership, Organization

EDITABLE = ("monthly_budget_cents", "approval_threshold_cents", "llm_tokens_per_mission", "llm_tokens_per_day")


def budget_view(organization: Organization, budget: SpendBudget) -> dict[str, Any]:
    return {**{name: getattr(budget, name) for name in EDITABLE}, "currency": settings.REX_BILLING_CURRENCY,
            "month_spend_cents": spending.month_spend_cents(organization),
            "budget_left_cents": spending.budget_left_cents(organization, budget)}


def may_set_budget(request: Request) -> bool:
    """An owner of the organization (or staff) sets what may be spent; every member may read it and approve."""
    return bool(request.user.is_staff) or Membership.objects.filter(
        user=request.user, organization=request.organization, role=Membership.Role.OWNER).exists()


@extend_schema(
    methods=["GET"], responses={200: SpendBudgetSerializer}, summary="The organization's budget, threshold and "
                                                                      "this month's spend")
@extend_schema(
    methods=["PUT", "PATCH"], request=SpendBudgetSerializer,
    responses={200: SpendBudgetSerializer, 400: OpenApiResponse(description="Field errors."),
               403: OpenApiResponse(description="Only an owner of the organization sets its budget.")},
    summary="Set the organization's monthly budget, approval threshold and LLM token budgets")
@api_view(["GET", "PUT", "PATCH"])
def spend_budget(request: Request) -> Response:
    organization = request.organization
    budget = spending.budget_of(organization)
    if request.method == "GET":
        return Response(SpendBudgetSerializer(budget_view(organization, budget)).data)
    if not may_set_budget(request):
        return Response({"detail": "only an owner of the organization sets its budget"},
                        status=status.HTTP_403_FORBIDDEN)
    body = SpendBudgetSerializer(data=request.data, partial=request.method == "PATCH")
    body.is_valid(raise_exception=True)
    changes = {name: body.validated_data[name] for name in EDITABLE if name in body.validated_data}
    if changes:
        SpendBudget.objects.filter(pk=budget.pk).update(**changes)
        budget.refresh_from_db()
    return Response(SpendBudgetSerializer(budget_view(organization, budget)).data)
