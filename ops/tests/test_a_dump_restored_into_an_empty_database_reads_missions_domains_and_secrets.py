"""Backup and restore as docs/operations.md tells it: ``pg_dump -Fc`` of a live REX database, ``pg_restore`` into a
new empty database, and the restored missions, domains and encrypted secrets (an inbox's SMTP password, a domain's
DKIM key) read back with the same REX_ENCRYPTION_KEYS; with other keys the secrets stay unreadable."""

from __future__ import annotations

import os
import subprocess
import uuid

import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import connection

from core.crypto import SecretUnreadable, decrypt, encrypt, generate_key
from domains.models import Domain
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import Inbox
from missions.models import Mission


def _conninfo(dbname: str) -> dict[str, str]:
    s = connection.settings_dict
    return {"host": s["HOST"] or "127.0.0.1", "port": str(s["PORT"] or 5432), "user": s["USER"] or "postgres",
            "password": s.get("PASSWORD") or "", "dbname": dbname}


def _pg_env(info: dict[str, str]) -> dict[str, str]:
    # libpq's own variables, so no password appears on a command line.
    return {**os.environ, "PGHOST": info["host"], "PGPORT": info["port"], "PGUSER": info["user"],
            "PGPASSWORD": info["password"]}


@pytest.fixture
def empty_database(transactional_db):
    name = f"rex_restore_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def live_data(organization):
    private_pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    domain = create_domain(organization, "acme-mail.example", dkim_private_key_encrypted=encrypt(private_pem))
    [inbox] = add_inboxes(domain, password="smtp-password-of-rep0")
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="backup-test",
                                     params={"fail_times": 0}, status="succeeded", result={"ok": True})
    return {"domain": domain.name, "private_pem": private_pem, "inbox": inbox.address, "mission": mission.pk}


def test_a_restored_dump_reads_back_missions_domains_and_encrypted_secrets(live_data, empty_database, tmp_path,
                                                                           settings):
    source = _conninfo(connection.settings_dict["NAME"])
    target = _conninfo(empty_database)
    dump = tmp_path / "rex.dump"
    subprocess.run(["pg_dump", "-Fc", "--no-owner", "-d", source["dbname"], "-f", str(dump)], env=_pg_env(source),
                   check=True, capture_output=True, timeout=120)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "-d", target["dbname"], str(dump)],
                   env=_pg_env(target), check=True, capture_output=True, timeout=120)

    with psycopg.connect(**target) as restored:
        mission = restored.execute(f"SELECT type, status, params::text FROM {Mission._meta.db_table} WHERE id = %s",
                                   [live_data["mission"]]).fetchone()
        assert mission == ("canary", "succeeded", '{"fail_times": 0}')
        state, dkim_token = restored.execute(
            f"SELECT state, dkim_private_key_encrypted FROM {Domain._meta.db_table} WHERE name = %s",
            [live_data["domain"]]).fetchone()
        password_token = restored.execute(f"SELECT password_encrypted FROM {Inbox._meta.db_table} WHERE address = %s",
                                          [live_data["inbox"]]).fetchone()[0]
        applied = restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0]

    assert state == "ready"
    assert applied > 0  # the schema's history came along: the next release migrates it as usual
    # The same keys read the restored secrets.
    assert decrypt(dkim_token) == live_data["private_pem"]
    assert decrypt(password_token) == "smtp-password-of-rep0"
    # Without them nothing does: the keys are part of the backup.
    settings.REX_ENCRYPTION_KEYS = [generate_key()]
    with pytest.raises(SecretUnreadable):
        decrypt(password_token)
