"""POST /api/auth/token/ trades a username and password for a token that authenticates API calls."""

from rest_framework.test import APIClient


def test_right_password_returns_a_token_that_authenticates(user):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "correct horse battery"},
                                format="json")

    assert response.status_code == 200, response.data
    assert response.data["expires_at"] is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert client.get("/api/missions/").status_code == 200
    assert client.post("/api/rex/command", {"type": "canary"}, format="json").data["requested_by"] == "alice"


def test_each_call_issues_a_new_token_and_both_work(user):
    # Keys are stored hashed (tenants.ApiToken), so an earlier key cannot be handed out again.
    body = {"username": "alice", "password": "correct horse battery"}
    first = APIClient().post("/api/auth/token/", body, format="json")
    second = APIClient().post("/api/auth/token/", body, format="json")

    assert first.data["token"] != second.data["token"]
    for key in (first.data["token"], second.data["token"]):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/missions/").status_code == 200


def test_wrong_password_answers_400_without_a_token(user):
    response = APIClient().post("/api/auth/token/", {"username": "alice", "password": "wrong"}, format="json")

    assert response.status_code == 400
    assert "token" not in response.data
    assert "non_field_errors" in response.data
