"""Tenant isolation of the drafts awaiting approval: each organization's Inbox page lists only its own pending
drafts (sent and rejected ones are not waiting for anyone), its API list likewise, and a member of another
organization who approves or rejects a draft by its id gets 404 and changes nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from campaigns.models import Campaign, Contact, ContactList, Enrollment
from campaigns.tests.conftest import build_sequence
from meetings.models import DraftStatus, MeetingDraft
from tenants.models import Organization

pytestmark = pytest.mark.django_db


def pending_draft(organization: Organization, campaign: Campaign, email: str, **fields) -> MeetingDraft:
    contact = Contact.objects.create(organization=organization, email=email)
    enrollment = Enrollment.objects.create(organization=organization, campaign=campaign, contact=contact)
    return MeetingDraft.objects.create(organization=organization, enrollment=enrollment, key=f"key-{email}",
                                       to_address=email, subject="Re: Quick question", body=f"Hi {email}",
                                       slots=["2026-12-08T15:00:00+00:00"], **fields)


def drafts_on_page(client: Client) -> list[str]:
    page = client.get("/inbox/")
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('<script id="initial-meeting-drafts" type="application/json">')
    data = html[html.index(">", start) + 1:html.index("</script>", start)]
    return [d["to_address"] for d in json.loads(data)["drafts"]]


def test_the_inbox_page_shows_only_the_organizations_own_drafts_and_refuses_others(
        sequence_world, user, api_client, other_organization_client):
    acme = sequence_world()
    kim = pending_draft(acme.organization, acme.campaign, "kim@client.example")
    pending_draft(acme.organization, acme.campaign, "sent@client.example", status=DraftStatus.SENT)
    pending_draft(acme.organization, acme.campaign, "gone@client.example", status=DraftStatus.REJECTED)
    globex = Organization.objects.get(slug="globex")
    globex_campaign = Campaign.objects.create(
        organization=globex, name="Globex outreach", sequence=build_sequence(globex),
        contact_list=ContactList.objects.create(organization=globex, name="Theirs"))
    gus = pending_draft(globex, globex_campaign, "gus@globex-client.example")

    alice = Client()
    alice.force_login(user)
    bob = Client()
    bob.force_login(get_user_model().objects.get(username="bob"))
    assert drafts_on_page(alice) == ["kim@client.example"]
    assert drafts_on_page(bob) == ["gus@globex-client.example"]
    assert "kim@client.example" not in bob.get("/inbox/").content.decode()

    listed = other_organization_client.get("/api/meetings/drafts/?status=pending").json()
    assert [d["id"] for d in listed["results"]] == [gus.pk]
    for action, body in (("approve", {"body": "Hijacked"}), ("reject", {"reason": "not yours"})):
        refused = other_organization_client.post(f"/api/meetings/drafts/{kim.pk}/{action}", body, format="json")
        assert refused.status_code == 404 and refused["Content-Type"] == "application/json"
    kim.refresh_from_db()
    assert (kim.status, kim.body, kim.rejection_reason, kim.outbound_id) == ("pending", "Hi kim@client.example", "",
                                                                            None)
    assert [d["id"] for d in api_client.get("/api/meetings/drafts/?status=pending").json()["results"]] == [kim.pk]
