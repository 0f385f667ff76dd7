"""A paid purchase fills the client's pool: each bought domain becomes a pending domain pointing back at the
purchase, and each bought inbox a pending SMTP inbox on it whose generated password is stored only encrypted."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.services import purchase
from domains.models import Domain, DomainPool, DomainState
from inboxes.models import Inbox

pytestmark = pytest.mark.django_db(transaction=True)  # the hooks run after a real commit


def test_paid_purchase_adds_pending_domains_and_inboxes(organization):
    bought, created = purchase(organization, idempotency_key="order-0001", domains=2, inboxes_per_domain=3,
                               client="Acme Corp")

    assert created
    assert bought.status == Purchase.Status.PAID
    assert bought.paid_at is not None
    assert bought.provider == "offline"
    assert bought.provider_reference == f"offline-{bought.id}"
    assert bought.total_cents == 2 * 1500 + 6 * 450
    charge = LedgerEntry.objects.get(purchase=bought)
    assert (charge.kind, charge.amount_cents, charge.currency) == ("charge", -5700, "USD")

    pool = DomainPool.objects.get(organization=organization, slug="acme-corp")
    domains = list(Domain.objects.order_by("name"))
    assert [d.name for d in domains] == ["acme-corp-hello1.example", "acme-corp-mail1.example"]
    assert {(d.pool_id, d.state, d.purchase_reference) for d in domains} == {
        (pool.id, DomainState.PENDING, str(bought.id))}

    inboxes = list(Inbox.objects.select_related("domain").order_by("address"))
    assert len(inboxes) == 6
    for inbox in inboxes:
        assert inbox.organization_id == organization.id
        assert inbox.status == Inbox.Status.PENDING
        assert inbox.provider == Inbox.Provider.SMTP
        assert inbox.smtp_host == f"smtp.{inbox.domain.name}"
        assert inbox.imap_host == f"imap.{inbox.domain.name}"
        assert inbox.smtp_username == inbox.imap_username == inbox.address
        assert len(inbox.password) >= 24
        assert inbox.password not in inbox.password_encrypted
    assert len({inbox.password for inbox in inboxes}) == 6


def test_extra_inboxes_land_on_the_existing_domain(organization, existing_domain):
    bought, _ = purchase(organization, idempotency_key="order-0002", extra_inboxes={"acme-mail1.example": 2})

    assert bought.status == Purchase.Status.PAID
    assert bought.total_cents == 900
    assert sorted(existing_domain.inboxes.values_list("address", flat=True)) == [
        "alex@acme-mail1.example", "jordan@acme-mail1.example", "sam@acme-mail1.example"]
    assert Domain.objects.count() == 1
