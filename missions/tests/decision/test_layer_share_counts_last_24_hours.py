"""layer_share counts the organization's decisions per layer since a moment, in one query: shares of the accepted
and answered ones, refusals apart."""

from datetime import timedelta

import pytest
from django.utils import timezone

from missions.decision import layer_share
from missions.models import CommandDecision
from tenants.models import Organization


@pytest.fixture
def decisions(organization):
    now = timezone.now()
    globex = Organization.objects.create(name="Globex", slug="globex")

    def record(layer: str, outcome: str, *, age: timedelta = timedelta(minutes=5), org=organization, n: int = 1):
        for _ in range(n):
            CommandDecision.objects.create(organization=org, layer=layer, outcome=outcome, intent="canary",
                                           created_at=now - age)

    record("structured", "accepted", n=6)
    record("rules", "accepted", n=2)
    record("rules", "answered")
    record("llm", "accepted")
    record("rules", "rejected", n=3)
    record("llm", "rejected")
    record("structured", "accepted", age=timedelta(hours=25), n=5)  # too old
    record("llm", "accepted", org=globex, n=4)  # someone else's
    return now


def test_shares_are_of_the_decided_commands_of_the_last_24_hours(organization, decisions, django_assert_num_queries):
    since = decisions - timedelta(hours=24)

    with django_assert_num_queries(2):  # the commands, and the replies' triage (a registered source)
        share = layer_share(organization, since=since)

    assert share == {
        "since": since.isoformat(),
        "decided": 10,
        "rejected": 4,
        "review": 0,
        "layers": {
            "structured": {"count": 6, "share": 0.6, "percent": 60, "rejected": 0},
            "rules": {"count": 3, "share": 0.3, "percent": 30, "rejected": 3},
            "llm": {"count": 1, "share": 0.1, "percent": 10, "rejected": 1},
        },
        "sources": {"commands": {"structured": 6, "rules": 3, "llm": 1},
                    "replies": {"rules": 0, "llm": 0, "review": 0}},
    }


def test_a_longer_window_takes_older_decisions_in(organization, decisions):
    share = layer_share(organization, since=decisions - timedelta(days=2))

    assert share["decided"] == 15
    assert share["layers"]["structured"]["count"] == 11


def test_no_decisions_means_zero_shares_not_an_error(organization):
    share = layer_share(organization, since=timezone.now() - timedelta(hours=24))

    assert share["decided"] == 0 and share["rejected"] == 0
    assert {layer: v["share"] for layer, v in share["layers"].items()} == {"structured": 0, "rules": 0, "llm": 0}


def test_commands_through_the_api_land_in_the_share(api_client, organization, settings):
    settings.OPENAI_API_KEY = ""
    api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "a"}}, format="json")
    api_client.post("/api/rex/command", {"command": "run a canary"}, format="json")
    api_client.post("/api/rex/command", {"command": "wram up 5 domains for acme"}, format="json")

    share = layer_share(organization, since=timezone.now() - timedelta(hours=24))

    assert (share["decided"], share["rejected"]) == (2, 1)
    assert share["layers"]["structured"]["percent"] == 50 and share["layers"]["rules"]["percent"] == 50
