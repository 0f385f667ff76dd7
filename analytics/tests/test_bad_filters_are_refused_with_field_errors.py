"""A filter that cannot be read is a 400 with field errors, never a 500 nor an empty answer: a date that is not
YYYY-MM-DD, a start after the end, a range longer than REX_ANALYTICS_MAX_DAYS, a campaign or a client (pool) that
the organization does not have (another organization's is unknown like a missing one). The page answers 400 with
the messages, and the CSV export a plain-text 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from analytics.tests.factories import build_world
from conftest import api_token_for
from tenants.models import Organization

pytestmark = pytest.mark.django_db

BAD = [
    ({"start": "yesterday"}, "start"),
    ({"start": "2026-12-02", "end": "2026-12-01"}, "start"),
    ({"start": "2024-01-01", "end": "2026-12-01"}, "end"),
    ({"campaign": "nope"}, "campaign"),
    ({"client": "globex"}, "client"),
    ({"campaign": "globex"}, "campaign"),
]


@pytest.mark.parametrize(("query", "field"), BAD)
def test_the_api_the_page_and_the_export_refuse_it(user, organization, client, query, field):
    build_world(organization)
    build_world(Organization.objects.create(name="Globex", slug="globex"), client="Globex", slug="globex")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")

    answer = api.get("/api/analytics/", query)
    assert answer.status_code == 400
    assert field in answer.json()

    client.force_login(user)
    page = client.get("/analytics/", query)
    assert page.status_code == 400
    assert f"{field}:" in page.content.decode()
    export = client.get("/analytics/export.csv", query)
    assert export.status_code == 400
    assert export["Content-Type"].startswith("text/plain")
    assert export.content.decode().startswith(f"{field}:")
