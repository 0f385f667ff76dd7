"""The replies API: every inbound message of the organization, its thread, relabelling and answering it
(docs/api.md, "Replies").

Views are thin: validate with ``replies.serializers``, act through ``replies.services``, answer its dicts. Scoped
to the caller's organization: another organization's message answers 404 like a missing one, and its inboxes and
campaigns in a filter are unknown (400).
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.pagination import page_of, paginate
from replies import services
from replies.models import InboundMessage
from replies.serializers import (
    CATEGORY_CHOICES,
    RelabelRequestSerializer,
    ReplyConflictSerializer,
    ReplyCountsSerializer,
    ReplyDetailSerializer,
    ReplyFailedSerializer,
    ReplyFilterSerializer,
    ReplyRequestSerializer,
    ReplySerializer,
    SentReplySerializer,
)
from tenants.access import get_scoped_or_404

TAGS = ["replies"]
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
FIELD_ERRORS = OpenApiResponse(description="Field errors: each field maps to its messages.")
NOT_FOUND = OpenApiResponse(description="No such message in your organization.")
FILTERS = [
    OpenApiParameter("category", str, enum=[value for value, _ in CATEGORY_CHOICES],
                     description="The effective category (a person's correction over the machine's), or untriaged."),
    OpenApiParameter("inbox", str, description="The address of the inbox that received it."),
    OpenApiParameter("campaign", str, description="The slug of the campaign it answers."),
    OpenApiParameter("q", str, description="Text in the sender, the subject or the text."),
    OpenApiParameter("needs_review", bool, description="true: only what waits for a person; false: the others."),
]


def filtered(request: Request) -> QuerySet[InboundMessage]:
    """The organization's messages with the query's filters; a bad filter raises a 400 with field errors."""
    # A plain dict, not the QueryDict: DRF reads an empty form value ("?category=") as "not given", while the schema
    # says a category is one of its values.
    form = ReplyFilterSerializer(data=request.query_params.dict(), context={"organization": request.organization})
    form.is_valid(raise_exception=True)
    data = form.validated_data
    return services.filter_inbound(services.inbound_of(request.organization), category=data.get("category", ""),
                                   inbox=data.get("inbox"), campaign=data.get("campaign"), q=data.get("q", ""),
                                   needs_review=data.get("needs_review"))


def message_of(request: Request, pk: int) -> InboundMessage:
    return get_scoped_or_404(services.inbound_of(request.organization), request, pk=pk)


@extend_schema(parameters=[*FILTERS, OpenApiParameter("page", int)],
               responses={200: page_of(ReplySerializer), 400: FIELD_ERRORS},
               summary="Inbound messages, newest first", operation_id="replies_list", tags=TAGS)
@api_view(["GET"])
def reply_list(request: Request) -> Response:
    return paginate(request, filtered(request), lambda page: [services.inbound_row(m) for m in page])


@extend_schema(parameters=[p for p in FILTERS if p.name != "category"],
               responses={200: ReplyCountsSerializer, 400: FIELD_ERRORS},
               summary="The number of messages per effective category", operation_id="replies_counts", tags=TAGS,
               description="Every category with its number (zeros included) under the other filters given; "
                           "`category` is ignored, so the chips of a filtered list keep their counts.")
@api_view(["GET"])
def reply_counts(request: Request) -> Response:
    params = request.query_params.dict()
    params.pop("category", None)
    form = ReplyFilterSerializer(data=params, context={"organization": request.organization})
    form.is_valid(raise_exception=True)
    data = form.validated_data
    queryset = services.filter_inbound(services.inbound_of(request.organization), inbox=data.get("inbox"),
                                       campaign=data.get("campaign"), q=data.get("q", ""),
                                       needs_review=data.get("needs_review"))
    return Response(services.category_counts(queryset))


@extend_schema(parameters=[ID], responses={200: ReplyDetailSerializer, 404: NOT_FOUND},
               summary="One message with its thread, its triage and what REX did", operation_id="replies_retrieve",
               tags=TAGS)
@api_view(["GET"])
def reply_detail(request: Request, pk: int) -> Response:
    return Response(services.inbound_detail(message_of(request, pk)))


@extend_schema(parameters=[ID], request=RelabelRequestSerializer,
               responses={200: ReplyDetailSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               examples=[OpenApiExample("Interested after all", value={"category": "interested"}, request_only=True)],
               summary="Relabel a message (kept as a person's correction)", operation_id="replies_relabel", tags=TAGS)
@api_view(["POST"])
def reply_relabel(request: Request, pk: int) -> Response:
    message = message_of(request, pk)
    form = RelabelRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        message = services.relabel(message, form.validated_data["category"], request.user)
    except ValueError as exc:  # unreachable through the serializer's choices; kept for a 400 over a 500
        return Response({"category": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
    return Response(services.inbound_detail(message))


@extend_schema(
    parameters=[ID], request=ReplyRequestSerializer,
    responses={
        201: OpenApiResponse(SentReplySerializer, description="Sent (or, for a request_id already sent, the same "
                                                              "message again: 200)."),
        200: OpenApiResponse(SentReplySerializer, description="This request_id was already sent: nothing new went out."),
        400: OpenApiResponse(description="Field errors: an empty body, a bad request_id, or the inbox cannot send "
                                         "(`inbox`: paused, its cap reached, no postal address)."),
        404: NOT_FOUND,
        409: OpenApiResponse(ReplyConflictSerializer, description="The request_id was used for another text, or the "
                                                                  "sender is suppressed; nothing was sent."),
        502: OpenApiResponse(ReplyFailedSerializer, description="The mail server refused the reply or could not be "
                                                                "reached; `recoverable`: the same request_id may be "
                                                                "sent again."),
    },
    examples=[OpenApiExample("A reply", value={"body": "Thursday 10:00 works, talk then.",
                                               "request_id": "6f1c0a52-1c1e-4d0e-9d43-3c1f0f6b2a7e"},
                             request_only=True)],
    summary="Answer a message from the inbox that received it, threaded under it", operation_id="replies_reply",
    tags=TAGS)
@api_view(["POST"])
def reply_send(request: Request, pk: int) -> Response:
    message = message_of(request, pk)
    form = ReplyRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    again = services.already_sent(message, data["request_id"])
    try:
        outbound = services.reply(message, data["body"], request.user, request_id=data["request_id"])
    except services.ReplyRefused as exc:
        if exc.conflict:
            return Response({"detail": exc.message,
                             "message": services.outbound_row(exc.outbound) if exc.outbound else None},
                            status=status.HTTP_409_CONFLICT)
        return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)
    except services.ReplyFailed as exc:
        return Response({"detail": exc.message, "recoverable": exc.recoverable,
                         "message": services.outbound_row(exc.outbound) if exc.outbound else None},
                        status=status.HTTP_502_BAD_GATEWAY)
    return Response(services.outbound_row(outbound), status=status.HTTP_200_OK if again else status.HTTP_201_CREATED)
