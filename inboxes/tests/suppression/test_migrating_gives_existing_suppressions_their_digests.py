"""Migration inboxes/0006 digests the suppressions written before it, so the digest-matching checks keep refusing
everyone already on the list; two admin spellings of one phone number become one entry, the oldest kept."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from inboxes.addresses import email_digest, phone_digest

BEFORE = [("inboxes", "0005_bounces_and_incidents")]
AFTER = [("inboxes", "0006_suppression_digests")]


def _migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_rows_get_digests_and_duplicate_phones_merge_into_the_oldest():
    old = _migrate(BEFORE)
    Organization = old.get_model("tenants", "Organization")
    Suppression = old.get_model("inboxes", "Suppression")
    org = Organization.objects.create(name="Acme", slug="acme-migration")
    Suppression.objects.create(organization=org, email="ann@client.example", reason="unsubscribe")
    first = Suppression.objects.create(organization=org, phone="+44 7700 900123", reason="sms_stop")
    Suppression.objects.create(organization=org, phone="+447700900123", reason="manual")
    try:
        new = _migrate(AFTER)
        rows = new.get_model("inboxes", "Suppression").objects.filter(organization_id=org.pk)
        assert {(row.email, row.email_hash) for row in rows if row.email} == {
            ("ann@client.example", email_digest("ann@client.example"))}
        [phone] = [row for row in rows if row.phone]
        assert (phone.pk, phone.phone, phone.phone_hash, phone.reason) == (
            first.pk, "+447700900123", phone_digest("+447700900123"), "sms_stop")
    finally:
        # Back to the latest migration of every app: going back to inboxes 0005 also unapplied whatever depends
        # on 0006, in any app, and the next tests need the whole schema.
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
