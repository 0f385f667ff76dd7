"""An encrypted unsubscribe token that was altered, encrypted under another key or is too old answers 400 with the
reason and suppresses nobody; one made under a secret key that was rotated out works while that key is a fallback."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from core.crypto import derived_fernet
from inboxes.models import Suppression
from inboxes.unsubscribe import PURPOSE, make_token


def post(client, token: str):
    return client.post(f"/u/{token}", data="List-Unsubscribe=One-Click",
                       content_type="application/x-www-form-urlencoded")


def flipped(token: str, position: int) -> str:
    return token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1:]


def test_altered_or_foreign_tokens_are_not_valid(client, sender):
    good = make_token(sender, "bob@client.example")
    foreign = derived_fernet("another.purpose").encrypt(b'{"o":1,"e":"eve@client.example","c":null}').decode()

    for token in (flipped(good, len(good) // 2), flipped(good, 12), good[:-8], foreign, "garbage"):
        response = post(client, token)
        assert response.status_code == 400, token
        assert "not valid" in response.content.decode()
    assert not Suppression.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_token_older_than_the_max_age_has_expired(method, client, sender, settings):
    settings.REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = 365
    long_ago = int(time.time() - timedelta(days=400).total_seconds())
    payload = f'{{"o":{sender.pk},"e":"bob@client.example","c":null}}'.encode()
    token = derived_fernet(PURPOSE).encrypt_at_time(payload, long_ago).decode()

    response = getattr(client, method)(f"/u/{token}")

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not Suppression.objects.exists()


def test_a_token_made_before_a_secret_key_rotation_works_while_the_old_key_is_a_fallback(client, sender, settings):
    token = make_token(sender, "bob@client.example")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-of-enough-length-for-the-tests-0123456789"

    assert client.get(f"/u/{token}").status_code == 200
    assert make_token(sender, "bob@client.example") != token

    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(f"/u/{token}").status_code == 400
