import socket

import pytest

from domains.dns import DnsUnavailable, check_domain
from domains.models import DnsCheck, Domain
from ops.net import free_port


def test_resolver_that_nobody_listens_on_raises_dns_unavailable(make_domain, settings):
    settings.REX_DNS_TIMEOUT_SECONDS = 0.5
    domain = make_domain("acme-1.example", dns_ok=True)

    with pytest.raises(DnsUnavailable, match="no DNS answer"):
        check_domain(domain, nameservers=[f"127.0.0.1:{free_port()}"])

    assert not DnsCheck.objects.exists()
    stored = Domain.objects.get(pk=domain.pk)
    assert (stored.dns_ok, stored.dns_checked_at) == (True, None)


def test_resolver_that_never_answers_raises_dns_unavailable(make_domain, settings):
    settings.REX_DNS_TIMEOUT_SECONDS = 0.5
    domain = make_domain("acme-1.example")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:  # receives queries, answers none
        silent.bind(("127.0.0.1", 0))
        settings.REX_DNS_NAMESERVERS = [f"127.0.0.1:{silent.getsockname()[1]}"]

        with pytest.raises(DnsUnavailable):
            check_domain(domain)

    assert not DnsCheck.objects.exists()
    assert Domain.objects.get(pk=domain.pk).dns_checked_at is None
