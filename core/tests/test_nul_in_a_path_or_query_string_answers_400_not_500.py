"""A NUL in a URL path or query string is refused with 400 before any view runs: PostgreSQL cannot compare text
with a NUL in it, so an admin filter or a lookup by name would otherwise be a 500."""

import pytest
from django.test import Client

URLS = [
    "/admin/missions/mission/?status__exact=%00",
    "/admin/domains/domain/?state__exact=%00",
    "/admin/missions/mission/?q=a%00b",
    "/api/missions/?type=%00",
    "/api/domains/a%00b/",
]


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@rex.example", "ops password"))
    return client


@pytest.mark.parametrize("url", URLS)
def test_nul_in_the_url_answers_400(admin_client, api_client, url):
    client = api_client if url.startswith("/api/") else admin_client

    response = client.get(url)

    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_the_same_pages_without_a_nul_still_load(admin_client, api_client):
    assert admin_client.get("/admin/missions/mission/?status__exact=queued").status_code == 200
    assert admin_client.get("/admin/domains/domain/?state__exact=ready").status_code == 200
    assert api_client.get("/api/missions/?type=canary").status_code == 200
