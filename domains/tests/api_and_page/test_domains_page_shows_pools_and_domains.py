"""The Domains page (login required) shows the organization's pools with their counts per state and a table of its
domains: state, campaign, DNS, inboxes, today's sends against the limit, warmup progress; nothing of another
organization's."""

from django.test import Client
from django.utils import timezone

from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain
from inboxes.models import DomainDay, Inbox
from tenants.models import Organization


def test_logged_in_user_sees_pools_and_domains(user, organization):
    acme = pool(organization, "Acme", quota=7)
    mail = ready_domain(acme, "acme-mail.example", inboxes=2)
    ready_domain(acme, "acme-new.example", state=DomainState.WARMING, inbox_status=Inbox.Status.WARMING,
                 warmup_limit=10, inbox_cap=40)
    DomainDay.objects.create(domain=mail, day=timezone.now().date(), sent=13)
    other = Organization.objects.create(name="Globex", slug="globex")
    ready_domain(pool(other, "Globex"), "globex-secret.example")
    client = Client()
    client.force_login(user)
    client.post("/api/domain/assign", {"campaign": "Spring Launch", "count": 1}, content_type="application/json")

    response = client.get("/domains/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "globex-secret.example" not in html
    rows = {row["name"]: row for row in response.context["initial"]["domains"]}
    assert set(rows) == {"acme-mail.example", "acme-new.example"}
    assert {k: rows["acme-mail.example"][k] for k in ("state", "campaign_name", "today_sent", "today_limit",
                                                      "warmup_progress")} == {
        "state": "in_use", "campaign_name": "Spring Launch", "today_sent": 13, "today_limit": 80,
        "warmup_progress": 100}
    assert rows["acme-new.example"]["warmup_progress"] == 25
    [acme_card] = response.context["pools"]
    counts = {s["state"]: s["count"] for s in acme_card["states"]}
    assert (acme_card["in_use"], acme_card["quota"], counts["in_use"], counts["warming"], counts["ready"]) == (
        1, 7, 1, 1, 0)
    # The rendered table and cards, as a user reads them.
    assert 'data-domain="acme-mail.example" data-state="in_use"' in html
    assert '<span class="state state-in_use">In use</span>' in html
    assert "Spring Launch" in html
    assert "13 / 80" in html
    assert 'aria-valuenow="25"' in html
    assert "<span data-pool-in-use>1</span> of <span data-pool-quota>7</span> in use" in html
    assert 'href="/domains/" aria-current="page">Domains</a>' in html
    assert "rex/domains.js" in html


def test_anonymous_visitor_is_sent_to_the_login_page(db):
    response = Client().get("/domains/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
