"""``GET /api/contacts/export?email=`` and ``POST /api/contacts/erase``: Django staff only, for the caller's own
organization (another organization's person is 404 like an unknown one), 400 with field errors on bad input."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from campaigns.models import Contact
from conftest import api_token_for
from inboxes.addresses import email_digest
from tenants.models import Membership, Organization


@pytest.fixture
def staff_client(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


def test_staff_export_the_person_of_their_organization(staff_client, jane):
    response = staff_client.get("/api/contacts/export", {"email": jane.email.upper()})
    assert response.status_code == 200
    assert response.json()["contact"]["last_name"] == "Doe"
    assert len(response.json()["messages_sent"]) == 2


def test_staff_erase_the_person_of_their_organization(staff_client, jane):
    response = staff_client.post("/api/contacts/erase", {"email": jane.email}, format="json")
    assert response.status_code == 200
    assert response.json()["email_sha256"] == email_digest(jane.email)
    assert Contact.objects.get(pk=jane.contact.pk).email == ""


def test_a_member_who_is_not_staff_is_refused(api_client, jane):
    assert api_client.get("/api/contacts/export", {"email": jane.email}).status_code == 403
    assert api_client.post("/api/contacts/erase", {"email": jane.email}, format="json").status_code == 403
    assert Contact.objects.get(pk=jane.contact.pk).email == jane.email


def test_anonymous_callers_are_refused(jane):
    assert APIClient().get("/api/contacts/export", {"email": jane.email}).status_code in {401, 403}


def test_another_organizations_person_is_404_like_an_unknown_one(jane, django_user_model):
    globex = Organization.objects.create(name="Globex", slug="globex")
    bob = django_user_model.objects.create_user("bob", "bob@globex.example", "another horse battery",
                                                is_staff=True)
    Membership.objects.create(user=bob, organization=globex)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(bob)}")
    assert client.get("/api/contacts/export", {"email": jane.email}).status_code == 404
    response = client.post("/api/contacts/erase", {"email": jane.email}, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": f"REX holds nothing about {jane.email} in globex"}
    assert Contact.objects.get(pk=jane.contact.pk).email == jane.email


def test_a_missing_or_malformed_email_is_a_field_error(staff_client, organization):
    response = staff_client.get("/api/contacts/export")
    assert response.status_code == 400
    assert "email" in response.json()
    response = staff_client.post("/api/contacts/erase", {"email": "not-an-address"}, format="json")
    assert response.status_code == 400
    assert "email" in response.json()
