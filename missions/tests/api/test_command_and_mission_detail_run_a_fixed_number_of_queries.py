"""The per-request database work of the two hot API calls is pinned: a new query on either path fails here.

``POST /api/rex/command`` (a structured canary) runs 10 statements: the agent's enabled flag, the idempotency
lookup, the mission and its ``queued`` event, the decision record and its link to the mission, and the savepoint
statements of the nested transactions (a new mission is answered from what was just written: its timeline and LLM
usage are not read back). ``GET /api/missions/<id>/`` runs 3: the mission with its organization and requester (one
join), its events, its LLM usage. The API key's token, user and organization come from the process's credentials
cache (tenants.credentials) after the first request (one Redis read of the cache's generation), and throttle counts
live in Redis: neither is here.
"""

from __future__ import annotations

POST_QUERIES = 10
GET_QUERIES = 3


def test_posting_a_canary_runs_at_most_10_queries(api_client, django_assert_max_num_queries,
                                                  django_capture_on_commit_callbacks):
    api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "first"}}, format="json")
    with django_assert_max_num_queries(POST_QUERIES), django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "second"}},
                                   format="json")
    assert response.status_code == 201, response.content


def test_reading_a_mission_with_its_timeline_runs_at_most_3_queries(api_client, django_assert_max_num_queries):
    mission_id = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "read"}},
                                 format="json").json()["id"]
    with django_assert_max_num_queries(GET_QUERIES):
        response = api_client.get(f"/api/missions/{mission_id}/")
    assert response.status_code == 200
    assert [event["kind"] for event in response.json()["events"]] == ["queued"]
    assert response.json()["organization"] == "acme" and response.json()["requested_by"] == "alice"
