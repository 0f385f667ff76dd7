"""A quote prices new domains (per year) and inboxes (per month) from the settings, names what it would buy, and is a
pure simulation: no row written, no payment provider asked."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import LedgerEntry, Purchase, PurchaseItem
from billing.services import QuoteLine, quote
from domains.models import Domain


def test_quote_prices_each_line_and_names_what_it_would_buy(organization, existing_domain, recording_provider):
    with CaptureQueriesContext(connection) as queries:
        priced = quote(organization, domains=2, inboxes_per_domain=3,
                       extra_inboxes={"ACME-mail1.example.": 2}, client="acme")

    assert priced.lines == [
        QuoteLine("domain", "Domain registration, 12 months (2 new domains for acme)", 2, 1500, 12, 3000),
        QuoteLine("inbox", "Inbox seat, 1 month (3 on each new domain)", 6, 450, 1, 2700),
        QuoteLine("inbox", "Inbox seat, 1 month (on acme-mail1.example)", 2, 450, 1, 900),
    ]
    assert priced.total_cents == 6600
    assert priced.currency == "USD"
    # acme-mail1.example exists already, so the registrar skips it; alex@ is taken on it, so sam and jordan follow.
    assert priced.domain_names == ["acme-hello1.example", "acme-team1.example"]
    assert priced.inbox_addresses == [
        "alex@acme-hello1.example", "sam@acme-hello1.example", "jordan@acme-hello1.example",
        "alex@acme-team1.example", "sam@acme-team1.example", "jordan@acme-team1.example",
        "sam@acme-mail1.example", "jordan@acme-mail1.example",
    ]

    writes = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    assert recording_provider.charges == []
    assert (Purchase.objects.count(), PurchaseItem.objects.count(), LedgerEntry.objects.count()) == (0, 0, 0)
    assert list(Domain.objects.values_list("name", flat=True)) == ["acme-mail1.example"]


def test_quote_follows_the_price_settings(organization, settings):
    settings.REX_PRICE_DOMAIN_CENTS = 1999
    settings.REX_PRICE_INBOX_CENTS = 500
    settings.REX_BILLING_CURRENCY = "EUR"
    settings.REX_INBOXES_PER_DOMAIN = 2

    priced = quote(organization, domains=1)

    assert [(line.unit_cents, line.quantity) for line in priced.lines] == [(1999, 1), (500, 2)]
    assert priced.total_cents == 2999
    assert priced.currency == "EUR"
    assert priced.client == "acme"  # no client given: the organization's own pool


@pytest.mark.parametrize("order", [{"domains": 0}, {"domains": 101}, {"domains": 1, "inboxes_per_domain": 0}])
def test_quote_refuses_what_cannot_be_bought(organization, order):
    from billing.services import PurchaseRejected

    with pytest.raises(PurchaseRejected) as refused:
        quote(organization, **order)

    assert set(refused.value.errors) <= {"domains", "inboxes_per_domain"}
    assert refused.value.errors
