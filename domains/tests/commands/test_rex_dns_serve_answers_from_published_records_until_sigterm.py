import signal
import sys

import pytest

from conftest import ChildProcess, child_env, wait_for
from domains.dns import check_domain
from domains.dns_provider import LocalDnsProvider
from domains.models import Domain, DomainPool
from ops.net import free_port, port_open


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)  # the command runs in its own process and reads committed rows
def test_rex_dns_serve_answers_from_published_records_until_sigterm(organization, tmp_path):
    pool = DomainPool.objects.create(organization=organization, name="Acme main")
    domain = Domain.objects.create(organization=organization, pool=pool, name="acme-1.example")
    LocalDnsProvider().publish(domain)
    port = free_port()
    child = ChildProcess([sys.executable, "manage.py", "rex_dns_serve", "--port", str(port)], child_env(),
                         tmp_path / "dns.log")
    try:
        def listening() -> bool:
            if not child.alive():
                raise AssertionError(f"rex_dns_serve exited early:\n{child.output()}")
            return port_open("127.0.0.1", port, timeout=0.2)

        wait_for(listening, 30, "rex_dns_serve to listen")

        check = check_domain(domain, nameservers=[f"127.0.0.1:{port}"])

        assert check.passed, check.results
        child.proc.send_signal(signal.SIGTERM)
        assert child.proc.wait(15) == 0
        assert "SIGTERM received; DNS server stopped" in child.output()
    finally:
        child.stop()
