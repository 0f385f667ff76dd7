"""The billing API: quote, purchase (idempotent), list, detail, cancel, balance. Views validate, call
``billing.services`` and serialize; everything is scoped to the caller's organization (``X-Rex-Organization``
picks one when the user belongs to several, as in the missions API)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from billing.models import Purchase
from billing.providers import PaymentDeclined, PaymentUnavailable
from billing.serializers import (
    BalanceSerializer,
    CancelSerializer,
    OrderSerializer,
    PurchaseProblemSerializer,
    PurchaseRequestSerializer,
    PurchaseSerializer,
    QuoteSerializer,
)
from billing.services import (
    IllegalPurchaseTransition,
    PurchaseRejected,
    balance,
    cancel,
    purchase,
    quote,
)
from core.pagination import page_of, paginate
from tenants.access import get_scoped_or_404, scoped

# How long a client should wait before repeating a purchase the provider could not charge.
RETRY_AFTER_SECONDS = 30

ORDER_EXAMPLE = {"domains": 2, "inboxes_per_domain": 3, "extra_inboxes": {"acme-mail1.example": 2}, "client": "acme"}


def purchases_in(request: Request) -> QuerySet[Purchase]:
    """The request's organization's purchases, with what their serializer reads."""
    return scoped(Purchase.objects.select_related("organization", "requested_by")
                  .prefetch_related("items", "ledger_entries"), request)


def _rejected(exc: PurchaseRejected) -> ValidationError:
    return ValidationError(exc.errors)


@extend_schema(
    request=OrderSerializer,
    responses={200: QuoteSerializer,
               400: OpenApiResponse(description="Field errors (e.g. an extra inbox on a domain that is not yours).")},
    examples=[OpenApiExample("Two new domains with three inboxes each, two more inboxes on an existing one",
                             value=ORDER_EXAMPLE, request_only=True)],
    summary="Price domains and inboxes without buying anything",
    description="A simulation: nothing is stored and the payment provider is not asked. The domain names and "
                "inbox addresses are those a purchase would get now; a purchase picks them again when stored.",
)
@api_view(["POST"])
def billing_quote(request: Request) -> Response:
    organization = request.organization
    order = OrderSerializer(data=request.data)
    order.is_valid(raise_exception=True)
    try:
        priced = quote(organization, **order.to_order())
    except PurchaseRejected as exc:
        raise _rejected(exc) from exc
    return Response(QuoteSerializer(priced).data)


def _purchase_list(request: Request) -> Response:
    statuses = request.query_params.getlist("status")
    unknown = sorted(set(statuses) - set(Purchase.Status.values))
    if unknown:
        raise ValidationError({"status": [f"unknown status {', '.join(unknown)}; one of "
                                          f"{', '.join(Purchase.Status.values)}"]})
    queryset = purchases_in(request)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return paginate(request, queryset.order_by("-created_at", "id"),
                    lambda page: PurchaseSerializer(page, many=True).data)


def _purchase_create(request: Request) -> Response:
    organization = request.organization
    body = PurchaseRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        bought, created = purchase(organization, idempotency_key=body.validated_data["idempotency_key"],
                                   requested_by=request.user, **body.to_order())
    except PurchaseRejected as exc:
        raise _rejected(exc) from exc
    data = PurchaseSerializer(purchases_in(request).get(pk=bought.pk)).data
    if bought.status == Purchase.Status.FAILED:
        return Response({"detail": f"The payment provider declined the charge ({bought.error}). Nothing was "
                                   "charged; send a new idempotency_key to try again.", "purchase": data},
                        status=status.HTTP_402_PAYMENT_REQUIRED)
    if bought.status == Purchase.Status.PENDING:
        return Response({"detail": "The payment provider is unavailable; nothing was charged yet. Repeat the "
                                   "request with the same idempotency_key to complete this purchase.",
                         "purchase": data},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(
    methods=["GET"],
    parameters=[OpenApiParameter("status", str, many=True, enum=Purchase.Status.values,
                                 description="Repeat to match several."),
                OpenApiParameter("page", int)],
    responses={200: page_of(PurchaseSerializer)},
    summary="List the organization's purchases, newest first",
    operation_id="billing_purchases_list",
)
@extend_schema(
    methods=["POST"],
    request=PurchaseRequestSerializer,
    responses={
        201: OpenApiResponse(PurchaseSerializer, description="Bought and charged (status paid): the domains and "
                                                             "inboxes are in the pool, pending."),
        200: OpenApiResponse(PurchaseSerializer, description="The idempotency key was seen before: that purchase, "
                                                             "not charged again."),
        400: OpenApiResponse(description="Field errors; nothing was stored or charged."),
        402: OpenApiResponse(PurchaseProblemSerializer, description="The payment provider declined the charge; "
                                                                    "the purchase is failed, nothing was charged."),
        503: OpenApiResponse(PurchaseProblemSerializer, description="The payment provider is unavailable; the "
                                                                    "purchase is pending. Repeat with the same key."),
    },
    examples=[OpenApiExample("Buy", value={**ORDER_EXAMPLE, "idempotency_key": "order-2031-acme-1"},
                             request_only=True)],
    summary="Buy domains and inboxes (charged once per idempotency key)",
)
@api_view(["GET", "POST"])
def purchase_collection(request: Request) -> Response:
    if request.method == "POST":
        return _purchase_create(request)
    return _purchase_list(request)


@extend_schema(responses={200: PurchaseSerializer, 404: OpenApiResponse(description="Not a purchase of yours.")},
               summary="One purchase with its items and ledger entries")
@api_view(["GET"])
def purchase_detail(request: Request, purchase_id) -> Response:
    return Response(PurchaseSerializer(get_scoped_or_404(purchases_in(request), request, pk=purchase_id)).data)


@extend_schema(
    request=CancelSerializer,
    responses={
        200: OpenApiResponse(PurchaseSerializer, description="Cancelled and refunded (or already cancelled: "
                                                             "refunded once only). Domains retire, inboxes are "
                                                             "disabled."),
        400: OpenApiResponse(description="No reason given."),
        404: OpenApiResponse(description="Not a purchase of yours."),
        409: OpenApiResponse(description="Not cancellable (pending or failed: nothing was charged), or the "
                                         "provider refused the refund: the purchase is cancelled with its refund "
                                         "pending (status refunding) until ops retry it."),
        503: OpenApiResponse(description="The purchase is cancelled but the payment provider is unavailable: its "
                                         "refund is pending (status refunding). Repeat the request to ask again; "
                                         "the provider gets the same refund key, so it never refunds twice."),
    },
    summary="Cancel a paid or active purchase and refund it",
)
@api_view(["POST"])
def purchase_cancel(request: Request, purchase_id) -> Response:
    bought = get_scoped_or_404(purchases_in(request), request, pk=purchase_id)
    body = CancelSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        cancel(bought, reason=body.validated_data["reason"])
    except IllegalPurchaseTransition as exc:
        return Response({"detail": str(exc), "status": exc.status}, status=status.HTTP_409_CONFLICT)
    except PaymentDeclined as exc:
        return Response({"detail": f"the purchase is cancelled, but the payment provider refused the refund "
                                   f"({exc.reason}); the refund stays pending until ops retry it",
                         "status": bought.status}, status=status.HTTP_409_CONFLICT)
    except PaymentUnavailable:
        return Response({"detail": "the purchase is cancelled, but the payment provider is unavailable: the refund "
                                   "is pending; repeat the request later to ask for it again (never refunded twice)",
                         "status": bought.status},
                        status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    except PurchaseRejected as exc:
        raise _rejected(exc) from exc
    return Response(PurchaseSerializer(purchases_in(request).get(pk=bought.pk)).data)


@extend_schema(responses={200: BalanceSerializer}, summary="The organization's billing balance, from its ledger")
@api_view(["GET"])
def billing_balance(request: Request) -> Response:
    return Response(BalanceSerializer(balance(request.organization)).data)

