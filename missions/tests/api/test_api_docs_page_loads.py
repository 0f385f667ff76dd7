"""GET /api/docs/ serves the Swagger UI pointed at the schema."""

from django.test import Client


def test_docs_page_answers_200_for_a_logged_in_user(user):
    client = Client()
    client.force_login(user)

    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert b"/api/schema/" in response.content
