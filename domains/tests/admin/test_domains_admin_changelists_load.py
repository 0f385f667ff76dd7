import pytest
from django.urls import reverse

from domains.dns_provider import LocalDnsProvider
from domains.models import DnsCheck, DomainState

PAGES = ["domainpool", "domain", "dnscheck", "domaintransition", "dnsrecord"]


@pytest.fixture
def populated(make_domain):
    domain = make_domain("acme-1.example", state=DomainState.PENDING)
    domain.transition(DomainState.DNS_PENDING, reason="records published", actor="alice")
    LocalDnsProvider().publish(domain)
    DnsCheck.objects.create(domain=domain, passed=False, dmarc_policy="", results={
        "mx": {"ok": True, "records": ["10 mx.rex-mail.example"], "detail": "1 mail exchanger(s)"},
        "spf": {"ok": False, "records": [], "detail": "no SPF record"},
    })
    make_domain("acme-2.example", state=DomainState.READY)
    return domain


@pytest.mark.parametrize("model", PAGES)
def test_domains_admin_changelist_loads(admin_client, populated, model):
    response = admin_client.get(reverse(f"admin:domains_{model}_changelist"))

    assert response.status_code == 200
    assert b"acme-1.example" in response.content or model == "domainpool"


def test_pool_changelist_counts_domains_by_state(admin_client, populated):
    response = admin_client.get(reverse("admin:domains_domainpool_changelist"))

    assert "dns pending 1 · ready 1" in response.content.decode()


def test_domain_change_page_shows_checks_transitions_and_records_read_only(admin_client, populated):
    response = admin_client.get(reverse("admin:domains_domain_change", args=[populated.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "spf: no SPF record" in page
    assert "records published" in page
    assert "_dmarc.acme-1.example TXT v=DMARC1" in page
    assert 'name="state"' not in page  # the state changes only through actions


def test_domain_change_form_cannot_move_the_state(admin_client, populated):
    url = reverse("admin:domains_domain_change", args=[populated.pk])
    response = admin_client.post(url, {
        "pool": populated.pool_id, "daily_cap": 90, "state": "ready",
        "dns_checks-TOTAL_FORMS": 1, "dns_checks-INITIAL_FORMS": 1,
        "transitions-TOTAL_FORMS": 1, "transitions-INITIAL_FORMS": 1,
    })

    assert response.status_code == 302, response.content.decode()[:2000]
    populated.refresh_from_db()
    assert (populated.state, populated.daily_cap) == ("dns_pending", 90)
