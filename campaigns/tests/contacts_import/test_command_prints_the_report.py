from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rex_import_contacts", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_the_summary_and_duplicates(organization, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(csv_bytes("email", "ann@x.example", "bob@x.example", "ANN@x.example"))

    out, _ = run(str(path), "--list", "Spring Leads", "--organization", "acme", "--actor", "ops")

    assert out.splitlines() == [
        "2 contact(s) from 3 row(s) on list 'spring-leads': 2 created, 0 already known (left as they were), "
        "1 duplicate row(s) in the file skipped",
        "  row 4: same email as row 2 (skipped)",
    ]
    assert ContactList.objects.get().contacts.count() == 2
    assert Contact.objects.get(email="ann@x.example").source == "csv:leads.csv row 2 by ops"


def test_unknown_organization_missing_file_and_bad_header_are_one_line_errors(organization, tmp_path):
    path = tmp_path / "leads.csv"
    path.write_bytes(csv_bytes("name", "Ann"))

    with pytest.raises(CommandError, match=re.escape("no organization with slug 'nope'")):
        run(str(path), "--list", "l", "--organization", "nope")
    with pytest.raises(CommandError, match=re.escape(f"cannot read {tmp_path / 'missing.csv'}: No such file")):
        run(str(tmp_path / "missing.csv"), "--list", "l", "--organization", "acme")
    with pytest.raises(CommandError, match=r"^nothing was imported: the header has no email column"):
        run(str(path), "--list", "l", "--organization", "acme")
    assert not ContactList.objects.exists()
