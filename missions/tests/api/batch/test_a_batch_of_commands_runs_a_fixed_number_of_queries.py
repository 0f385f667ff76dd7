"""The database work of ``POST /api/rex/commands`` does not grow with its items: 1 and 100 canaries run the same
statements. The agents' enabled flags (one query for every type), the
derived keys' earlier missions, the missions in one INSERT and their events in another, the decisions in one and
their links in another, and the savepoints of the batch's transaction and of its missions' insert (4 statements):
10. Clients' keys are looked up in one query for the whole batch (a batch with both kinds of key runs 11).
The API key's token, user and organization come from the process's credentials cache (tenants.credentials) after
the first request, and throttle counts live in Redis: neither is here."""

from __future__ import annotations

import pytest

BATCH_QUERIES = 10

pytestmark = pytest.mark.django_db


def canaries(count: int, prefix: str) -> dict:
    return {"commands": [{"type": "canary", "params": {"tag": f"{prefix}-{i}"}} for i in range(count)]}


@pytest.mark.parametrize("items", [1, 25, 100])
def test_a_batch_of_canaries_runs_at_most_10_queries_whatever_its_size(api_client, items,
                                                                        django_assert_max_num_queries,
                                                                        django_capture_on_commit_callbacks):
    api_client.post("/api/rex/commands", canaries(1, "warm"), format="json")
    with django_assert_max_num_queries(BATCH_QUERIES), django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/commands", canaries(items, "n"), format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["missions"]) == items


def test_clients_keys_are_looked_up_in_one_query_for_the_whole_batch(api_client, django_assert_max_num_queries):
    api_client.post("/api/rex/commands", canaries(1, "warm"), format="json")
    body = {"commands": [{"type": "canary", "idempotency_key": f"order-{i:04d}"} for i in range(50)]}
    with django_assert_max_num_queries(BATCH_QUERIES):
        response = api_client.post("/api/rex/commands", body, format="json")
    assert response.status_code == 201, response.content
