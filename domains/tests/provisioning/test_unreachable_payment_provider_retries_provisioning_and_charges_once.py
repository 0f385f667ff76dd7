"""A payment provider that cannot be reached leaves the purchase pending and the provision_domains mission
retrying; the next attempt charges that same purchase once and carries on to the domains."""

from collections.abc import Iterator

import pytest

from billing.models import LedgerEntry, Purchase
from billing.tests.providers import RecordingProvider
from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.models import Domain, DomainState
from domains.tests.agent_mission_helpers import run_attempt, submit
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider_calls() -> Iterator[list[str]]:
    RecordingProvider.reset()
    yield RecordingProvider.charges
    RecordingProvider.reset()


def test_unreachable_provider_retries_and_the_next_attempt_charges_the_same_purchase_once(acme_pool, organization, settings,
                                                                                         provider_calls):
    settings.REX_PAYMENT_PROVIDER = "billing.tests.providers.UnavailableProvider"
    mission = submit(organization, "provision_domains", {"count": 1, "client": "acme"})

    assert run_attempt(mission) == "retrying"

    purchase = Purchase.objects.get(mission=mission)
    assert mission.status == MissionStatus.RETRYING and mission.error["recoverable"] is True
    assert mission.error["message"] == f"purchase {purchase.pk} is not paid yet"
    assert purchase.status == Purchase.Status.PENDING
    assert LedgerEntry.objects.count() == 0 and Domain.objects.count() == 0

    settings.REX_PAYMENT_PROVIDER = "billing.tests.providers.RecordingProvider"
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]

        assert run_attempt(mission) == "succeeded", mission.error

    assert Purchase.objects.get() == purchase
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.ACTIVE
    assert provider_calls == [str(purchase.pk), str(purchase.pk)]  # the unreachable try, then the charge
    assert LedgerEntry.objects.filter(purchase=purchase, kind="charge").count() == 1
    assert list(Domain.objects.values_list("state", flat=True)) == [DomainState.WARMING]
    assert mission.result["purchase"] == str(purchase.pk)
