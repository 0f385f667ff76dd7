from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from core.crypto import SecretUnreadable
from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox

SECRET = "smtp-Pa55word!é"


@pytest.fixture
def keys(settings) -> list[str]:
    settings.REX_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    return settings.REX_ENCRYPTION_KEYS


def test_password_is_stored_only_as_a_fernet_token(organization, keys):
    inbox = make_inbox(make_domain(organization))
    inbox.set_password(SECRET)
    inbox.save()

    stored = Inbox.objects.get(pk=inbox.pk)
    assert SECRET not in stored.password_encrypted
    assert stored.password_encrypted.startswith("gAAAAA")  # a Fernet token (version byte 0x80)
    assert stored.password == SECRET
    assert stored.has_password
    assert SECRET not in str(stored) and SECRET not in repr(stored)


def test_empty_password_clears_the_secret(organization, keys):
    inbox = make_inbox(make_domain(organization))
    inbox.set_password(SECRET)
    inbox.set_password("")
    inbox.save()

    stored = Inbox.objects.get(pk=inbox.pk)
    assert stored.password_encrypted == ""
    assert stored.password == ""
    assert not stored.has_password


def test_password_under_a_dropped_key_is_reported_unreadable(organization, keys, settings):
    inbox = make_inbox(make_domain(organization))
    inbox.set_password(SECRET)
    settings.REX_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]

    with pytest.raises(SecretUnreadable) as unreadable:
        _ = inbox.password

    assert "cannot be decrypted by any of the 1 configured encryption keys" in str(unreadable.value)
    assert SECRET not in str(unreadable.value) and keys[0] not in str(unreadable.value)
