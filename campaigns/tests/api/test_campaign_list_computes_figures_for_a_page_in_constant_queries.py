"""GET /api/campaigns/ answers with each campaign's figures in a number of queries that does not grow with the
number of campaigns (one campaign_figures call for the page)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from campaigns.services import start_campaign


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/campaigns/").status_code == 200
    return len(captured)


def test_query_count_is_the_same_for_one_or_five_campaigns(api_client, organization, campaign, contact_list,
                                                           add_contact):
    add_contact("ann@client.example")
    start_campaign(campaign, contact_list=contact_list)
    api_client.get("/api/campaigns/")  # the token's first request also records its use (tenants.ApiToken.note_use)
    one = queries_for(api_client)
    for n in range(4):
        extra = Campaign.objects.create(organization=organization, name=f"Extra {n}", sequence=campaign.sequence,
                                        contact_list=contact_list)
        start_campaign(extra, contact_list=contact_list)

    assert queries_for(api_client) == one
    rows = api_client.get("/api/campaigns/").json()["results"]
    assert [r["figures"]["enrolled"] for r in rows] == [1] * 5
