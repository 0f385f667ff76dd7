"""The intake and mission API. Views are thin: validate, call a service or a Mission method, serialize."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from missions.api.serializers import (
    CommandSerializer,
    MissionDetailSerializer,
    MissionFilterSerializer,
    MissionSerializer,
)
from missions.models import IllegalTransition, Mission, MissionStatus, Organization
from missions.services import CommandRejected, submit_mission

ORG_HEADER = "HTTP_X_REX_ORGANIZATION"


def organization_of(request: Request) -> Organization:
    """The caller's organization (``X-Rex-Organization: <slug>`` picks one when a user belongs to several)."""
    org = Organization.for_user(request.user, request.META.get(ORG_HEADER))
    if org is None:
        raise PermissionDenied("you are not a member of any organization (or not of the one named)")
    return org


def missions_of(request: Request):
    return Mission.objects.filter(organization=organization_of(request)).select_related(
        "organization", "requested_by"
    )


@extend_schema(
    request=CommandSerializer,
    responses={
        201: MissionDetailSerializer,
        200: OpenApiResponse(MissionDetailSerializer, description="The idempotency key was seen before: the "
                                                                   "existing mission, unchanged."),
        400: OpenApiResponse(description="Field errors; nothing was stored."),
    },
    examples=[
        OpenApiExample("Canary", value={"type": "canary", "params": {"fail_times": 2}, "priority": "high"},
                       request_only=True),
    ],
    summary="Submit a command (creates a mission)",
)
@api_view(["POST"])
def rex_command(request: Request) -> Response:
    organization = organization_of(request)
    command = CommandSerializer(data=request.data)
    command.is_valid(raise_exception=True)
    data = command.validated_data
    try:
        submission = submit_mission(
            organization,
            mission_type=data["type"],
            params=data["params"],
            priority=data["priority"],
            idempotency_key=data.get("idempotency_key"),
            requested_by=request.user,
        )
    except CommandRejected as exc:
        raise ValidationError(exc.errors) from exc
    body = MissionDetailSerializer(submission.mission).data
    return Response(body, status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK)


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, many=True, enum=[s.value for s in MissionStatus],
                         description="Repeat to match several."),
        OpenApiParameter("type", str),
        OpenApiParameter("page", int),
    ],
    responses={200: MissionSerializer(many=True)},
    summary="List the organization's missions, newest first",
)
@api_view(["GET"])
def mission_list(request: Request) -> Response:
    query = {"status": request.query_params.getlist("status")}
    if "type" in request.query_params:
        query["type"] = request.query_params["type"]
    filters = MissionFilterSerializer(data=query)
    filters.is_valid(raise_exception=True)
    queryset = missions_of(request)
    if filters.validated_data.get("status"):
        queryset = queryset.filter(status__in=filters.validated_data["status"])
    if filters.validated_data.get("type"):
        queryset = queryset.filter(type=filters.validated_data["type"])
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(queryset.order_by("-created_at"), request)
    return paginator.get_paginated_response(MissionSerializer(page, many=True).data)


@extend_schema(responses={200: MissionDetailSerializer}, summary="One mission with its timeline")
@api_view(["GET"])
def mission_detail(request: Request, mission_id) -> Response:
    mission = get_object_or_404(missions_of(request).prefetch_related("events"), pk=mission_id)
    return Response(MissionDetailSerializer(mission).data)


def _transition(request: Request, mission_id, change) -> Response:
    mission = get_object_or_404(missions_of(request), pk=mission_id)
    try:
        change(mission, request.user)
    except IllegalTransition as exc:
        return Response({"detail": str(exc), "status": mission.status}, status=status.HTTP_409_CONFLICT)
    mission.refresh_from_db()
    return Response(MissionDetailSerializer(mission).data)


@extend_schema(request=None, responses={200: MissionDetailSerializer, 409: OpenApiResponse(description="Already finished.")},
               summary="Cancel a mission that has not finished")
@api_view(["POST"])
def mission_cancel(request: Request, mission_id) -> Response:
    return _transition(request, mission_id, lambda mission, user: mission.cancel(by=user))


@extend_schema(request=None, responses={200: MissionDetailSerializer,
                                        409: OpenApiResponse(description="Not failed or cancelled.")},
               summary="Run a failed or cancelled mission again")
@api_view(["POST"])
def mission_retry(request: Request, mission_id) -> Response:
    return _transition(request, mission_id, lambda mission, user: mission.requeue(by=user))
