"""A campaign ready to send (in-use domains with active inboxes pointed at a test SMTP server) and contact lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from campaigns.models import Campaign, Contact, ContactList
from tenants.models import Organization


def campaign_sending_through(make_inbox: Callable[..., Any], smtp_port: int, *, inboxes: int = 1,
                             name: str = "spring-launch", **inbox_fields: Any) -> Campaign:
    """A campaign whose in-use domains have one active inbox each, sending to ``127.0.0.1:smtp_port``."""
    campaign: Campaign | None = None
    for _ in range(inboxes):
        inbox = make_inbox(smtp_port=smtp_port, **inbox_fields)
        if campaign is None:
            campaign = Campaign.objects.create(organization=inbox.organization, name=name,
                                               subject_template="Hello {first_name}",
                                               body_template="Hi {first_name},\n\nShall we talk about {company}?")
        inbox.domain.campaign = campaign
        inbox.domain.save(update_fields=["campaign"])
    assert campaign is not None
    return campaign


def contact_list(organization: Organization, emails: Sequence[str], *, name: str = "cfo-uk") -> ContactList:
    """A list of contacts with these addresses (first names "Cfo0", "Cfo1", ...), in that order."""
    listing = ContactList.objects.create(organization=organization, name=name)
    for n, email in enumerate(emails):
        contact = Contact.objects.create(organization=organization, email=email, first_name=f"Cfo{n}",
                                         company=f"Prospect {n}")
        contact.lists.add(listing)
    return listing
