from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def test_rex_dns_check_exits_one_naming_the_failed_records(dns_server, make_domain):
    make_domain("acme-1.example")
    make_domain("acme-2.example")
    dns_server.configure_domain("acme-1.example")
    dns_server.configure_domain("acme-2.example", mx=False, dkim="")
    out = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("rex_dns_check", "acme-1.example", "acme-2.example", stdout=out, stderr=StringIO(),
                     no_color=True)

    assert failed.value.returncode == 1
    assert str(failed.value) == "1 of 2 domain(s) failed the DNS check"
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0] == "PASS acme-1.example (DMARC p=quarantine)"
    assert lines[1].startswith("FAIL acme-2.example: mx: acme-2.example has no MX record")
    assert "; dkim: no DKIM key: rex._domainkey.acme-2.example does not exist (NXDOMAIN)" in lines[1]
    assert "spf:" not in lines[1] and "dmarc:" not in lines[1]
