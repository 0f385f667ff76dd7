"""Without REX_METRICS_TOKEN, /metrics does not exist: 404, whatever the request sends."""

import pytest

pytestmark = pytest.mark.django_db


def test_metrics_is_not_found_without_a_configured_token(client, settings):
    settings.REX_METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404
