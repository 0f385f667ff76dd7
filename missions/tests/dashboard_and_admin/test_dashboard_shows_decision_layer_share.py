"""The dashboard shows the free-text command box with example commands, and the share of decisions per layer over
the last 24 hours."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from missions.decision import EXAMPLE_COMMANDS
from missions.models import CommandDecision


@pytest.fixture
def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def share_line(html: str) -> str:
    start = html.index('id="decision-share"')
    return " ".join(html[start:html.index("</p>", start)].split())


def test_dashboard_shows_the_share_of_each_layer(browser, organization):
    now = timezone.now()
    for layer, outcome, n in [("structured", "accepted", 16), ("rules", "accepted", 2), ("rules", "answered", 1),
                              ("llm", "accepted", 1), ("rules", "rejected", 2)]:
        for _ in range(n):
            CommandDecision.objects.create(organization=organization, layer=layer, outcome=outcome)
    CommandDecision.objects.create(organization=organization, layer="llm", outcome="accepted",
                                   created_at=now - timedelta(hours=30))

    response = browser.get("/")

    assert response.status_code == 200
    line = share_line(response.content.decode())
    assert "Decisions in the last 24 h: <span data-share-text>structured 80 % · rules 15 % · LLM 5 %</span>" in line
    assert "(20 decided, 2 refused)" in line
    assert 'data-structured="16" data-rules="3" data-llm="1" data-rejected="2"' in line


def test_without_decisions_it_says_none_yet(browser):
    response = browser.get("/")

    assert "Decisions in the last 24 h: <span data-share-text>none yet</span>" in share_line(response.content.decode())


def test_dashboard_has_the_free_text_box_with_example_commands(browser):
    html = browser.get("/").content.decode()

    assert 'id="nl-form"' in html and 'id="nl-command"' in html and 'maxlength="500"' in html
    for example in EXAMPLE_COMMANDS:
        assert f'data-command="{example}"' in html
    assert 'id="command-form"' in html, "the structured form stays"


def test_a_command_through_the_api_moves_the_figure(browser, api_client):
    api_client.post("/api/rex/command", {"command": "run a canary"}, format="json")

    line = share_line(browser.get("/").content.decode())

    assert "structured 0 % · rules 100 % · LLM 0 %" in line
