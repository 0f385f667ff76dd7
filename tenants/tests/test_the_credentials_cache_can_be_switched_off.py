"""``REX_CREDENTIALS_CACHE=false``: every request reads the key's token, user and organizations from PostgreSQL."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.models import ApiToken


def test_with_the_cache_off_every_request_reads_the_token(api_client, settings):
    settings.REX_CREDENTIALS_CACHE = False
    assert api_client.get("/api/missions/").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert api_client.get("/api/missions/").status_code == 200

    assert any(ApiToken._meta.db_table in q["sql"] for q in queries.captured_queries)
