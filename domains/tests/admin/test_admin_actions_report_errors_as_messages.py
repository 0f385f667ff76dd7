from django.contrib.messages import get_messages
from django.urls import reverse

from domains.models import DnsCheck, DnsRecord
from ops.net import free_port


def _run_action(admin_client, action: str, *domains):
    return admin_client.post(reverse("admin:domains_domain_changelist"),
                             {"action": action, "_selected_action": [d.pk for d in domains]}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_admin_publish_action_reports_a_broken_provider(admin_client, make_domain, settings):
    settings.REX_DNS_PROVIDER = "domains.nowhere.Provider"
    domain = make_domain("acme-1.example")

    response = _run_action(admin_client, "publish_dns_records", domain)

    assert response.status_code == 200
    assert any("the DNS provider could not be loaded" in m for m in _messages(response))


def test_admin_check_dns_action_reports_an_unreachable_resolver_without_recording(admin_client, make_domain,
                                                                                   settings):
    settings.REX_DNS_NAMESERVERS = [f"127.0.0.1:{free_port()}"]
    settings.REX_DNS_TIMEOUT_SECONDS = 0.3
    domain = make_domain("acme-1.example")

    response = _run_action(admin_client, "check_dns_now", domain)

    assert response.status_code == 200
    assert any(m.startswith("DNS could not be checked, nothing was recorded") for m in _messages(response))
    assert not DnsCheck.objects.exists()


def test_admin_publish_action_reports_an_unreadable_signing_key(admin_client, make_domain):
    broken = make_domain("acme-1.example", dkim_private_key_encrypted="not-a-fernet-token")
    fine = make_domain("acme-2.example")

    response = _run_action(admin_client, "publish_dns_records", broken, fine)

    assert response.status_code == 200
    messages = _messages(response)
    assert any(m.startswith("acme-1.example: publishing failed: SecretUnreadable") for m in messages)
    assert "not-a-fernet-token" not in " ".join(messages)
    assert "DNS records published for 1 domain(s); check DNS once they propagate." in messages
    assert set(DnsRecord.objects.values_list("domain__name", flat=True)) == {"acme-2.example"}
