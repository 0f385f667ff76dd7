"""Contacts through the API: phone numbers stored in E.164, zones and phones checked (400 on the field, never a
500), custom field keys normalized, lists by slug, the source saying who added it, one email per organization."""

from campaigns.models import Contact


def test_contact_crud(api_client, contact_list):
    created = api_client.post("/api/contacts/", {
        "email": " Ann@Client.Example ", "phone": "+44 7911 123456", "first_name": "Ann", "company": "Initech",
        "timezone": "Europe/London", "custom_fields": {"Job Title": "CTO", "Seats": 40}, "lists": ["leads"]},
        format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["email"], body["phone"], body["source"]) == ("ann@client.example", "+447911123456", "api by alice")
    assert (body["custom_fields"], body["lists"]) == ({"job_title": "CTO", "seats": "40"}, ["leads"])
    pk = body["id"]

    assert api_client.get(f"/api/contacts/{pk}/").json() == body
    assert [c["id"] for c in api_client.get("/api/contacts/?list=leads&q=initech").json()["results"]] == [pk]
    assert api_client.get("/api/contacts/?q=nobody").json()["count"] == 0
    changed = api_client.patch(f"/api/contacts/{pk}/", {"last_name": "Lee", "lists": []}, format="json")
    assert (changed.status_code, changed.json()["last_name"], changed.json()["lists"]) == (200, "Lee", [])
    assert api_client.delete(f"/api/contacts/{pk}/").status_code == 204
    assert not Contact.objects.exists()


def test_bad_fields_are_refused_on_the_field(api_client, add_contact):
    add_contact("ann@client.example")

    cases = [
        ({"email": "bob@client.example", "phone": "07911 123456"}, "phone",
         "write the number in international form with its country code, e.g. +447700900123"),
        ({"email": "bob@client.example", "phone": "+1 555 0100"}, "phone", "+1 555 0100 is not a valid phone number"),
        ({"email": "bob@client.example", "timezone": "Europe/Atlantis"}, "timezone",
         "unknown time zone 'Europe/Atlantis'; use an IANA name such as Europe/Paris"),
        ({"email": "ANN@client.example"}, "email", "ann@client.example is already a contact of your organization"),
        ({"email": "bob@client.example", "lists": ["nope"]}, "lists", "no contact list 'nope' in your organization"),
        ({"first_name": "Nobody"}, "email", "a contact needs an email or a phone number"),
    ]
    for fields, field, message in cases:
        response = api_client.post("/api/contacts/", fields, format="json")
        assert response.status_code == 400, fields
        assert response.json() == {field: [message]}, fields
    assert api_client.post("/api/contacts/", {"email": "x@y.example", "custom_fields": {"a": {"b": 1}}},
                           format="json").status_code == 400
    assert api_client.get("/api/contacts/?list=nope").status_code == 400
    assert Contact.objects.count() == 1


def test_another_organizations_contacts_are_not_found(api_client, add_contact, other_organization_client):
    ann = add_contact("ann@client.example")

    assert other_organization_client.get(f"/api/contacts/{ann.pk}/").status_code == 404
    assert other_organization_client.delete(f"/api/contacts/{ann.pk}/").status_code == 404
    assert other_organization_client.get("/api/contacts/").json()["count"] == 0
    # The same email is free in another organization.
    assert other_organization_client.post("/api/contacts/", {"email": "ann@client.example"},
                                          format="json").status_code == 201


def test_lists_are_created_and_listed_with_their_contact_counts(api_client, add_contact):
    add_contact("ann@client.example")

    created = api_client.post("/api/lists/", {"name": "Q3 Leads"}, format="json")
    duplicate = api_client.post("/api/lists/", {"name": "Q3 leads"}, format="json")

    assert (created.status_code, created.json()["slug"], created.json()["contacts"]) == (201, "q3-leads", 0)
    assert duplicate.status_code == 400 and set(duplicate.json()) == {"slug"}
    rows = api_client.get("/api/lists/").json()["results"]
    assert [(r["slug"], r["contacts"]) for r in rows] == [("leads", 1), ("q3-leads", 0)]
