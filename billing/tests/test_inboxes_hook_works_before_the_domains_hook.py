"""The inboxes hook does not depend on the order Django calls receivers in: run first, it has the domains app add
the purchase's domains, and the domains hook running afterwards finds nothing left to do."""

from billing.models import Purchase
from billing.services import purchase
from domains.models import Domain
from domains.receivers import add_bought_domains
from inboxes.models import Inbox
from inboxes.receivers import add_bought_inboxes


def test_inboxes_hook_alone_creates_domains_and_inboxes(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # no hook runs: this test calls them itself
        bought, _ = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")
    assert bought.status == Purchase.Status.PAID
    assert not Domain.objects.exists()

    inboxes = add_bought_inboxes(bought)

    assert len(inboxes) == 6
    assert Domain.objects.filter(purchase_reference=str(bought.id)).count() == 2
    assert {inbox.domain.name for inbox in inboxes} == set(Domain.objects.values_list("name", flat=True))

    assert len(add_bought_domains(bought)) == 2
    assert len(add_bought_inboxes(bought)) == 6
    assert (Domain.objects.count(), Inbox.objects.count()) == (2, 6)


def test_hooks_create_nothing_for_a_purchase_that_is_not_paid(organization, unavailable_provider,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pending, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    assert add_bought_inboxes(pending) == []
    assert add_bought_domains(pending) == []
    assert not Domain.objects.exists()
