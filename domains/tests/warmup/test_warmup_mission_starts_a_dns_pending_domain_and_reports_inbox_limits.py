"""A warmup mission takes a dns_pending domain whose DNS passes into warmup, and reports each inbox's limit for
today and its warmup day — the progress as it is now, never a cached report of an earlier mission."""

import pytest

from domains.models import DomainState
from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import Inbox
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_dns_pending_domain_whose_dns_passes_starts_warming(organization, make_domain, dns_server, settings):
    domain = make_domain("acme-mail1.example", state=DomainState.DNS_PENDING)
    for local in ("alex", "sam"):
        Inbox.objects.create(organization=organization, domain=domain, address=f"{local}@{domain.name}")
    dns_server.configure_domain(domain.name)
    mission = submit(organization, "warmup", {"domain": "acme-mail1.example"})

    assert run_attempt(mission) == "succeeded", mission.error

    domain.refresh_from_db()
    assert (domain.state, domain.dns_ok) == (DomainState.WARMING, True)
    assert [(t.from_state, t.to_state, t.actor) for t in domain.transitions.all()] == [
        ("dns_pending", "warming", "agent:warmup")]
    start = settings.REX_WARMUP_START
    assert mission.result == {
        "name": "acme-mail1.example", "state": "warming", "dns_ok": True,
        "inboxes": [{"address": "alex@acme-mail1.example", "status": "warming", "today_limit": start, "warmup_day": 1},
                    {"address": "sam@acme-mail1.example", "status": "warming", "today_limit": start,
                     "warmup_day": 1}],
        "today_capacity": 2 * start,
    }


def test_report_shows_each_inbox_today_limit_and_warmup_day_as_they_are_now(organization, make_domain):
    domain = make_domain("acme-mail2.example", state=DomainState.WARMING, dns_ok=True)
    warming = Inbox.objects.create(organization=organization, domain=domain, address="alex@acme-mail2.example",
                                   status=Inbox.Status.WARMING, warmup_limit=11, warmup_day=4, daily_cap=40)
    Inbox.objects.create(organization=organization, domain=domain, address="sam@acme-mail2.example",
                         status=Inbox.Status.ACTIVE, warmup_limit=40, warmup_day=21, daily_cap=40)
    Inbox.objects.create(organization=organization, domain=domain, address="taylor@acme-mail2.example",
                         status=Inbox.Status.PAUSED, warmup_limit=9, warmup_day=3, daily_cap=40)

    first = submit(organization, "warmup", {"domain": "acme-mail2.example"})
    assert run_attempt(first) == "succeeded", first.error

    assert first.result["state"] == "warming"
    assert [(i["address"], i["status"], i["today_limit"], i["warmup_day"]) for i in first.result["inboxes"]] == [
        ("alex@acme-mail2.example", "warming", 11, 4),
        ("sam@acme-mail2.example", "active", 40, 21),
        ("taylor@acme-mail2.example", "paused", 0, 3),  # a paused inbox sends nothing today
    ]
    assert first.result["today_capacity"] == 51
    assert not domain.transitions.exists()

    # A day later: a new mission with the same params reports the new numbers, not the first report.
    Inbox.objects.filter(pk=warming.pk).update(warmup_limit=13, warmup_day=5)
    second = submit(organization, "warmup", {"domain": "acme-mail2.example"})
    assert run_attempt(second) == "succeeded"

    assert second.status == MissionStatus.SUCCEEDED
    assert (second.result["inboxes"][0]["today_limit"], second.result["inboxes"][0]["warmup_day"]) == (13, 5)
    assert second.result["today_capacity"] == 53
