"""Malformed ``ids`` answer 400 with the field, as JSON, never a 500 or an HTML page: missing, empty, not UUIDs,
over 100."""

import uuid

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["", "?ids=", "?ids=,,", "?ids=not-a-uuid", "?ids=%00",
                                   "?ids=" + ",".join(str(uuid.uuid4()) for _ in range(101))])
def test_malformed_ids_answer_400_naming_ids(api_client, query):
    response = api_client.get(f"/api/missions/status{query}")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert "ids" in response.json() or "detail" in response.json()


def test_a_non_uuid_is_named_in_the_message(api_client):
    response = api_client.get(f"/api/missions/status?ids={uuid.uuid4()},41f0f018")

    assert response.json() == {"ids": ["'41f0f018' is not a mission id (a UUID)"]}
