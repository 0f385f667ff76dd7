"""Secrets at rest (inbox passwords, API keys, DKIM private keys): Fernet tokens under a rotating key list.

Keys come from ``settings.REX_ENCRYPTION_KEYS``, newest first. The first key encrypts; every key decrypts, so a
new key can be put in front while old tokens stay readable, and ``manage.py rex_rotate_key`` re-encrypts them
with it before the old key is dropped. With no key configured (the embedded set-up) one key is generated once
and kept in ``VAR_DIR / "encryption_key"`` (mode 0600), so nobody has to invent one to try REX.

Nothing here ever logs, repeats or formats a key or a plaintext into an error message: a malformed key is named
by its position in the list, an unreadable token by what it is, and ``primary_key_id()`` gives a fingerprint
that is safe to display.

``derived_fernet(purpose)`` is the other kind of key: not for secrets at rest but for values we hand out and read
back (unsubscribe links), keyed from DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FALLBACKS, one key per purpose, so a
secret-key rotation follows Django's own (the old key moves to the fallbacks) and nothing needs re-encrypting.

It lives in ``core`` because encryption at rest is a platform concern: inboxes keep their passwords with it and
domains their DKIM keys, and domains sits below inboxes. It imports no project app; the columns to rotate are
named by model label in ``ENCRYPTED_FIELDS`` and looked up through the app registry only when a rotation runs.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

__all__ = [
    "ENCRYPTED_FIELDS",
    "SecretUnreadable",
    "SecretsReport",
    "decrypt",
    "derived_fernet",
    "encrypt",
    "generate_key",
    "is_current",
    "key_ids",
    "primary_key_id",
    "rotate",
    "rotate_stored_secrets",
    "stored_secrets_count",
]

KEY_FILE_NAME = "encryption_key"


class SecretUnreadable(Exception):
    """A stored secret that none of the configured keys can decrypt (a key was dropped too early, or it is corrupt)."""


_lock = threading.Lock()
# (the configuration it was built from, the keys as bytes, the MultiFernet); rebuilt when settings change, which
# override_settings and the pytest `settings` fixture do mid-process.
_cache: tuple[tuple[tuple[str, ...], str], tuple[bytes, ...], MultiFernet, Fernet] | None = None


def generate_key() -> str:
    """A new Fernet key (urlsafe base64 text), to be put first in REX_ENCRYPTION_KEYS."""
    return Fernet.generate_key().decode("ascii")


def _embedded_key(var_dir: Path) -> str:
    path = var_dir / KEY_FILE_NAME
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting at once must not each write their own key (one would lose its secrets).
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate_key())
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty; remove it to have a new key generated (existing secrets "
                                   "encrypted with the old key will be unreadable) or set REX_ENCRYPTION_KEYS")
    return key


def _configured_keys() -> tuple[tuple[str, ...], str]:
    raw = getattr(settings, "REX_ENCRYPTION_KEYS", None) or []
    if isinstance(raw, str):  # a single key given as a plain string instead of a list
        raw = [raw]
    return tuple(str(key).strip() for key in raw if str(key).strip()), str(settings.VAR_DIR)


def _fernets() -> tuple[tuple[bytes, ...], MultiFernet, Fernet]:
    global _cache
    config = _configured_keys()
    cached = _cache
    if cached is not None and cached[0] == config:
        return cached[1], cached[2], cached[3]
    with _lock:
        keys, var_dir = config
        from_file = not keys
        if from_file:
            keys = (_embedded_key(Path(var_dir)),)
        fernets = []
        for position, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, UnicodeEncodeError, TypeError):
                where = f"{Path(var_dir) / KEY_FILE_NAME}" if from_file else f"REX_ENCRYPTION_KEYS[{position - 1}]"
                # Never include the key itself: this message reaches logs and consoles.
                raise ImproperlyConfigured(
                    f"{where} (key {position} of {len(keys)}) is not a valid Fernet key: it must be 32 bytes in "
                    "urlsafe base64 (44 characters); make one with `manage.py rex_rotate_key --generate`"
                ) from None
        key_bytes = tuple(key.encode("ascii") for key in keys)
        multi = MultiFernet(fernets)
        _cache = (config, key_bytes, multi, fernets[0])
        return key_bytes, multi, fernets[0]


def _fingerprint(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def primary_key_id() -> str:
    """A short fingerprint of the key that encrypts (first 8 hex of its SHA-256); safe to display, not the key."""
    return _fingerprint(_fernets()[0][0])


def key_ids() -> list[str]:
    """Fingerprints of every configured key, newest (primary) first."""
    return [_fingerprint(key) for key in _fernets()[0]]


def encrypt(plaintext: str) -> str:
    """The Fernet token of ``plaintext`` under the primary key."""
    return _fernets()[1].encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token written by ``encrypt``, with whichever configured key wrote it."""
    try:
        return _fernets()[1].decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SecretUnreadable(
            f"a stored secret cannot be decrypted by any of the {len(_fernets()[0])} configured encryption keys "
            f"(primary {primary_key_id()}); the key that encrypted it was removed from REX_ENCRYPTION_KEYS or the "
            "value is corrupt"
        ) from exc


def rotate(token: str) -> str:
    """The same secret re-encrypted under the primary key (a fresh token even if it already was)."""
    try:
        return _fernets()[1].rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SecretUnreadable(
            f"a stored secret cannot be decrypted by any of the {len(_fernets()[0])} configured encryption keys, "
            "so it cannot be rotated"
        ) from exc


def is_current(token: str) -> bool:
    """Whether the primary key alone reads ``token`` (False means it needs ``rotate``, or is unreadable)."""
    try:
        _fernets()[2].decrypt(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError):
        return False
    return True


# --- keys derived from the secret key, for tokens we hand out ----------------------------------------------------

def _derive(secret: str, purpose: str) -> Fernet:
    # HKDF with the purpose as its info: each purpose gets an independent key, and none of them is the secret key
    # itself (which Django's signing also uses).
    raw = HKDF(algorithm=SHA256(), length=32, salt=None, info=f"rex:{purpose}".encode()).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


@lru_cache(maxsize=32)
def _derived(secrets: tuple[str, ...], purpose: str) -> MultiFernet:
    return MultiFernet([_derive(secret, purpose) for secret in secrets])


def derived_fernet(purpose: str) -> MultiFernet:
    """Authenticated encryption (Fernet: AES-128-CBC + HMAC-SHA256, timestamped) for ``purpose``.

    Encrypts under a key derived from SECRET_KEY; decrypts with that or one derived from any of
    SECRET_KEY_FALLBACKS. Read from settings on each call, so a test's override takes effect.
    """
    secrets = (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ()))
    return _derived(tuple(str(secret) for secret in secrets), purpose)


# --- the stored secrets, for rotation (manage.py rex_rotate_key) -----------------------------------------------------

# Every column that holds a token of this module, as (app_label.Model, field). A new encrypted column is added
# here so that rotation and its check cover it. Labels, not imports: core sits below every app that owns them.
ENCRYPTED_FIELDS: tuple[tuple[str, str], ...] = (
    ("inboxes.Inbox", "password_encrypted"),
    ("domains.Domain", "dkim_private_key_encrypted"),
)


@dataclass
class SecretsReport:
    """What a rotation or a check found. Rows are named "Model id N (field)", never by their secret."""

    current: int = 0          # the primary key reads it: nothing to do
    rotated: int = 0          # re-encrypted under the primary key (rotation), or would be (check)
    changed_meanwhile: int = 0  # rewritten by someone else between read and write; theirs is kept
    unreadable: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.current + self.rotated + self.changed_meanwhile + len(self.unreadable)


def _stored_fields() -> list[tuple[type[Model], str]]:
    from django.apps import apps

    return [(apps.get_model(label), name) for label, name in ENCRYPTED_FIELDS]


def _with_secret(model: type[Model], name: str) -> QuerySet:
    return model._default_manager.exclude(**{name: ""})


def stored_secrets_count() -> int:
    return sum(_with_secret(model, name).count() for model, name in _stored_fields())


def _batches(model: type[Model], name: str, batch_size: int) -> Iterator[list[tuple[int, str]]]:
    # Keyset pagination on the primary key: constant cost per batch, and rows written meanwhile are not skipped.
    last = None
    while True:
        rows = _with_secret(model, name).order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.values_list("pk", name)[:batch_size])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _label(model: type[Model], pk: int, name: str) -> str:
    return f"{model._meta.label} id {pk} ({name})"


def rotate_stored_secrets(*, batch_size: int = 500, check_only: bool = False,
                          progress: Callable[[int], object] | None = None) -> SecretsReport:
    """Re-encrypt every stored secret the primary key does not read directly, batch by batch.

    Each row is rewritten by a conditional update on the token it was read with, so a password changed by
    someone meanwhile is never overwritten with the old one. A secret no configured key can read is left
    exactly as it is and named in ``unreadable``; the rest are rotated all the same. ``check_only`` counts
    without writing (``rotated`` is then what needs rotation).
    """
    from django.db import transaction

    report = SecretsReport()
    for model, name in _stored_fields():
        for batch in _batches(model, name, batch_size):
            with transaction.atomic():
                for pk, token in batch:
                    if is_current(token):
                        report.current += 1
                        continue
                    try:
                        new_token = rotate(token)
                    except SecretUnreadable:
                        report.unreadable.append(_label(model, pk, name))
                        continue
                    if check_only:
                        report.rotated += 1
                    elif model._default_manager.filter(pk=pk, **{name: token}).update(**{name: new_token}):
                        report.rotated += 1
                    else:
                        report.changed_meanwhile += 1
            if progress is not None:
                progress(len(batch))
    return report
