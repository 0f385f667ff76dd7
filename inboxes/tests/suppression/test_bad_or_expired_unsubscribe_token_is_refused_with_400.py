import time
from datetime import timedelta

import pytest
from django.core import signing

from inboxes.models import Suppression
from inboxes.unsubscribe import SALT, make_token


class SignedLongAgo(signing.TimestampSigner):
    def timestamp(self) -> str:
        return signing.b62_encode(int(time.time() - timedelta(days=400).total_seconds()))


def expired_token(organization, email: str) -> str:
    return SignedLongAgo(salt=SALT).sign_object({"o": organization.pk, "e": email, "c": None}, compress=True)


@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_or_expired_unsubscribe_token_is_refused_with_400(method, client, sender, settings):
    settings.REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS = 365
    good = make_token(sender, "bob@client.example")
    tampered = good[:-1] + ("A" if good[-1] != "A" else "B")  # one character of the signature changed
    forged_payload = signing.dumps({"o": sender.pk, "e": "eve@client.example", "c": None}, salt="another.salt")

    for token, reason in [(tampered, "not valid"), (forged_payload, "not valid"), ("garbage", "not valid"),
                          (expired_token(sender, "bob@client.example"), "expired")]:
        if method == "post":
            response = client.post(f"/u/{token}", data="List-Unsubscribe=One-Click",
                                   content_type="application/x-www-form-urlencoded")
        else:
            response = client.get(f"/u/{token}")
        assert response.status_code == 400, token
        assert reason in response.content.decode()

    assert not Suppression.objects.exists()
