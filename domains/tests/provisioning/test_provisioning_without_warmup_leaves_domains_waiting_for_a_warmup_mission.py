"""provision_domains with "warmup": false buys the domains and sets up and checks their DNS but starts no warmup:
the domains wait in dns_pending with their DNS passed — and the beat job's DNS recheck leaves them there too —
until a warmup mission starts them."""

import pytest

from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.models import Domain, DomainState
from domains.provisioning import recheck_pending_dns
from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import Inbox

pytestmark = pytest.mark.django_db(transaction=True)


def test_domains_bought_without_warmup_wait_for_a_warmup_mission(acme_pool, organization, settings):
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]
        provisioning = submit(organization, "provision_domains", {"count": 1, "client": "acme", "warmup": False})

        assert run_attempt(provisioning) == "succeeded", provisioning.error

        domain = Domain.objects.get(organization=organization)
        assert (domain.state, domain.dns_ok) == (DomainState.DNS_PENDING, True)
        assert set(domain.inboxes.values_list("status", flat=True)) == {Inbox.Status.PENDING}
        [summary] = provisioning.result["domains"]
        assert (summary["state"], summary["dns_ok"]) == ("dns_pending", True)
        assert "dns_waiting" not in summary

        # The beat job rechecks DNS but does not overrule the order: no warmup was asked for.
        report = recheck_pending_dns()

        assert report["warming"] == 0
        domain.refresh_from_db()
        assert domain.state == DomainState.DNS_PENDING

        warmup = submit(organization, "warmup", {"domain": domain.name})

        assert run_attempt(warmup) == "succeeded", warmup.error

    domain.refresh_from_db()
    assert domain.state == DomainState.WARMING
    assert set(domain.inboxes.values_list("status", flat=True)) == {Inbox.Status.WARMING}
    assert warmup.result["today_capacity"] == settings.REX_INBOXES_PER_DOMAIN * settings.REX_WARMUP_START
