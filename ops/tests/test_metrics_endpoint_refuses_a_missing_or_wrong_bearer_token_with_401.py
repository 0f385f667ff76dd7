"""With REX_METRICS_TOKEN set, /metrics answers 401 (with a Bearer challenge) unless that token is sent."""

import pytest

from ops.tests.metrics_helpers import TOKEN

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("authorization", [
    None,
    "",
    "Bearer ",
    "Bearer wrong-token",
    f"Bearer {TOKEN}-and-more",
    f"Token {TOKEN}",  # the API's scheme is not the scrape's
    TOKEN,
])
def test_missing_or_wrong_token_is_refused(client, settings, authorization):
    settings.REX_METRICS_TOKEN = TOKEN
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = client.get("/metrics", **headers)

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert b"rex_" not in response.content


def test_right_token_is_let_in(client, settings):
    settings.REX_METRICS_TOKEN = TOKEN

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
