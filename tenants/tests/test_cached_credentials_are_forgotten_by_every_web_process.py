"""Against the real web server (2 worker processes, each with its own credentials cache): once every process has
served the key (and cached it), a revocation, a deactivation or a removed membership made in another process (this
test's) is refused by whichever process answers next, on each of many fresh connections."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from conftest import api_token_for
from tenants.models import ApiToken, Membership

pytestmark = pytest.mark.e2e

REQUESTS = 12  # on fresh connections: the kernel spreads them over both workers


def statuses(base_url: str, key: str) -> list[int]:
    answers = []
    for _ in range(REQUESTS):
        request = urllib.request.Request(f"{base_url}/api/missions/", headers={"Authorization": f"Token {key}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answers.append(response.status)
        except urllib.error.HTTPError as refused:
            answers.append(refused.code)
    return answers


def test_a_revoked_token_is_refused_by_every_process(asgi_server, user):
    key = api_token_for(user)
    assert statuses(asgi_server, key) == [200] * REQUESTS

    ApiToken.revoke(ApiToken.objects.filter(user=user))

    assert statuses(asgi_server, key) == [401] * REQUESTS


def test_a_deactivated_user_is_refused_by_every_process(asgi_server, user):
    key = api_token_for(user)
    assert statuses(asgi_server, key) == [200] * REQUESTS

    user.is_active = False
    user.save()

    assert statuses(asgi_server, key) == [401] * REQUESTS


def test_a_removed_membership_is_refused_by_every_process(asgi_server, user):
    key = api_token_for(user)
    assert statuses(asgi_server, key) == [200] * REQUESTS

    Membership.objects.filter(user=user).delete()

    assert statuses(asgi_server, key) == [403] * REQUESTS
