"""Schemathesis, every check on, against the real ASGI server with a real token: the API answers as its OpenAPI
schema says (statuses, JSON bodies, headers, refusing what the schema forbids), for every operation under /api/.

Bounded so the run stays within a few minutes on two cores: a fixed number of examples per operation and a fixed
seed (the same cases each run, so a failure reproduces). Nothing leaves 127.0.0.1: no Celery worker runs, so the
missions and sends the fuzzed requests queue are never carried out; the payment provider and registrar are the
offline ones; mail would go to a closed local port, SendGrid and DNS to local ports, and there is no LLM key.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import api_token_for
from ops.net import free_port

CONFIG = Path(__file__).with_name("schemathesis.toml")
EXAMPLES_PER_OPERATION = 10
SEED = 20261204


@pytest.fixture
def live_api(request, monkeypatch, transactional_db) -> str:
    """The conftest's web server, started with outside services pointed at closed ports on 127.0.0.1."""
    for name, value in {
        "REX_MAIL_SINK": f"127.0.0.1:{free_port()}",
        "SENDGRID_API_HOST": f"http://127.0.0.1:{free_port()}",
        "SENDGRID_API_KEY": "",
        "REX_DNS_NAMESERVERS": f"127.0.0.1:{free_port()}",
        "REX_PAYMENT_PROVIDER": "offline",
        "OPENAI_API_KEY": "",
        # Thousands of requests a minute from one token and one address are the point of this run: the per-user and
        # per-address rates would answer 429 to most of them. The token endpoint keeps its own "auth" rate.
        "REX_API_THROTTLE_USER": "",
        "REX_API_THROTTLE_ANON": "",
    }.items():
        monkeypatch.setenv(name, value)
    return request.getfixturevalue("asgi_server")


def post(base_url: str, token: str, path: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(f"{base_url}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status in (200, 201), (path, response.status)


def seed_through_the_api(base_url: str, token: str) -> None:
    """A sequence ``intro`` run by a started campaign ``spring`` with a contact on its list, made through the API
    itself: the slugs schemathesis.toml offers for path parameters, so those operations meet real rows too."""
    email_step = {"kind": "email", "variants": [{"label": "A", "subject": "Hello {{first_name|there}}",
                                                 "body": "{Hi|Hello} {{first_name|there}}, a question."}]}
    post(base_url, token, "/api/sequences/", {"name": "Intro", "slug": "intro", "steps": [email_step]})
    post(base_url, token, "/api/lists/", {"name": "Leads", "slug": "leads"})
    post(base_url, token, "/api/contacts/", {"email": "ada@lovelace.example", "first_name": "Ada", "lists": ["leads"]})
    post(base_url, token, "/api/campaigns/", {"name": "Spring", "slug": "spring", "sequence": "intro", "list": "leads"})
    post(base_url, token, "/api/campaigns/spring/start", {})


@pytest.mark.e2e
def test_schemathesis_finds_no_failure_in_any_api_operation(live_api, user, tmp_path):
    token = api_token_for(user)
    seed_through_the_api(live_api, token)

    run = subprocess.run(
        [str(Path(sys.executable).with_name("st")), "--no-color", "--config-file", str(CONFIG), "run",
         f"{live_api}/api/schema/?format=json", "--url", live_api,
         "--checks", "all", "--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", str(SEED), "--workers", "1",
         "--header", f"Authorization: Token {token}", "--request-timeout", "30"],
        # In the test's own directory: Schemathesis keeps a cache of earlier runs in .schemathesis/ under its working
        # directory, and a run must neither leave it in the checkout nor replay what another run found.
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )

    server_log = (tmp_path / "web.log").read_text(errors="replace")  # the asgi_server fixture's, same tmp_path
    assert run.returncode == 0, f"{run.stdout}{run.stderr}\n--- the server's log (end) ---\n{server_log[-5000:]}"
