"""POST /pause stops an active campaign's sending and /resume starts it again; pausing a draft is a 400."""

from campaigns.models import Campaign


def test_pause_then_resume(api_client, campaign, contact_list, add_contact):
    add_contact("ann@client.example")
    api_client.post("/api/campaigns/spring/start", {"list": "leads"}, format="json")

    paused = api_client.post("/api/campaigns/spring/pause")
    paused_again = api_client.post("/api/campaigns/spring/pause")
    resumed = api_client.post("/api/campaigns/spring/resume")

    assert (paused.status_code, paused.json()) == (200, {"campaign": "spring", "status": "paused", "changed": True})
    assert paused_again.json() == {"campaign": "spring", "status": "paused", "changed": False}
    assert (resumed.status_code, resumed.json()) == (200, {"campaign": "spring", "status": "active", "changed": True})
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ACTIVE


def test_pausing_a_draft_is_refused(api_client, campaign):
    response = api_client.post("/api/campaigns/spring/pause")

    assert response.status_code == 400
    assert response.json() == {"campaign": ["campaign spring is draft; only an active campaign can be paused"]}


def test_another_organizations_campaign_is_not_found(campaign, other_organization_client):
    for path in ("/api/campaigns/spring/", "/api/campaigns/spring/pause", "/api/campaigns/spring/resume"):
        method = other_organization_client.get if path.endswith("/") else other_organization_client.post
        assert method(path).status_code == 404
    assert other_organization_client.get("/api/campaigns/").json()["results"] == []
