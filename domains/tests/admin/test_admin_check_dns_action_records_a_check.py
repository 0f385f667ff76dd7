from django.contrib.messages import get_messages
from django.urls import reverse

from domains.models import DnsCheck, Domain, DomainState


def _run_action(admin_client, action: str, *domains):
    return admin_client.post(reverse("admin:domains_domain_changelist"),
                             {"action": action, "_selected_action": [d.pk for d in domains]}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_admin_check_dns_action_records_a_check(admin_client, dns_server, make_domain):
    good = make_domain("acme-1.example", state=DomainState.DNS_PENDING)
    bad = make_domain("acme-2.example", state=DomainState.DNS_PENDING)
    dns_server.configure_domain("acme-1.example")
    dns_server.configure_domain("acme-2.example", dmarc="v=DMARC1; p=block")

    response = _run_action(admin_client, "check_dns_now", good, bad)

    assert response.status_code == 200
    assert DnsCheck.objects.filter(domain=good, passed=True).count() == 1
    assert DnsCheck.objects.filter(domain=bad, passed=False).count() == 1
    assert Domain.objects.get(pk=good.pk).dns_ok is True
    messages = _messages(response)
    assert "1 domain(s) passed the DNS check." in messages
    assert any(m.startswith("acme-2.example failed: dmarc: DMARC p=block is not a policy") for m in messages)
