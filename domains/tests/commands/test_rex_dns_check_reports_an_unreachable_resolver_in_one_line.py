import pytest
from django.core.management import CommandError

from domains.models import DnsCheck, Domain
from ops.net import free_port


def test_rex_dns_check_reports_an_unreachable_resolver_in_one_line(make_domain, rex_dns_check, settings):
    settings.REX_DNS_NAMESERVERS = [f"127.0.0.1:{free_port()}"]
    settings.REX_DNS_TIMEOUT_SECONDS = 0.3
    make_domain("acme-1.example", dns_ok=True)

    with pytest.raises(CommandError) as unreachable:
        rex_dns_check("acme-1.example")

    message = str(unreachable.value)
    assert message.startswith("no DNS answer for acme-1.example MX from 127.0.0.1:")
    assert "\n" not in message
    assert unreachable.value.returncode == 2
    assert not DnsCheck.objects.exists()
    assert Domain.objects.get(name="acme-1.example").dns_ok is True  # no false failure recorded
