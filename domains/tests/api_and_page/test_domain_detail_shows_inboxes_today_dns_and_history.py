"""GET /api/domains/<name>/ shows a domain with its inboxes and what each (and the domain) sent today against its
limit, the latest DNS check's results, and its last 20 state changes, newest first."""

from datetime import timedelta

from django.utils import timezone

from domains.models import DnsCheck, DomainState
from domains.tests.assignment_helpers import pool, ready_domain
from inboxes.models import DomainDay, Inbox, InboxDay

PASSED = {kind: {"ok": True, "records": [f"{kind} record"], "detail": ""} for kind in ("mx", "spf", "dkim", "dmarc")}


def test_detail_has_inboxes_todays_sends_latest_dns_check_and_last_transitions(api_client, organization):
    domain = ready_domain(pool(organization), "acme-mail.example", inboxes=1, daily_cap=60)
    warming = Inbox.objects.create(organization=organization, domain=domain, address="new@acme-mail.example",
                                   status=Inbox.Status.WARMING, warmup_limit=9, warmup_day=3, daily_cap=40)
    today = timezone.now().date()
    InboxDay.objects.create(inbox=warming, day=today, sent=4)
    InboxDay.objects.create(inbox=warming, day=today - timedelta(days=1), sent=9)
    DomainDay.objects.create(domain=domain, day=today, sent=4)
    DomainDay.objects.create(domain=domain, day=today - timedelta(days=1), sent=50)
    DnsCheck.objects.create(domain=domain, checked_at=timezone.now() - timedelta(days=2), passed=False,
                            results={"mx": {"ok": False, "records": [], "detail": "no MX"}})
    DnsCheck.objects.create(domain=domain, checked_at=timezone.now() - timedelta(hours=1), passed=True,
                            results=PASSED, dmarc_policy="quarantine")
    for n in range(25):
        domain.transition(DomainState.IN_USE if domain.state == DomainState.READY else DomainState.READY,
                          reason=f"move {n}", actor="ops")

    response = api_client.get("/api/domains/ACME-mail.example/")

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["state"], body["pool"], body["dns_ok"]) == ("acme-mail.example", "in_use", "acme", True)
    assert (body["today"], body["today_sent"], body["today_limit"]) == (today.isoformat(), 4, 49)
    assert [(i["address"], i["status"], i["today_sent"], i["today_limit"], i["warmup_day"]) for i in body["inboxes"]] == [
        ("new@acme-mail.example", "warming", 4, 9, 3), ("rep0@acme-mail.example", "active", 0, 40, 0)]
    assert body["dns"]["passed"] is True
    assert body["dns"]["dmarc_policy"] == "quarantine"
    assert body["dns"]["results"] == PASSED
    assert [t["reason"] for t in body["transitions"]] == [f"move {n}" for n in range(24, 4, -1)]
    assert body["transitions"][0] == {**body["transitions"][0], "from_state": "ready", "to_state": "in_use",
                                      "actor": "ops"}
    assert "dkim_private_key_encrypted" not in body


def test_unknown_domain_is_404(api_client, organization):
    assert api_client.get("/api/domains/nope.example/").status_code == 404
