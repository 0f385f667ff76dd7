from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes
from tenants.models import Organization


def upload(data: bytes, name: str = "leads.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_the_same_email_in_two_organizations_is_two_contacts(api_client, other_organization_client, organization):
    data = csv_bytes("email,first_name", "ann@x.example,Ann")

    mine = api_client.post("/api/contacts/import", {"file": upload(data), "list": "Leads"}, format="multipart")
    theirs = other_organization_client.post("/api/contacts/import", {"file": upload(data), "list": "Leads"},
                                            format="multipart")

    assert mine.status_code == theirs.status_code == 201, (mine.content, theirs.content)
    assert mine.json()["created"] == theirs.json()["created"] == 1
    globex = Organization.objects.get(slug="globex")
    ann_acme = Contact.objects.get(organization=organization)
    ann_globex = Contact.objects.get(organization=globex)
    assert ann_acme.pk != ann_globex.pk
    assert ann_acme.source == "csv:leads.csv row 2 by alice"
    assert ann_globex.source == "csv:leads.csv row 2 by bob"
    assert ann_acme.lists.get().organization == organization
    assert ann_globex.lists.get().organization == globex


def test_the_report_comes_back_with_201(api_client, organization):
    data = csv_bytes("email", "ann@x.example", "ann@x.example")

    response = api_client.post("/api/contacts/import", {"file": upload(data), "list": "Spring Leads"},
                               format="multipart")

    assert response.status_code == 201
    assert response.json() == {
        "ok": True, "list": "spring-leads", "rows": 2, "imported": 1, "created": 1, "existing": 0,
        "duplicates_in_file": [{"row": 3, "duplicate_of": 2}], "suppressed": 0, "errors": [], "encoding": "utf-8",
        "warnings": []}


def test_a_missing_file_or_list_is_a_field_error(api_client, organization):
    no_file = api_client.post("/api/contacts/import", {"list": "Leads"}, format="multipart")
    no_list = api_client.post("/api/contacts/import", {"file": upload(csv_bytes("email", "a@x.example"))},
                              format="multipart")
    bad_list = api_client.post("/api/contacts/import", {"file": upload(csv_bytes("email", "a@x.example")),
                                                        "list": "???"}, format="multipart")

    assert no_file.status_code == no_list.status_code == bad_list.status_code == 400
    assert set(no_file.json()) == {"file"}
    assert set(no_list.json()) == {"list"}
    assert bad_list.json() == {"list": ["'???' cannot name a list: use letters or digits"]}
    assert not ContactList.objects.exists()


def test_a_json_body_is_refused_as_an_unsupported_media_type(api_client):
    response = api_client.post("/api/contacts/import", {"list": "Leads"}, format="json")

    assert response.status_code == 415


def test_a_caller_outside_any_organization_cannot_import(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", "n@x.example", "pw"))

    response = client.post("/api/contacts/import", {"file": upload(csv_bytes("email", "a@x.example")),
                                                    "list": "Leads"})

    assert response.status_code == 403
    assert not Contact.objects.exists()
