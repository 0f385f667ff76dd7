from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from core import crypto


def test_malformed_key_is_named_by_its_position_never_shown(settings):
    bad = "not-a-fernet-key-but-a-secret-all-the-same"
    settings.REX_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), bad]

    with pytest.raises(ImproperlyConfigured) as refused:
        crypto.encrypt("x")

    assert "REX_ENCRYPTION_KEYS[1] (key 2 of 2) is not a valid Fernet key" in str(refused.value)
    assert bad not in str(refused.value)


def test_fingerprint_identifies_the_primary_key_without_revealing_it(settings):
    primary, older = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.REX_ENCRYPTION_KEYS = [primary, older]

    fingerprint = crypto.primary_key_id()

    assert len(fingerprint) == 8 and fingerprint not in primary
    assert crypto.key_ids()[0] == fingerprint and len(set(crypto.key_ids())) == 2
    settings.REX_ENCRYPTION_KEYS = [older]
    assert crypto.primary_key_id() != fingerprint  # the cache follows the settings


def test_embedded_key_is_generated_once_and_kept_private(settings, tmp_path, monkeypatch):
    settings.REX_ENCRYPTION_KEYS = []
    settings.VAR_DIR = tmp_path

    token = crypto.encrypt("dkim private key")
    key_file = tmp_path / "encryption_key"

    assert key_file.stat().st_mode & 0o777 == 0o600
    Fernet(key_file.read_bytes())  # a usable key, not a placeholder
    first = key_file.read_text()
    monkeypatch.setattr(crypto, "_cache", None)  # as a new process would start: the key comes from the file
    assert crypto.decrypt(token) == "dkim private key"
    assert key_file.read_text() == first


def test_generated_keys_are_valid_fernet_keys():
    Fernet(crypto.generate_key())
