"""A token's first request writes last_used_at; further requests within a minute write nothing; a request a minute
or more after the last recorded use writes it again."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from tenants.credentials import forget_credentials
from tenants.models import ApiToken


def updates_of_tokens(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].startswith("UPDATE") and ApiToken._meta.db_table in q["sql"]]


def test_only_the_first_request_in_a_minute_writes(user):
    token, key = ApiToken.objects.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/missions/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert len(updates_of_tokens(first)) == 1

    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/missions/").status_code == 200
    assert updates_of_tokens(second) == []

    a_while_ago = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=a_while_ago)
    # A minute later the process's cached credentials (tenants.credentials, at most TTL_SECONDS = 60 s old) have
    # lapsed and the token is read again; the test moves last_used_at back instead of waiting, so it forgets them.
    forget_credentials()
    with CaptureQueriesContext(connection) as later:
        assert client.get("/api/missions/").status_code == 200
    token.refresh_from_db()
    assert len(updates_of_tokens(later)) == 1
    assert token.last_used_at > a_while_ago
