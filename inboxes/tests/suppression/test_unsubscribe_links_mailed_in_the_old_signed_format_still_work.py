"""Links mailed before tokens were encrypted (signed base64 JSON) still show the page and unsubscribe, until they
are older than REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS like any link."""

from __future__ import annotations

from django.core import signing

from inboxes.models import Suppression
from inboxes.unsubscribe import SALT


def old_format_token(organization, email: str, contact=None) -> str:
    """Exactly what inboxes.unsubscribe.make_token wrote before: django.core.signing, compressed, salt v1."""
    payload = {"o": organization.pk, "e": email, "c": contact.pk if contact is not None else None}
    return signing.dumps(payload, salt=SALT, compress=True)


def test_an_old_link_shows_the_page_and_unsubscribes_the_address_and_phone(client, make_contact, sender):
    contact = make_contact("bob@client.example", phone="+14155550123")
    path = f"/u/{old_format_token(sender, contact.email, contact)}"

    page = client.get(path)
    done = client.post(path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")

    assert page.status_code == 200 and "bob@client.example" in page.content.decode()
    assert done.status_code == 200
    assert Suppression.objects.filter(email="bob@client.example").exists()
    assert Suppression.objects.filter(phone="+14155550123").exists()


def test_an_old_link_signed_under_a_retired_secret_key_works_while_that_key_is_a_fallback(client, sender, settings):
    token = old_format_token(sender, "carol@client.example")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-of-enough-length-for-the-tests-0123456789"

    assert client.get(f"/u/{token}").status_code == 200

    settings.SECRET_KEY_FALLBACKS = []
    assert client.get(f"/u/{token}").status_code == 400
