"""The intake and mission API. Views are thin: validate, call a service or a Mission method, serialize."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes, throttle_classes
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from agents.spending import BudgetExceeded
from core.pagination import page_of, paginate
from missions.api.parsers import CommandJSONParser
from missions.api.serializers import (
    MAX_COMMANDS_PER_BATCH,
    CommandAnswerSerializer,
    CommandBatchResponseSerializer,
    CommandBatchSerializer,
    CommandResponseSerializer,
    CommandSerializer,
    MissionDetailSerializer,
    MissionFilterSerializer,
    MissionSerializer,
    MissionStatusesSerializer,
    MissionStatusQuerySerializer,
    RejectSerializer,
    detail_of_new_mission,
)
from missions.api.throttling import PerCommandUserRateThrottle
from missions.api.waiting import MAX_WAIT_SECONDS, all_final, statuses_of, statuses_response_when_final
from missions.decision import do_command, do_commands, refuse_unstorable
from missions.models import IllegalTransition, Mission, MissionStatus
from missions.services import CommandRejected
from tenants.access import get_scoped_or_404, scoped


def missions_in(request: Request) -> QuerySet[Mission]:
    """The request's organization's missions (``tenants.access.scoped``)."""
    return scoped(Mission.objects.select_related("organization", "requested_by"), request)


def with_idempotency_header(request: Request) -> object:
    """The request's data with the ``Idempotency-Key`` header as its ``idempotency_key`` (the field's checks apply
    to it); a header and a field that disagree are refused rather than one silently winning."""
    header = request.headers.get("Idempotency-Key")
    data = request.data
    if header is None or not isinstance(data, dict):
        return data
    if "idempotency_key" in data and data["idempotency_key"] != header:
        raise ValidationError({"idempotency_key": ["differs from the Idempotency-Key header; give one key"]})
    return {**data, "idempotency_key": header}


@extend_schema(
    request=CommandSerializer,
    responses={
        201: OpenApiResponse(CommandResponseSerializer, description="The command created at least one mission: "
                                                                    "the first at top level, all of them in "
                                                                    "`missions`, and how it was decided."),
        200: OpenApiResponse(
            PolymorphicProxySerializer(component_name="CommandOk", serializers=[CommandResponseSerializer,
                                                                                CommandAnswerSerializer],
                                       resource_type_field_name=None),
            description="Every mission already existed (the idempotency key was seen before: the existing "
                        "mission, unchanged), or a query answered without a mission (`decision` + `answer`).",
        ),
        400: OpenApiResponse(description="Field errors; nothing was run. A free-text command REX cannot carry out "
                                         "is refused under `command`, with \"did you mean …?\" for a near miss."),
    },
    parameters=[
        OpenApiParameter("Idempotency-Key", str, location=OpenApiParameter.HEADER, required=False,
                         pattern=r"^[A-Za-z0-9._:\-]{8,128}$",
                         description="The client's idempotency key, as the `idempotency_key` field (with `type` "
                                     "only; both at once must be equal). Dedupes forever; without one an identical "
                                     "command dedupes only within the dedupe window."),
    ],
    examples=[
        OpenApiExample("Canary", value={"type": "canary", "params": {"fail_times": 2}, "priority": "high"},
                       request_only=True),
        OpenApiExample("Free text", value={"command": "warm up 5 new domains for acme"}, request_only=True),
        OpenApiExample("Status query", value={"command": "status of mission 41f0f018"}, request_only=True),
        OpenApiExample("Question", value={"command": "show bounce rate for acme"}, request_only=True),
        OpenApiExample("A number", value={
            "decision": {"layer": "rules", "intent": "rates", "summary": "show bounce rate for acme → rates",
                         "outcome": "answered"},
            "answer": {"kind": "number", "title": "Bounce rate · last 30 days · client acme", "value": 2.5,
                       "unit": "%", "detail": "12 of 480 sent",
                       "text": "Bounce rate · last 30 days · client acme: 2.5 % (12 of 480 sent)"}},
            response_only=True, status_codes=["200"]),
        OpenApiExample("A table", value={
            "decision": {"layer": "rules", "intent": "sends_count",
                         "summary": "how many emails did we send today per campaign → sends count",
                         "outcome": "answered"},
            "answer": {"kind": "table", "title": "Emails sent today per campaign", "columns": ["campaign", "sent"],
                       "rows": [["spring-launch", 48], ["cfo-uk", 12]], "detail": "",
                       "text": "Emails sent today per campaign: spring-launch, 48; cfo-uk, 12"}},
            response_only=True, status_codes=["200"]),
        OpenApiExample("Near miss", value={"command": ["REX does not know 'wram up 5 domains for acme'; did you mean "
                                                       "'warm up 5 new domains for acme'?"]},
                       response_only=True, status_codes=["400"]),
    ],
    summary="Submit a command, structured or in free text (creates missions, or answers a query)",
)
@api_view(["POST"])
@parser_classes([CommandJSONParser])
def rex_command(request: Request) -> Response:
    try:
        refuse_unstorable(request.data, organization=request.organization, user=request.user)
    except CommandRejected as exc:
        raise ValidationError(exc.errors) from exc
    command = CommandSerializer(data=with_idempotency_header(request))
    command.is_valid(raise_exception=True)
    try:
        result = do_command(command.validated_data, organization=request.organization, user=request.user)
    except CommandRejected as exc:
        raise ValidationError(exc.errors) from exc
    decision = {"layer": result.decision.layer, "intent": result.decision.intent,
                "summary": result.decision.summary, "outcome": result.record.outcome}
    if result.decision.answer is not None:
        return Response({"decision": decision, "answer": result.decision.answer}, status=status.HTTP_200_OK)
    first = result.submissions[0]
    body = {
        **(detail_of_new_mission(first.mission, first.first_event) if first.first_event is not None
           else MissionDetailSerializer(first.mission).data),
        "decision": decision,
        "missions": [{**MissionSerializer(s.mission).data, "created": s.created} for s in result.submissions],
    }
    return Response(body, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


@extend_schema(
    request=CommandBatchSerializer,
    responses={
        201: OpenApiResponse(CommandBatchResponseSerializer, description="At least one item created a mission: "
                                                                         "each item's mission, in request order."),
        200: OpenApiResponse(CommandBatchResponseSerializer, description="Every item was a duplicate: the existing "
                                                                         "missions, unchanged, in request order."),
        400: OpenApiResponse(description="Nothing was created. Errors keyed by the refused items' indexes and "
                                         "fields: `{\"commands\": {\"3\": {\"params\": {\"tag\": [\"…\"]}}}}`; "
                                         "or under `commands` itself (empty, over 100 items, not a list)."),
    },
    examples=[
        OpenApiExample("Two canaries", request_only=True, value={"commands": [
            {"type": "canary", "params": {"tag": "a"}, "idempotency_key": "order-1042-a"},
            {"type": "canary", "params": {"tag": "b"}, "priority": "high"}]}),
        OpenApiExample("Item 1 refused", response_only=True, status_codes=["400"], value={
            "commands": {"1": {"params": {"sleep_ms": ["Input should be less than or equal to 600000"]}}}}),
    ],
    summary=f"Submit 1 to {MAX_COMMANDS_PER_BATCH} structured commands at once, all or none",
)
@api_view(["POST"])
@parser_classes([CommandJSONParser])
@throttle_classes([AnonRateThrottle, PerCommandUserRateThrottle])
def rex_commands(request: Request) -> Response:
    try:
        refuse_unstorable(request.data, organization=request.organization, user=request.user)
    except CommandRejected as exc:
        raise ValidationError(exc.errors) from exc
    if "Idempotency-Key" in request.headers:
        # Silently ignored, a client would believe its retry safe; a batch's keys are its items'.
        raise ValidationError({"idempotency_key": ["a batch takes no Idempotency-Key header: give each command "
                                                   "its own idempotency_key"]})
    batch = CommandBatchSerializer(data=request.data)
    batch.is_valid(raise_exception=True)
    try:
        result = do_commands(batch.validated_data["commands"], organization=request.organization, user=request.user)
    except CommandRejected as exc:
        raise ValidationError(exc.errors) from exc
    missions = [{"id": s.mission.id, "type": s.mission.type, "status": s.mission.status,
                 "idempotency_key": s.mission.idempotency_key, "created": s.created} for s in result.submissions]
    return Response({"missions": missions}, status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK)


@extend_schema(
    parameters=[
        OpenApiParameter("ids", str, required=True,
                         description=f"Comma-separated mission ids (UUIDs), 1 to {MAX_COMMANDS_PER_BATCH}."),
        OpenApiParameter("wait", float, required=False, default=0,
                         description=f"Seconds, 0 to {MAX_WAIT_SECONDS} (default 0: answer at once). Hold the answer "
                                     "until every mission found is final (succeeded, failed or cancelled; "
                                     "`awaiting_approval` is not), at most this long; then answer the same body "
                                     "with where the missions stand. Replaces polling: one request per batch."),
    ],
    responses={200: MissionStatusesSerializer,
               400: OpenApiResponse(description="`ids` missing, empty, over the limit, or not UUIDs; `wait` not a "
                                                f"number of seconds from 0 to {MAX_WAIT_SECONDS}.")},
    summary="Where several missions stand, in one call, optionally once they are all final (for following a batch)",
)
@api_view(["GET"])
def mission_statuses(request: Request) -> Response | StreamingHttpResponse:
    params = request.query_params
    query = MissionStatusQuerySerializer(data={name: params[name] for name in ("ids", "wait") if name in params})
    query.is_valid(raise_exception=True)
    ids, wait = query.validated_data["ids"], query.validated_data["wait"]
    statuses = statuses_of(request.organization, ids)
    if wait and not all_final(statuses):
        return statuses_response_when_final(statuses, request.organization, ids, wait)
    return Response(statuses)


@extend_schema(
    parameters=[
        OpenApiParameter("status", str, many=True, enum=[s.value for s in MissionStatus],
                         description="Repeat to match several."),
        OpenApiParameter("type", str),
        OpenApiParameter("page", int),
    ],
    responses={200: page_of(MissionSerializer)},
    summary="List the organization's missions, newest first",
    operation_id="missions_list",
)
@api_view(["GET"])
def mission_list(request: Request) -> Response:
    query = {"status": request.query_params.getlist("status")}
    if "type" in request.query_params:
        query["type"] = request.query_params["type"]
    filters = MissionFilterSerializer(data=query)
    filters.is_valid(raise_exception=True)
    queryset = missions_in(request)
    if filters.validated_data.get("status"):
        queryset = queryset.filter(status__in=filters.validated_data["status"])
    if filters.validated_data.get("type"):
        queryset = queryset.filter(type=filters.validated_data["type"])
    return paginate(request, queryset.order_by("-created_at"), lambda page: MissionSerializer(page, many=True).data)


@extend_schema(responses={200: MissionDetailSerializer}, summary="One mission with its timeline")
@api_view(["GET"])
def mission_detail(request: Request, mission_id) -> Response:
    # One query for the mission with its organization and requester (the serializer's slugs), one for the events.
    mission = get_scoped_or_404(Mission.objects.select_related("organization", "requested_by")
                                .prefetch_related("events"), request, pk=mission_id)
    return Response(MissionDetailSerializer(mission).data)


def _transition(request: Request, mission_id, change, mission: Mission | None = None) -> Response:
    mission = mission or get_scoped_or_404(Mission.objects.all(), request, pk=mission_id)
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


@extend_schema(
    request=None,
    responses={200: MissionDetailSerializer,
               409: OpenApiResponse(description="Not awaiting approval, or the monthly budget no longer allows the "
                                                "spend (`detail` says what is left; the refusal is on the timeline).")},
    summary="Approve the spend of a mission awaiting approval (reserves its estimate and queues it)",
)
@api_view(["POST"])
def mission_approve(request: Request, mission_id) -> Response:
    mission = get_scoped_or_404(Mission.objects.select_related("organization"), request, pk=mission_id)
    try:
        mission.approve(by=request.user)
    except IllegalTransition as exc:
        return Response({"detail": str(exc), "status": mission.status}, status=status.HTTP_409_CONFLICT)
    except BudgetExceeded as exc:
        return Response({"detail": exc.message, "status": mission.status, "budget_left_cents": exc.left_cents},
                        status=status.HTTP_409_CONFLICT)
    mission.refresh_from_db()
    return Response(MissionDetailSerializer(mission).data)


@extend_schema(
    request=RejectSerializer,
    responses={200: MissionDetailSerializer, 400: OpenApiResponse(description="No reason given."),
               409: OpenApiResponse(description="Not awaiting approval.")},
    summary="Reject the spend of a mission awaiting approval (cancelled with the reason; nothing is bought)",
)
@api_view(["POST"])
def mission_reject(request: Request, mission_id) -> Response:
    mission = get_scoped_or_404(Mission.objects.all(), request, pk=mission_id)
    body = RejectSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return _transition(request, mission_id,
                       lambda found, user: found.reject(by=user, reason=body.validated_data["reason"]),
                       mission=mission)
