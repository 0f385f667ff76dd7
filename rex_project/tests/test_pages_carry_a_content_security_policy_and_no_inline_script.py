"""Every page carries a Content-Security-Policy that allows scripts only from our own files, and no rendered page
needs more: no inline script, no event-handler attribute, no style attribute (the scan reads the rendered HTML of
the main pages, with the demo's rows in them, so the templates' loops and conditionals are rendered too)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from inboxes.unsubscribe import make_token
from ops.seed import seed_demo
from rex_project.tests.page_scan import inline_code
from tenants.models import Organization

PAGES = ["/", "/domains/", "/campaigns/", "/inbox/", "/agents/", "/incidents/", "/analytics/", "/api/docs/", "/admin/",
         "/admin/missions/mission/", "/admin/tenants/organization/", "/admin/tenants/organization/add/",
         "/admin/monitoring/alertsettings/add/"]


@pytest.fixture
def staff_client(db) -> Client:
    seed_demo("correct horse battery")
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    return client


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PAGES)
def test_a_logged_in_page_has_the_policy_and_nothing_inline(staff_client, path):
    response = staff_client.get(path)

    assert response.status_code == 200, path
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert inline_code(response.content.decode()) == []


def test_the_public_pages_have_the_policy_and_nothing_inline(staff_client):
    anonymous = Client()
    organization = Organization.objects.get(slug="acme")
    for path in ("/accounts/login/", f"/u/{make_token(organization, 'olivia@client.example')}"):
        response = anonymous.get(path)

        assert response.status_code == 200, path
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert inline_code(response.content.decode()) == [], path


def test_the_scan_finds_what_the_policy_would_refuse():
    html = ('<script>alert(1)</script><script type="application/json">{}</script><script src="/s.js"></script>'
            '<button onclick="go()">x</button><span style="width: 3%"></span><a href="javascript:go()">y</a>'
            '<style>p {}</style>')

    assert len(inline_code(html)) == 5
