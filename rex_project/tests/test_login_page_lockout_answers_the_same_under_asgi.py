"""Production serves through ASGI (gunicorn + uvicorn workers): the lockout page is the same as under WSGI."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.test import AsyncClient


@pytest.mark.django_db
def test_the_login_page_answers_429_with_retry_after_under_asgi(user):
    async def scenario():
        client = AsyncClient()
        for _ in range(settings.AXES_FAILURE_LIMIT):
            await client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
        return await client.post("/accounts/login/", {"username": "alice", "password": "correct horse battery"})

    # async_to_sync keeps the views' database work on this thread, inside the test's transaction.
    answer = async_to_sync(scenario)()

    assert answer.status_code == 429
    assert int(answer["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert b"Too many failed attempts" in answer.content
