"""A new unsubscribe token is encrypted: neither the URL nor any base64 reading of it contains the recipient's
address (the old format decoded to ``{"o":1,"e":"olivia…","c":1}``), and it still unsubscribes that recipient."""

from __future__ import annotations

import base64
import binascii
import zlib

from inboxes.models import Suppression
from inboxes.unsubscribe import make_token, read_token

ADDRESS = "olivia.martin@client.example"


def every_decoding(token: str) -> list[bytes]:
    """What anyone could try on the token: base64 of the whole and of each dot- or colon-separated part, inflated too."""
    readings = [token.encode()]
    for part in [token, *token.replace(":", ".").split(".")]:
        padded = part + "=" * (-len(part) % 4)
        try:
            raw = base64.urlsafe_b64decode(padded)
        except (binascii.Error, ValueError):
            continue
        readings.append(raw)
        try:
            readings.append(zlib.decompress(raw))
        except zlib.error:
            pass
    return readings


def test_the_token_reads_as_noise_but_names_the_recipient_to_us(client, make_contact, sender):
    contact = make_contact(ADDRESS)

    token = make_token(sender, ADDRESS, contact)

    for reading in every_decoding(token):
        assert b"olivia" not in reading.lower()
        assert b"client.example" not in reading.lower()
    assert read_token(token).email == ADDRESS

    response = client.post(f"/u/{token}", data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert Suppression.objects.filter(email=ADDRESS, reason=Suppression.Reason.UNSUBSCRIBE).exists()


def test_two_links_to_the_same_recipient_differ(make_contact, sender):
    # A fresh IV each time: equal tokens would tell an observer two emails went to the same person.
    contact = make_contact(ADDRESS)

    assert make_token(sender, ADDRESS, contact) != make_token(sender, ADDRESS, contact)
