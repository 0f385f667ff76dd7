"""Every response carries X-Request-ID: the one the client (or its proxy) sent when it is sane, else a new one;
a header that is too long or has characters outside letters, digits and ``._:-`` is replaced, never refused."""

import re

import pytest

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.mark.parametrize("offered", ["abc-123", "5f0c2b1e-7d4a-4c1e-9a2b-3c4d5e6f7a8b", "lb:1.2_x", "a" * 64])
def test_sane_request_id_is_kept_and_echoed(client, offered):
    response = client.get("/no/such/page", HTTP_X_REQUEST_ID=offered)

    assert response.status_code == 404
    assert response["X-Request-ID"] == offered


@pytest.mark.parametrize("offered", ["", "a" * 65, "has space", "semi;colon", "<script>", "-starts-with-dash",
                                     "ünïcode", "quote\"d"])
def test_insane_request_id_is_replaced_by_a_new_one(client, offered):
    response = client.get("/no/such/page", HTTP_X_REQUEST_ID=offered)

    assert response.status_code == 404
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_request_without_one_gets_a_new_id_each_time(client):
    first = client.get("/no/such/page")["X-Request-ID"]
    second = client.get("/no/such/page")["X-Request-ID"]

    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second
