"""After erasure the person's address, phone number and name appear in no text, JSON or binary column of any table
of the database: every column is scanned in PostgreSQL itself, so a table nobody thought of is scanned too."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection


def _columns() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT table_name, column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema()
              AND data_type IN ('text', 'character varying', 'jsonb', 'json', 'bytea')
            ORDER BY table_name, ordinal_position""")
        return cursor.fetchall()


def _places_holding(needle: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column, data_type in _columns():
            # bytea as text keeps printable ASCII as it is ('escape'), so an address in raw MIME is found too.
            value = f'encode("{column}", \'escape\')' if data_type == "bytea" else f'"{column}"::text'
            cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {value} ILIKE %s', [f"%{needle}%"])
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_the_scan_finds_the_person_before_erasure(jane):
    # The scan is only worth its silence below if it sees the data where it is.
    assert {"campaigns_contact.email", "replies_inboundmessage.raw", "agent_logs.payload",
            "llm_requests.pseudonyms", "missions_commanddecision.text"} <= set(_places_holding(jane.email))


def test_no_column_of_any_table_holds_the_address_phone_or_name_after_erasure(jane, organization):
    call_command("rex_erase_contact", jane.email, stdout=io.StringIO())
    for needle in (jane.email, jane.phone, "Jane Doe"):
        assert _places_holding(needle) == [], needle
