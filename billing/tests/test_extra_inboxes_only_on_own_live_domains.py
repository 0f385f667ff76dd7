"""Extra inboxes can only be bought on the organization's own domains that may still send, and never past the
per-domain limit; every problem is reported at once, and nothing is stored."""

import pytest

from billing.models import Purchase
from billing.services import MAX_INBOXES_PER_DOMAIN, PurchaseRejected, purchase
from domains.models import Domain, DomainPool, DomainState


def test_foreign_unknown_retired_and_overfull_domains_are_refused(organization, existing_domain):
    from tenants.models import Organization

    globex = Organization.objects.create(name="Globex", slug="globex")
    Domain.objects.create(organization=globex, pool=DomainPool.for_client(globex, "globex"), name="globex-go1.example")
    retired = Domain.objects.create(organization=organization, pool=existing_domain.pool, name="acme-go1.example")
    retired.transition(DomainState.RETIRED, reason="test")

    with pytest.raises(PurchaseRejected) as refused:
        purchase(organization, idempotency_key="order-0001", domains=-1, extra_inboxes={
            "globex-go1.example": 1, "nowhere.example": 1, "acme-go1.example": 1,
            "acme-mail1.example": MAX_INBOXES_PER_DOMAIN})

    errors = refused.value.errors
    assert errors["domains"] == ["must be a whole number from 0 to 100"]
    assert errors["extra_inboxes"] == [
        "globex-go1.example is not a domain of your organization",
        "nowhere.example is not a domain of your organization",
        "acme-go1.example is retired: it will never send again",
        f"acme-mail1.example has 1 inbox(es) already; at most {MAX_INBOXES_PER_DOMAIN} per domain",
    ]
    assert not Purchase.objects.exists()


def test_an_idempotency_key_is_required(organization):
    with pytest.raises(PurchaseRejected) as refused:
        purchase(organization, idempotency_key="  ", domains=1)

    assert "idempotency_key" in refused.value.errors
