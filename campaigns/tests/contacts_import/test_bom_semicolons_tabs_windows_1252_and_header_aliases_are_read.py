from __future__ import annotations

import pytest

from campaigns.contact_csv import normalize_field_name
from campaigns.contact_import import import_contacts
from campaigns.models import Contact
from campaigns.tests.contacts_import.csv_files import csv_bytes


def test_excel_utf8_with_bom_and_semicolons_and_aliased_headers(organization):
    data = csv_bytes(
        "E-mail;Given Name;Surname;Organization;Mobile;tz;Job Title",
        "ann@x.example;Ann;Lee;Client, Ltd;+1 415 555 0100;america/los_angeles;Head of Sales",
        bom=True,
    )

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    assert report.ok, report.errors
    ann = Contact.objects.get()
    assert (ann.email, ann.first_name, ann.last_name, ann.company, ann.phone, ann.timezone) == (
        "ann@x.example", "Ann", "Lee", "Client, Ltd", "+14155550100", "America/Los_Angeles")
    assert ann.custom_fields == {"job_title": "Head of Sales"}


@pytest.mark.parametrize("header", ["Email Address\tfirstname\tCompany Name\tPhone Number\tTime Zone",
                                    "EMAIL\tFirst Name\tcompany\tphone\ttimezone"])
def test_tab_separated_with_other_spellings_of_the_headers(organization, header):
    data = csv_bytes(header, "bob@x.example\tBob\tAcme\t+44 20 7946 0000\tEurope/London")

    report = import_contacts(organization, "l", data, filename="f.tsv", actor="a")

    assert report.ok, report.errors
    bob = Contact.objects.get()
    assert (bob.first_name, bob.company, bob.phone, bob.timezone) == ("Bob", "Acme", "+442079460000", "Europe/London")


def test_a_windows_1252_file_is_read_and_the_report_says_so(organization):
    data = csv_bytes("Email,First Name,Société", "zoe@x.example,Zoë,Café Crème", encoding="cp1252")

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    assert report.ok, report.errors
    assert report.encoding == "cp1252"
    assert report.warnings == ["the file is not UTF-8; it was read as Windows-1252 (check accented letters)"]
    zoe = Contact.objects.get()
    assert (zoe.first_name, zoe.custom_fields) == ("Zoë", {"societe": "Café Crème"})


def test_quoted_cells_keep_their_delimiters_and_line_breaks_and_rows_keep_spreadsheet_numbers(organization):
    data = csv_bytes('email,notes', 'ann@x.example,"first line', 'second, line"', "", "bad,")

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    # The quoted cell spans two lines but is one spreadsheet row (2); the blank line is row 3, skipped.
    assert [(e.row, e.field) for e in report.errors] == [(4, "email")]


@pytest.mark.parametrize(("name", "key"), [("Job Title", "job_title"), ("  LinkedIn URL ", "linkedin_url"),
                                           ("Annual revenue (€)", "annual_revenue"), ("Société", "societe")])
def test_column_names_become_snake_case_keys(name, key):
    assert normalize_field_name(name) == key
