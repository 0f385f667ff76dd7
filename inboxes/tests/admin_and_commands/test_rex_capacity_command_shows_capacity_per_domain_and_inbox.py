from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox
from tenants.models import Organization


def run(*args: str) -> str:
    out = StringIO()
    call_command("rex_capacity", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def inboxes(organization) -> list[Inbox]:
    domain = make_domain(organization, "cap.example", daily_cap=8)
    warming = make_inbox(domain, "warming", status=Inbox.Status.WARMING, warmup_limit=5, warmup_day=2)
    active = make_inbox(domain, "active", daily_cap=6)
    warming.reserve_send()
    other = Organization.objects.create(name="Globex", slug="globex")
    make_inbox(make_domain(other, "globex-mail.example"))
    return [warming, active]


def test_table_lists_domains_with_their_inboxes_and_a_total(inboxes):
    output = run("--org", "acme")

    lines = output.splitlines()
    domain_line = next(line for line in lines if "acme / cap.example" in line)
    assert domain_line.split()[3:7] == ["in_use", "8", "1", "7"]
    assert domain_line.endswith("available 7")
    warming_line = next(line for line in lines if line.startswith("    warming@cap.example"))
    assert warming_line.split()[1:6] == ["warming", "40", "5", "1", "4"]
    assert "globex" not in output
    assert lines[-1] == ("Total: 1 domain(s), 2 inbox(es); domain caps 8, today's inbox limits 11, sent 1, "
                         "available 7")


def test_json_output_has_the_same_figures(inboxes):
    data = json.loads(run("--domain", "CAP.example", "--json"))

    [domain] = data["domains"]
    assert (domain["name"], domain["daily_cap"], domain["sent"], domain["remaining"]) == ("cap.example", 8, 1, 7)
    assert {i["address"]: (i["limit"], i["sent"], i["remaining"]) for i in domain["inboxes"]} == {
        "warming@cap.example": (5, 1, 4), "active@cap.example": (6, 0, 6)}
    assert data["totals"]["available"] == 7


def test_unknown_organization_or_domain_is_a_command_error(inboxes):
    with pytest.raises(CommandError, match=re.escape("no organization with slug 'nope'")):
        run("--org", "nope")
    with pytest.raises(CommandError, match=re.escape("no domain 'missing.example'")):
        run("--domain", "missing.example")
    with pytest.raises(CommandError, match=re.escape("no domain 'globex-mail.example' in organization 'acme'")):
        run("--org", "acme", "--domain", "globex-mail.example")
