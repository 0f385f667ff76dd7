"""One reading of "DNS OK" (``Domain.dns_status``): a domain whose ``dns_ok`` is set is OK on the Domains page, in
the admin and in the API even when no check time was recorded (as provisioning and the demo leave it); a checked
and failing domain is "failing"; a domain never checked is "not checked" everywhere."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from domains.models import Domain, DomainState
from domains.tests.factories import create_domain

pytestmark = pytest.mark.django_db
EXPECTED = {"ok-unchecked.example": "pass", "failing.example": "fail", "new.example": "not_checked"}
LABELS = {"pass": "OK", "fail": "failing", "not_checked": "not checked"}


@pytest.fixture
def domains(organization):
    create_domain(organization, "ok-unchecked.example", state=DomainState.WARMING, dns_ok=True)
    create_domain(organization, "failing.example", state=DomainState.DNS_PENDING, dns_ok=False,
                  dns_checked_at=timezone.now() - timedelta(minutes=5))
    create_domain(organization, "new.example", state=DomainState.PENDING)


def test_page_admin_and_api_say_the_same(domains, user, api_client, admin_client):
    assert {d.name: d.dns_status for d in Domain.objects.all()} == EXPECTED

    api = api_client.get("/api/domains/").json()["results"]
    assert {d["name"]: (d["dns_status"], d["dns_status_label"]) for d in api} == {
        name: (status, LABELS[status]) for name, status in EXPECTED.items()}

    page = Client()
    page.force_login(user)
    html = page.get("/domains/").content.decode()
    cells = dict(re.findall(r'<tr data-domain="([^"]+)".*?<td data-cell="dns" data-dns="([^"]+)">', html, re.DOTALL))
    assert cells == EXPECTED
    assert ">OK</span>" in html and ">failing</span>" in html and ">not checked</span>" in html

    admin = admin_client.get(reverse("admin:domains_domain_changelist")).content.decode()
    for name, status in EXPECTED.items():
        row = re.search(rf"{re.escape(name)}.*?</tr>", admin, re.DOTALL).group(0)
        assert f'<td class="field-dns">{LABELS[status]}</td>' in row, name
