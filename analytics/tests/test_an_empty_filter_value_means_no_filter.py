"""The page's form sends every field, empty for "All campaigns" and "All clients" (and a cleared date): an empty
value is no filter, on the page, the export and the API alike, never a 400."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from analytics.rollup import rollup_day
from analytics.tests.factories import DAY, build_world, send
from conftest import api_token_for

pytestmark = pytest.mark.django_db


def test_empty_values_are_ignored(user, organization, client):
    send(build_world(organization), 3)
    rollup_day(organization.pk, DAY)
    client.force_login(user)
    query = {"start": DAY.isoformat(), "end": DAY.isoformat(), "campaign": "", "client": ""}

    assert client.get("/analytics/", query).status_code == 200
    assert client.get("/analytics/export.csv", query).status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    answer = api.get("/api/analytics/", query)
    assert answer.status_code == 200
    assert answer.json()["totals"]["sent"] == 3
    assert api.get("/api/analytics/", {"start": "", "end": ""}).status_code == 200
