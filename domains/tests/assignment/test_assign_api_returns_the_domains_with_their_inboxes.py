"""POST /api/domain/assign answers with the campaign and each domain assigned: its state, pool, cap and inboxes
with what each may send today."""

from campaigns.models import Campaign
from domains.tests.assignment_helpers import pool, ready_domain
from inboxes.models import Inbox


def test_assign_answers_with_domains_and_inboxes(api_client, organization):
    acme = pool(organization)
    domain = ready_domain(acme, "acme-mail.example", inboxes=2, daily_cap=120)
    Inbox.objects.create(organization=organization, domain=domain, address="new@acme-mail.example",
                         status=Inbox.Status.WARMING, warmup_limit=7, daily_cap=40)

    response = api_client.post("/api/domain/assign", {"campaign": "Spring Launch", "count": 1, "pool": "acme"},
                               format="json")

    assert response.status_code == 200, response.data
    body = response.json()
    assert body["campaign"] == "spring-launch"
    [assigned] = body["domains"]
    assert {k: assigned[k] for k in ("name", "state", "pool", "campaign", "daily_cap", "today_limit")} == {
        "name": "acme-mail.example", "state": "in_use", "pool": "acme", "campaign": "spring-launch",
        "daily_cap": 120, "today_limit": 87}
    assert assigned["assigned_at"]
    assert assigned["inboxes"] == [
        {"address": "new@acme-mail.example", "status": "warming", "today_limit": 7},
        {"address": "rep0@acme-mail.example", "status": "active", "today_limit": 40},
        {"address": "rep1@acme-mail.example", "status": "active", "today_limit": 40},
    ]
    campaign = Campaign.objects.get(organization=organization, slug="spring-launch")
    assert campaign.name == "Spring Launch"
    assert campaign.domains.get().name == "acme-mail.example"
