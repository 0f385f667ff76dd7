from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError

from core import crypto
from domains.models import Domain
from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox

KEY_A, KEY_B = Fernet.generate_key().decode(), Fernet.generate_key().decode()
PEM = "-----BEGIN PRIVATE KEY-----\nMIIB...test...\n-----END PRIVATE KEY-----\n"


def run(*args: str) -> str:
    out = StringIO()
    call_command("rex_rotate_key", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_rotation_moves_every_secret_to_the_new_key(organization, settings):
    settings.REX_ENCRYPTION_KEYS = [KEY_A]
    domain = make_domain(organization)
    Domain.objects.filter(pk=domain.pk).update(dkim_private_key_encrypted=crypto.encrypt(PEM))
    inboxes = [make_inbox(domain, f"sender{n}") for n in range(3)]
    for n, inbox in enumerate(inboxes):
        inbox.set_password(f"password-{n}")
        inbox.save()
    make_inbox(domain, "nopassword")  # no secret: not counted, not touched

    settings.REX_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    with pytest.raises(CommandError, match=r"4 secret\(s\) need rotation"):
        run("--check")

    output = run("--batch-size", "2")
    assert "4 secret(s): 4 rotated to key" in output and "0 already current" in output
    assert run("--check").count("0 need rotation") == 1
    again = run()
    assert "0 rotated" in again and "4 already current" in again

    settings.REX_ENCRYPTION_KEYS = [KEY_B]  # the old key is gone: everything still reads
    assert [Inbox.objects.get(pk=i.pk).password for i in inboxes] == ["password-0", "password-1", "password-2"]
    assert crypto.decrypt(Domain.objects.get(pk=domain.pk).dkim_private_key_encrypted) == PEM


def test_output_never_contains_keys_or_secrets(organization, settings):
    settings.REX_ENCRYPTION_KEYS = [KEY_A]
    inbox = make_inbox(make_domain(organization))
    inbox.set_password("very-secret-password")
    inbox.save()
    settings.REX_ENCRYPTION_KEYS = [KEY_B, KEY_A]

    output = run()

    assert crypto.primary_key_id() in output
    for secret in (KEY_A, KEY_B, "very-secret-password"):
        assert secret not in output
