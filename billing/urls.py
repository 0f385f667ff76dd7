"""URLs of the billing app: the billing API (under /api/)."""

from django.urls import path

from billing import api

urlpatterns = [
    path("api/billing/quote", api.billing_quote, name="billing-quote"),
    path("api/billing/purchases", api.purchase_collection, name="billing-purchases"),
    path("api/billing/purchases/<uuid:purchase_id>", api.purchase_detail, name="billing-purchase-detail"),
    path("api/billing/purchases/<uuid:purchase_id>/cancel", api.purchase_cancel, name="billing-purchase-cancel"),
    path("api/billing/balance", api.billing_balance, name="billing-balance"),
]
