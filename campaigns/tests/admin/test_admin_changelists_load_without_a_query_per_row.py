"""Every campaigns changelist (and the change pages of a sequence, a step and an enrollment) loads, and the
changelists read their related rows in a number of queries that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign, Enrollment, SequenceStep
from campaigns.services import start_campaign

CHANGELISTS = ["campaign", "sequence", "sequencestep", "enrollment", "contact", "contactlist"]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def started(organization, campaign, contact_list, add_contact):
    add_contact("ann@client.example", timezone="Europe/Paris", custom_fields={"industry": "retail"})
    start_campaign(campaign, contact_list=contact_list)
    return campaign


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(admin_client, organization, started, contact_list, add_contact,
                                                  model):
    url = f"/admin/campaigns/{model}/"
    before = queries_for(admin_client, url)
    for n in range(3):
        add_contact(f"extra{n}@client.example")
        extra = Campaign.objects.create(organization=organization, name=f"Extra {n}", sequence=started.sequence)
        start_campaign(extra, contact_list=contact_list)

    # Filters list every campaign (one query each), never one query per row.
    assert queries_for(admin_client, url) == before


def test_change_pages_load(admin_client, started):
    enrollment = Enrollment.objects.get()
    step = SequenceStep.objects.filter(kind="email").first()
    for url in (f"/admin/campaigns/campaign/{started.pk}/change/",
                f"/admin/campaigns/sequence/{started.sequence_id}/change/",
                f"/admin/campaigns/sequencestep/{step.pk}/change/",
                f"/admin/campaigns/enrollment/{enrollment.pk}/change/",
                f"/admin/campaigns/contact/{enrollment.contact_id}/change/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    assert b"enrolled in spring" in admin_client.get(f"/admin/campaigns/enrollment/{enrollment.pk}/change/").content
