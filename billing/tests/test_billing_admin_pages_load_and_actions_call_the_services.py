"""Ops' billing pages: purchases (filtered and searched, with items and ledger inline), the read-only ledger, and
every organization's balance in a constant number of queries; the purchase actions go through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import LedgerEntry, Purchase
from billing.services import purchase
from tenants.models import Organization


@pytest.fixture
def purchases(organization, declining_provider, settings):
    failed, _ = purchase(organization, idempotency_key="order-declined", domains=1, client="acme")
    settings.REX_PAYMENT_PROVIDER = "offline"
    paid, _ = purchase(organization, idempotency_key="order-paid", domains=2, client="acme")
    LedgerEntry.objects.create(organization=organization, kind=LedgerEntry.Kind.CREDIT, amount_cents=500,
                               description="goodwill")
    return {"failed": failed, "paid": paid}


@pytest.mark.parametrize("url, expected_count", [
    ("/admin/billing/purchase/?status__exact=paid", 1),
    ("/admin/billing/purchase/?q=order-declined", 1),
    ("/admin/billing/ledgerentry/?kind__exact=charge", 1),
    ("/admin/billing/billingaccount/?q=acme", 1),
], ids=["purchases-by-status", "purchases-by-key", "ledger-by-kind", "accounts-by-name"])
def test_changelists_answer_200_and_narrow(admin_client, purchases, url, expected_count):
    Organization.objects.create(name="Globex", slug="globex")

    response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == expected_count
    assert response.context["cl"].full_result_count > expected_count


def test_purchase_page_shows_items_and_ledger(admin_client, purchases):
    paid = purchases["paid"]

    response = admin_client.get(f"/admin/billing/purchase/{paid.id}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "acme-mail1.example" in content
    assert "-57.00 USD" in content


def test_balances_cost_the_same_queries_for_one_or_many_organizations(admin_client, purchases, organization):
    url = "/admin/billing/billingaccount/"
    with CaptureQueriesContext(connection) as one:
        response = admin_client.get(url)
    assert "-52.00 USD" in response.content.decode()  # one charge of 57.00, a credit of 5.00

    for n in range(5):
        other = Organization.objects.create(name=f"Tenant {n}", slug=f"tenant-{n}")
        purchase(other, idempotency_key="order-0001", domains=1, client="t")
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 6
    assert len(many.captured_queries) == len(one.captured_queries)


def test_activate_and_cancel_actions(admin_client, purchases, django_capture_on_commit_callbacks):
    paid, failed = purchases["paid"], purchases["failed"]
    url = "/admin/billing/purchase/"

    admin_client.post(url, {"action": "activate_purchases", "_selected_action": [str(paid.id)]})
    paid.refresh_from_db()
    assert paid.status == Purchase.Status.ACTIVE

    response = admin_client.post(url, {"action": "cancel_and_refund",
                                       "_selected_action": [str(paid.id), str(failed.id)]}, follow=True)
    paid.refresh_from_db()
    assert paid.status == Purchase.Status.CANCELLED
    assert LedgerEntry.objects.get(purchase=paid, kind=LedgerEntry.Kind.REFUND).amount_cents == 5700
    shown = [str(m) for m in response.context["messages"]]
    assert "1 purchase(s) cancelled and refunded." in shown
    assert any("is failed; only a paid or active purchase can be cancelled" in m for m in shown)
