"""A provision_domains mission buys the domains (one purchase, one charge), publishes their DNS, checks it through a
real DNS server answering from the published records, starts their warmup, and audits every step."""

import pytest

from billing.models import LedgerEntry, Purchase
from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.models import DnsRecord, Domain, DomainState
from domains.tests.agent_mission_helpers import run_attempt, steps, submit
from inboxes.models import Inbox
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_provisioning_mission_buys_publishes_checks_dns_and_starts_warmup(acme_pool, organization, settings):
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]
        mission = submit(organization, "provision_domains", {"count": 2, "client": "acme"})

        assert run_attempt(mission) == "succeeded", mission.error

    assert mission.status == MissionStatus.SUCCEEDED and mission.attempts == 1
    purchase = Purchase.objects.get(mission=mission)
    assert purchase.status == Purchase.Status.ACTIVE
    per_domain = settings.REX_INBOXES_PER_DOMAIN
    assert purchase.total_cents == 2 * settings.REX_PRICE_DOMAIN_CENTS + 2 * per_domain * settings.REX_PRICE_INBOX_CENTS
    [charge] = LedgerEntry.objects.filter(organization=organization)
    assert (charge.purchase_id, charge.kind, charge.amount_cents) == (purchase.pk, "charge", -purchase.total_cents)

    domains = list(Domain.objects.filter(organization=organization).order_by("name"))
    assert len(domains) == 2
    assert all(d.purchase_reference == str(purchase.pk) and d.pool.slug == "acme" for d in domains)
    assert {d.state for d in domains} == {DomainState.WARMING}
    for domain in domains:
        assert domain.dns_ok
        assert sorted(DnsRecord.objects.filter(domain=domain).values_list("name", "rtype")) == sorted([
            (domain.name, "MX"), (domain.name, "TXT"), (f"rex._domainkey.{domain.name}", "TXT"),
            (f"_dmarc.{domain.name}", "TXT")])
        check = domain.dns_checks.get()
        assert check.passed and check.nameservers == [dns.nameserver]
        assert [(t.from_state, t.to_state, t.actor) for t in domain.transitions.all()] == [
            ("pending", "dns_pending", "agent:provision_domains"), ("dns_pending", "warming", "agent:provision_domains")]

    inboxes = Inbox.objects.filter(domain__in=domains)
    assert inboxes.count() == 2 * per_domain
    assert {(i.status, i.warmup_limit, i.warmup_day) for i in inboxes} == {
        (Inbox.Status.WARMING, settings.REX_WARMUP_START, 1)}

    result = mission.result
    assert (result["purchase"], result["total_cents"], result["client"]) == (str(purchase.pk), purchase.total_cents,
                                                                               "acme")
    assert [(d["name"], d["state"], d["dns_ok"]) for d in result["domains"]] == [
        (d.name, "warming", True) for d in domains]
    assert all("dns_waiting" not in d for d in result["domains"])
    assert all(len(d["inboxes"]) == per_domain for d in result["domains"])

    audit = steps(mission)
    assert [row.action for row in audit] == ["validate", "decide", "purchase", "prepare_domain", "prepare_domain",
                                             "execute", "report", "run"]
    assert {row.attempt for row in audit} == {1}
    purchase_step = audit[2].payload
    assert (purchase_step["purchase"], purchase_step["created"], purchase_step["total_cents"]) == (
        str(purchase.pk), True, purchase.total_cents)
    assert [row.payload for row in audit[3:5]] == [{"domain": d.name, "state": "warming"} for d in domains]
    assert audit[-1].payload == {"outcome": "succeeded"}
