"""The issue's "done when", end to end on the real stack: commands typed in the command box buy and provision
domains (purchase → DNS published and checked over a real DNS server → warmup), the daily ticks warm them up,
they are assigned to a campaign, and a campaign sent by a real Celery worker arrives at a real SMTP server with
the unsubscribe headers — never over a cap, and never twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from billing.models import LedgerEntry, Purchase
from campaigns.models import Campaign, Contact, ContactList
from conftest import wait_for
from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.models import Domain, DomainState
from inboxes.models import DomainDay, Inbox, OutboundMessage, Suppression
from inboxes.warmup import tick
from missions.models import Mission

pytestmark = pytest.mark.e2e


def command(api_client, text: str) -> Mission:
    response = api_client.post("/api/rex/command", {"command": text}, format="json")
    assert response.status_code == 201, response.data
    return Mission.objects.get(pk=response.data["id"])


def finished(mission: Mission, timeout: float = 60) -> Mission:
    wait_for(lambda: Mission.objects.get(pk=mission.pk).is_final, timeout, f"mission {mission.type} to finish")
    mission.refresh_from_db()
    assert mission.status == "succeeded", (mission.status, mission.error)
    return mission


def test_typed_commands_buy_warm_assign_and_send_a_campaign_within_caps(start_worker, api_client, sender,
                                                                       smtp_server, settings):
    smtp = smtp_server()
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]
        start_worker(REX_DNS_NAMESERVERS=dns.nameserver, REX_MAIL_SINK=f"127.0.0.1:{smtp.port}",
                     REX_PUBLIC_BASE_URL="https://rex.test.example", REX_DOMAIN_DAILY_CAP="4")

        # 0. "create pool acme": a client's pool is its own command; nothing is bought for a client without one.
        finished(command(api_client, "create pool acme"))

        # 1. "warm up 2 new domains for acme": it costs money, so it waits for a person (the threshold is 0 out of
        # the box); once approved it is bought, charged once, DNS published and passed, warming.
        ordered = command(api_client, "warm up 2 new domains for acme")
        assert ordered.status == "awaiting_approval" and not Purchase.objects.exists()
        approved = api_client.post(f"/api/missions/{ordered.pk}/approve/", format="json")
        assert approved.status_code == 200, approved.data
        provisioning = finished(ordered)
        purchase = Purchase.objects.get(mission=provisioning)
        assert purchase.status == Purchase.Status.ACTIVE
        assert LedgerEntry.objects.filter(purchase=purchase, kind="charge").count() == 1
        domains = list(Domain.objects.filter(purchase_reference=str(purchase.id)))
        assert len(domains) == 2
        assert {d.state for d in domains} == {DomainState.WARMING}
        assert all(d.dns_ok and d.dns_checks.first().passed for d in domains)
        inboxes = Inbox.objects.filter(domain__in=domains)
        assert inboxes.count() == 2 * settings.REX_INBOXES_PER_DOMAIN
        assert {(i.status, i.warmup_limit) for i in inboxes} == {(Inbox.Status.WARMING, settings.REX_WARMUP_START)}
        assert [d["state"] for d in provisioning.result["domains"]] == ["warming", "warming"]

        # 2. The daily ticks ramp the inboxes to their caps; the domains become ready.
        today = timezone.now().date()
        for day in range(1, settings.REX_WARMUP_TARGET_DAYS + 1):
            tick(today=today + timedelta(days=day))
        assert {d.state for d in Domain.objects.filter(pk__in=[d.pk for d in domains])} == {DomainState.READY}
        assert set(inboxes.values_list("status", flat=True)) == {Inbox.Status.ACTIVE}

        # 3. "assign 2 domains to campaign spring-launch".
        finished(command(api_client, "assign 2 domains to campaign spring-launch"))
        campaign = Campaign.objects.get(organization=sender, slug="spring-launch")
        assert set(Domain.objects.filter(campaign=campaign).values_list("state", flat=True)) == {DomainState.IN_USE}

        # 4. A list of 10 contacts, one of whom unsubscribed; each domain may send 4 today (the worker's cap).
        contact_list = ContactList.objects.create(organization=sender, name="cfo-uk")
        for n in range(10):
            contact = Contact.objects.create(organization=sender, email=f"cfo{n}@prospect{n}.example",
                                             first_name=f"Cfo{n}", company=f"Prospect {n}")
            contact.lists.add(contact_list)
        Suppression.objects.create(organization=sender, email="cfo0@prospect0.example",
                                   reason=Suppression.Reason.UNSUBSCRIBE)
        Domain.objects.filter(pk__in=[d.pk for d in domains]).update(daily_cap=4)
        send = finished(command(api_client, "send campaign spring-launch to list cfo-uk"))

        assert send.result["sent"] == 8, send.result  # 2 domains, a cap of 4 each
        assert send.result["suppressed"] == 1
        assert send.result["deferred_by_caps"] == 1
        assert len(smtp.messages) == 8
        assert "cfo0@prospect0.example" not in {r for m in smtp.messages for r in m.rcpt_tos}
        for received in smtp.messages:
            message = received.message
            assert message["List-Unsubscribe"].strip().startswith("<https://rex.test.example/u/")
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert sender.postal_address in received.text_body()
            assert "https://rex.test.example/u/" in received.text_body()
        assert all(day.sent <= 4 for day in DomainDay.objects.filter(domain__in=domains))

        # 5. The same campaign again (a new mission): nobody gets it twice, and the caps still hold.
        again = api_client.post("/api/rex/command", {"type": "send_campaign",
                                                     "params": {"campaign": "spring-launch", "list": "cfo-uk"},
                                                     "idempotency_key": "send-again"}, format="json")
        assert again.status_code == 201, again.data
        second = finished(Mission.objects.get(pk=again.data["id"]))
        assert second.result["sent"] == 0
        assert len(smtp.messages) == 8
        assert OutboundMessage.objects.filter(status="sent").count() == 8
