from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox

KEY_A, KEY_B, LOST = (Fernet.generate_key().decode() for _ in range(3))


def test_unreadable_secret_is_named_and_left_untouched_while_the_rest_rotate(organization, settings):
    domain = make_domain(organization)
    orphan, fine = make_inbox(domain, "orphan"), make_inbox(domain, "fine")
    settings.REX_ENCRYPTION_KEYS = [LOST]
    orphan.set_password("under a lost key")
    orphan.save()
    settings.REX_ENCRYPTION_KEYS = [KEY_A]
    fine.set_password("under key A")
    fine.save()
    orphan_token = Inbox.objects.get(pk=orphan.pk).password_encrypted

    settings.REX_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    with pytest.raises(CommandError) as refused:
        call_command("rex_rotate_key", stdout=StringIO(), stderr=StringIO())

    assert f"inboxes.Inbox id {orphan.pk} (password_encrypted)" in str(refused.value)
    assert "1 secret(s) cannot be decrypted by any configured key and were left untouched" in str(refused.value)
    assert Inbox.objects.get(pk=orphan.pk).password_encrypted == orphan_token
    settings.REX_ENCRYPTION_KEYS = [KEY_B]
    assert Inbox.objects.get(pk=fine.pk).password == "under key A"


def test_check_also_fails_on_an_unreadable_secret(organization, settings):
    inbox = make_inbox(make_domain(organization))
    settings.REX_ENCRYPTION_KEYS = [LOST]
    inbox.set_password("under a lost key")
    inbox.save()
    settings.REX_ENCRYPTION_KEYS = [KEY_A]

    with pytest.raises(CommandError, match=rf"inboxes.Inbox id {inbox.pk} \(password_encrypted\)"):
        call_command("rex_rotate_key", "--check", stdout=StringIO(), stderr=StringIO())
