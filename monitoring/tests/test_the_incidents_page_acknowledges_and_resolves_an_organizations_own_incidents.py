"""/incidents/ lists the organization's open and acknowledged incidents with their reasons; Acknowledge and Resolve
move them (a resolved one lists under "Recently resolved" with who closed it); another organization's incident is
a 404, and a GET cannot move anything."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from monitoring.models import Incident
from tenants.models import Membership, Organization

pytestmark = pytest.mark.django_db


def incident_of(organization, subject: str) -> Incident:
    return Incident.objects.create(
        organization=organization, kind="bounce_rate", severity="warning", subject_type="inbox",
        subject_key=f"inbox:{subject}", subject=subject, reason=f"bounce rate 2.6 % (26 of 1000 sent) on {subject}",
        opened_at=timezone.now())


def test_the_incidents_page_acknowledges_and_resolves_an_organizations_own_incidents(
        client, user, organization, django_user_model):
    client.force_login(user)
    ours = incident_of(organization, "jane@send1.test.example")

    page = client.get("/incidents/").content.decode()
    assert "bounce rate 2.6 % (26 of 1000 sent) on jane@send1.test.example" in page and "Acknowledge" in page

    assert client.get(f"/incidents/{ours.pk}/acknowledge").status_code == 405
    assert client.post(f"/incidents/{ours.pk}/acknowledge").status_code == 302
    ours.refresh_from_db()
    assert ours.status == "acknowledged" and ours.acknowledged_by == user

    stranger = django_user_model.objects.create_user("bob", "bob@globex.example", "another horse battery")
    Membership.objects.create(user=stranger, organization=Organization.objects.create(name="Globex", slug="globex"))
    other_client = Client()
    other_client.force_login(stranger)
    assert other_client.post(f"/incidents/{ours.pk}/resolve").status_code == 404
    assert client.post(f"/incidents/{ours.pk}/resolve").status_code == 302
    ours.refresh_from_db()
    assert ours.status == "resolved" and ours.resolution == f"resolved by {user}"
    assert "Nothing is out of bounds." in client.get("/incidents/").content.decode()
