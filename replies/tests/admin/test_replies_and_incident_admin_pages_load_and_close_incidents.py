"""Ops screens: the inbound messages, mailbox cursors, sent replies, bounce records and incidents changelists load
for a superuser, and the incident action closes an open incident."""

import pytest
from django.utils import timezone

from inboxes.models import BounceRecord, Incident
from replies.models import InboundMessage, MailboxCursor

pytestmark = pytest.mark.django_db

PAGES = ["/admin/replies/inboundmessage/", "/admin/replies/mailboxcursor/", "/admin/replies/sentreply/",
         "/admin/inboxes/bouncerecord/", "/admin/inboxes/incident/"]


def test_replies_and_incident_admin_pages_load_and_close_incidents(admin_client, organization, make_inbox):
    inbox = make_inbox()
    message = InboundMessage.objects.create(organization=organization, inbox=inbox, raw=b"x", from_address="a@b.example",
                                            subject="Re: hi", category="interested", layer="rules")
    MailboxCursor.objects.create(inbox=inbox, last_error="authentication failed", last_error_at=timezone.now())
    BounceRecord.objects.create(organization=organization, inbox=inbox, recipient="a@b.example", klass="hard",
                                status="5.1.1")
    incident = Incident.objects.create(organization=organization, domain=inbox.domain, reason="DMARC failure")

    for page in PAGES:
        assert admin_client.get(page).status_code == 200, page
    assert admin_client.get(f"/admin/replies/inboundmessage/{message.pk}/change/").status_code == 200

    response = admin_client.post("/admin/inboxes/incident/", {"action": "close", "_selected_action": [incident.pk]})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.closed_at is not None
