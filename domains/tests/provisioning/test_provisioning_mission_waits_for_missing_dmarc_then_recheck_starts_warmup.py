"""DNS that has not propagated: while the DNS server does not serve the DMARC record yet, attempts 1-3 of a
provision_domains mission retry naming it; the last attempt succeeds with the domains left in dns_pending and a
"dns_waiting" note; once the record is served, the beat job's recheck (``recheck_pending_dns``, task
``domains.recheck_dns``) starts their warmup."""

from collections.abc import Iterator

import pytest

from billing.models import LedgerEntry, Purchase
from domains.dns_server import DatabaseZone, LocalDnsServer, Lookup
from domains.models import Domain, DomainState
from domains.provisioning import recheck_pending_dns
from domains.tasks import recheck_dns
from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import Inbox
from missions.models import Mission, MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


class PropagatingZone(DatabaseZone):
    """The published records, except the DMARC records until they have "propagated" (``propagated = True``)."""

    def __init__(self) -> None:
        self.propagated = False

    def lookup(self, name: str) -> Lookup:
        found = super().lookup(name)
        if not self.propagated and name.startswith("_dmarc."):
            return Lookup(False, [], found.zone)  # NXDOMAIN, as a resolver sees a name not there yet
        return found


@pytest.fixture
def lagging_dns(settings) -> Iterator[PropagatingZone]:
    zone = PropagatingZone()
    with LocalDnsServer("127.0.0.1", 0, zone) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]
        yield zone


@pytest.fixture
def provisioned_while_dmarc_missing(acme_pool, organization, lagging_dns) -> Mission:
    """A provision_domains mission run through all its attempts while DMARC is not served."""
    mission = submit(organization, "provision_domains", {"count": 2, "client": "acme"})
    for attempt in range(1, mission.max_attempts):
        assert run_attempt(mission) == "retrying", (attempt, mission.error)
    assert run_attempt(mission) == "succeeded", mission.error
    return mission


def test_attempts_retry_naming_dmarc_then_the_last_leaves_the_domains_in_dns_pending(acme_pool, organization, settings,
                                                                                    lagging_dns):
    mission = submit(organization, "provision_domains", {"count": 2, "client": "acme"})
    first_domain = None
    for attempt in (1, 2, 3):
        assert run_attempt(mission) == "retrying", mission.error
        assert (mission.status, mission.attempts) == (MissionStatus.RETRYING, attempt)
        first_domain = first_domain or Domain.objects.filter(organization=organization).order_by("name").first()
        error = mission.error
        assert error["recoverable"] is True
        # Every domain was published and checked before the retry was asked for; the first one's reason is named.
        assert error["message"].startswith("2 domains not ready yet; ")
        assert f"DNS of {first_domain.name} has not passed yet: dmarc: no DMARC record" in error["message"]
        assert f"_dmarc.{first_domain.name}" in error["message"]
        assert list(error["details"]["failed"]) == ["dmarc"]  # MX, SPF and DKIM passed

    assert run_attempt(mission) == "succeeded", mission.error

    assert mission.attempts == mission.max_attempts == 4
    domains = list(Domain.objects.filter(organization=organization).order_by("name"))
    assert [d.state for d in domains] == [DomainState.DNS_PENDING, DomainState.DNS_PENDING]
    assert not any(d.dns_ok for d in domains)
    assert set(Inbox.objects.filter(domain__in=domains).values_list("status", flat=True)) == {Inbox.Status.PENDING}
    summaries = mission.result["domains"]
    assert [(s["name"], s["state"]) for s in summaries] == [(d.name, "dns_pending") for d in domains]
    for summary in summaries:
        assert "dmarc: no DMARC record" in summary["dns_waiting"]
        assert summary["dns_waiting"].endswith(f"rechecked every {settings.REX_DNS_RECHECK_SECONDS // 60} min by beat")
    # Bought and charged once, over four attempts.
    assert Purchase.objects.get(mission=mission).status == Purchase.Status.ACTIVE
    assert LedgerEntry.objects.filter(organization=organization, kind="charge").count() == 1


def test_recheck_starts_warmup_once_dmarc_is_served(organization, lagging_dns, provisioned_while_dmarc_missing):
    names = [d["name"] for d in provisioned_while_dmarc_missing.result["domains"]]

    still_missing = recheck_pending_dns()

    assert (still_missing["checked"], still_missing["passed"], still_missing["warming"]) == (2, 0, 0)
    assert set(Domain.objects.filter(name__in=names).values_list("state", flat=True)) == {DomainState.DNS_PENDING}

    lagging_dns.propagated = True
    report = recheck_pending_dns()

    assert (report["checked"], report["passed"], report["warming"], report["unreachable"]) == (2, 2, 2, 0)
    domains = Domain.objects.filter(name__in=names)
    assert set(domains.values_list("state", flat=True)) == {DomainState.WARMING}
    assert all(d.dns_ok for d in domains)
    assert {d.transitions.last().actor for d in domains} == {"system:dns-recheck"}
    assert set(Inbox.objects.filter(domain__in=domains).values_list("status", flat=True)) == {Inbox.Status.WARMING}
    assert recheck_pending_dns()["checked"] == 0  # nothing waits any more


def test_recheck_dns_task_starts_warmup_once_dmarc_is_served(organization, lagging_dns,
                                                           provisioned_while_dmarc_missing):
    names = [d["name"] for d in provisioned_while_dmarc_missing.result["domains"]]
    lagging_dns.propagated = True

    assert recheck_dns.name == "domains.recheck_dns"
    report = recheck_dns()

    assert (report["checked"], report["passed"], report["warming"]) == (2, 2, 2)
    assert set(Domain.objects.filter(name__in=names).values_list("state", flat=True)) == {DomainState.WARMING}
    assert set(Inbox.objects.filter(domain__name__in=names).values_list("status", flat=True)) == {
        Inbox.Status.WARMING}
