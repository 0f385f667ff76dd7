import pytest
from django.core.management import CommandError

from domains.models import DnsCheck


def test_rex_dns_check_refuses_unknown_domains_in_one_line(dns_server, make_domain, rex_dns_check):
    make_domain("acme-1.example")

    with pytest.raises(CommandError) as refused:
        rex_dns_check("acme-1.example", "nobody.example", "ghost.example")

    assert str(refused.value) == "unknown domain(s): nobody.example, ghost.example"
    assert refused.value.returncode == 2
    assert not DnsCheck.objects.exists()  # not even the known one: the whole command was refused


@pytest.mark.parametrize(("args", "message"), [
    ((), "name at least one domain, or use --pending"),
    (("--pending", "acme-1.example"), "name domains or use --pending, not both"),
    (("--org", "acme"), "--org goes with --pending"),
    (("--pending", "--org", "nope"), "no organization 'nope'"),
])
def test_rex_dns_check_refuses_wrong_usage_in_one_line(db, rex_dns_check, args, message):
    with pytest.raises(CommandError, match=f"^{message}$") as refused:
        rex_dns_check(*args)

    assert refused.value.returncode == 2
