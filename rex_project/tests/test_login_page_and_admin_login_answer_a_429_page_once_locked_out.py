"""The login forms lock out like the API does, and say so on a page of their own (429)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client


def fail_then_try_the_right_password(url: str, username: str, password: str):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = client.post(url, {"username": username, "password": "wrong"})
        assert wrong.status_code == 200  # the form again, with its error
    # The failure that reaches the limit is itself answered with the lockout.
    assert client.post(url, {"username": username, "password": "wrong"}).status_code == 429
    return client.post(url, {"username": username, "password": password})


@pytest.mark.django_db
def test_the_login_page_answers_429_with_a_readable_page(user):
    answer = fail_then_try_the_right_password("/accounts/login/", "alice", "correct horse battery")

    assert answer.status_code == 429
    assert answer["Content-Type"].startswith("text/html")
    assert int(answer["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    assert b"Too many failed attempts" in answer.content
    assert "_auth_user_id" not in answer.wsgi_request.session


@pytest.mark.django_db
def test_the_admin_login_answers_429_with_a_readable_page(admin_user):
    answer = fail_then_try_the_right_password("/admin/login/", "admin", "password")

    assert answer.status_code == 429
    assert b"Too many failed attempts" in answer.content
    assert "_auth_user_id" not in answer.wsgi_request.session
