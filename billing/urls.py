"""URLs of the billing app (included under /api/ by rex_project.urls)."""

from django.urls import path

from billing import api

urlpatterns = [
    path("billing/quote", api.billing_quote, name="billing-quote"),
    path("billing/purchases", api.purchase_collection, name="billing-purchases"),
    path("billing/purchases/<uuid:purchase_id>", api.purchase_detail, name="billing-purchase-detail"),
    path("billing/purchases/<uuid:purchase_id>/cancel", api.purchase_cancel, name="billing-purchase-cancel"),
    path("billing/balance", api.billing_balance, name="billing-balance"),
]
