"""``manage.py rex_rotate_key``: re-encrypt every stored secret with the primary (first) encryption key.

    manage.py rex_rotate_key --generate   print a new key and how to install it
    manage.py rex_rotate_key              rotate: secrets the primary key cannot read directly are re-encrypted
    manage.py rex_rotate_key --check      count what still needs rotation; exit 1 if anything does

The procedure (docs/inboxes.md): generate a key, put it first in REX_ENCRYPTION_KEYS keeping the old ones after
it, restart, run this command, check, then drop the old keys. Secrets are inbox passwords / API keys and domains'
DKIM private keys (``core.crypto.ENCRYPTED_FIELDS``). Keys and secrets are never printed, only fingerprints.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core import crypto

MAX_NAMED = 10


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the primary key of REX_ENCRYPTION_KEYS (--check, --generate)."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--check", action="store_true",
                          help="only count the secrets the primary key cannot read directly; exit 1 if any")
        mode.add_argument("--generate", action="store_true", help="print a new key and how to install it")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["generate"]:
            self.generate()
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        fingerprints = crypto.key_ids()  # raises ImproperlyConfigured, naming the position, for a malformed key
        source = "REX_ENCRYPTION_KEYS" if settings.REX_ENCRYPTION_KEYS else f"{settings.VAR_DIR}/encryption_key"
        self.stdout.write(f"keys ({source}), newest first: {', '.join(fingerprints)}; primary {fingerprints[0]}")

        total = crypto.stored_secrets_count()
        with tqdm(total=total, unit="secret", desc="checking" if options["check"] else "rotating",
                  file=sys.stderr, disable=None) as bar:
            report = crypto.rotate_stored_secrets(batch_size=options["batch_size"], check_only=options["check"],
                                                  progress=bar.update)

        if options["check"]:
            self.stdout.write(f"{report.total} secret(s): {report.current} read by the primary key, "
                              f"{report.rotated} need rotation, {len(report.unreadable)} unreadable by every key")
        else:
            self.stdout.write(f"{report.total} secret(s): {report.rotated} rotated to key {fingerprints[0]}, "
                              f"{report.current} already current"
                              + (f", {report.changed_meanwhile} changed by someone else meanwhile (kept)"
                                 if report.changed_meanwhile else "")
                              + (f", {len(report.unreadable)} unreadable" if report.unreadable else ""))
        if report.unreadable:
            named = ", ".join(report.unreadable[:MAX_NAMED])
            more = f" and {len(report.unreadable) - MAX_NAMED} more" if len(report.unreadable) > MAX_NAMED else ""
            raise CommandError(
                f"{len(report.unreadable)} secret(s) cannot be decrypted by any configured key and were left "
                f"untouched: {named}{more}; put the key that encrypted them back in REX_ENCRYPTION_KEYS "
                "(after the primary) and run again, or set those secrets anew")
        if options["check"] and report.rotated:
            raise CommandError(f"{report.rotated} secret(s) need rotation to the primary key {fingerprints[0]}: "
                               "run `manage.py rex_rotate_key`")
        if not options["check"]:
            self.stdout.write(self.style.SUCCESS(
                "every secret is now encrypted with the primary key; keys after it may be removed from "
                "REX_ENCRYPTION_KEYS once every process runs with the new list"))

    def generate(self) -> None:
        key = crypto.generate_key()
        self.stdout.write(key)
        # The instructions go to stderr so that `KEY=$(manage.py rex_rotate_key --generate)` captures the key only.
        self.stderr.write(
            "Install it as the FIRST entry of REX_ENCRYPTION_KEYS, keeping the current keys after it, e.g.\n"
            f"  REX_ENCRYPTION_KEYS={key},<current keys...>\n"
            "(with no REX_ENCRYPTION_KEYS set, the current key is the one in "
            f"{settings.VAR_DIR}/encryption_key: put its content second).\n"
            "Restart every web and worker process, run `manage.py rex_rotate_key`, check with "
            "`manage.py rex_rotate_key --check`, then remove the old keys and restart again.",
            style_func=str)
