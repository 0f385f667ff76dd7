"""A provision_domains mission whose first attempt cannot reach a DNS resolver retries; the second attempt finishes
the same purchase: one charge, no second set of domains, inboxes or DNS records."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.tests.providers import RecordingProvider
from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.models import DnsCheck, DnsRecord, Domain, DomainState
from domains.tests.agent_mission_helpers import run_attempt, steps, submit
from inboxes.models import Inbox
from missions.models import MissionStatus
from ops.net import free_port

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recording_provider(settings):
    settings.REX_PAYMENT_PROVIDER = "billing.tests.providers.RecordingProvider"
    RecordingProvider.reset()
    yield RecordingProvider
    RecordingProvider.reset()


def test_second_attempt_after_an_unreachable_resolver_charges_once_and_creates_nothing_twice(acme_pool,
        organization, settings, recording_provider):
    # Attempt 1: the resolver's port has nobody listening; the check times out instead of judging the domain.
    settings.REX_DNS_NAMESERVERS = [f"127.0.0.1:{free_port()}"]
    settings.REX_DNS_TIMEOUT_SECONDS = 0.5
    mission = submit(organization, "provision_domains", {"count": 2, "client": "acme"})

    assert run_attempt(mission) == "retrying"

    assert mission.status == MissionStatus.RETRYING and mission.error["recoverable"] is True
    first = Domain.objects.filter(organization=organization).order_by("name").first()
    assert mission.error["message"].startswith(f"DNS resolver unreachable while checking {first.name}: ")
    purchase = Purchase.objects.get(organization=organization)
    assert purchase.status == Purchase.Status.PAID  # charged; activated once everything is in place
    assert recording_provider.charges == [str(purchase.pk)]
    assert Domain.objects.filter(organization=organization).count() == 2
    assert DnsCheck.objects.count() == 0  # no verdict stored for a check that could not be made

    # Attempt 2: the real server answers from the published records.
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]

        assert run_attempt(mission) == "succeeded", mission.error

    assert mission.attempts == 2
    assert Purchase.objects.filter(organization=organization).count() == 1
    purchase.refresh_from_db()
    assert purchase.status == Purchase.Status.ACTIVE
    assert recording_provider.charges == [str(purchase.pk)]
    assert LedgerEntry.objects.filter(organization=organization, kind="charge").count() == 1
    domains = Domain.objects.filter(organization=organization)
    assert domains.count() == 2
    assert set(domains.values_list("state", flat=True)) == {DomainState.WARMING}
    assert Inbox.objects.filter(organization=organization).count() == 2 * settings.REX_INBOXES_PER_DOMAIN
    assert DnsRecord.objects.count() == 2 * 4  # MX, SPF, DKIM, DMARC per domain, published once
    assert [d["state"] for d in mission.result["domains"]] == ["warming", "warming"]

    purchase_steps = [(row.attempt, row.payload["created"]) for row in steps(mission) if row.action == "purchase"]
    assert purchase_steps == [(1, True), (2, False)]
