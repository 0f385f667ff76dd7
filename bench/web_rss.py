"""Where a web worker's memory goes: RSS of the real web role's workers at start, after one request of each kind,
and after serving batches, plus the modules the first requests import lazily.

Run with pytest (it borrows the test suite's database and its ``asgi_server`` fixture: gunicorn + 2 uvicorn
workers, as ``rex up`` starts them; not collected by ``make test``, whose files are ``test_*.py``):

    .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/web_rss.py

Printed: each worker's RSS (MB, from /proc) after it first answered, after one single POST, one batch POST, one
status GET and one mission GET per worker (so every lazy import has happened), after ``BATCHES`` more batch POSTs of
25 canaries each followed by a status GET, and the modules those first requests imported in this process (the
in-process test client, the same code path) that start-up had not.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path

import pytest

from conftest import api_token_for

BATCHES = 200


def children_rss_mb(master_pid: int) -> list[float]:
    rss = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(fields["PPid"]) == master_pid:
            rss.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(rss)


def call(base: str, token: str, method: str, path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(f"{base}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Token {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def web_master_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"gunicorn" in b" ".join(args) and f"127.0.0.1:{port}".encode() in args:
            pid = int(cmdline.parent.name)
            if Path(f"/proc/{pid}/status").read_text().split("PPid:")[1].split()[0] != str(pid):
                parent = int(Path(f"/proc/{pid}/status").read_text().split("PPid:")[1].split()[0])
                if b"gunicorn" not in Path(f"/proc/{parent}/cmdline").read_bytes():
                    return pid
    raise AssertionError("web master not found")


@pytest.fixture
def unthrottled(monkeypatch) -> None:
    """The web role started without the per-user rate (200 batches of 25 are 5 000 commands in a minute)."""
    monkeypatch.setenv("REX_API_THROTTLE_USER", "")


@pytest.mark.django_db(transaction=True)
def test_web_worker_rss(unthrottled, asgi_server, user) -> None:
    token = api_token_for(user)
    master = web_master_pid(asgi_server)
    print(f"\nworkers after start:            {children_rss_mb(master)}")

    def batch(tag: str) -> None:
        ids = [m["id"] for m in call(asgi_server, token, "POST", "/api/rex/commands", {"commands": [
            {"type": "canary", "params": {"tag": f"{tag}-{i}"}} for i in range(25)]})["missions"]]
        call(asgi_server, token, "GET", f"/api/missions/status?ids={','.join(ids)}")

    for n in range(4):  # new connections: both workers get some
        one = call(asgi_server, token, "POST", "/api/rex/command", {"type": "canary", "params": {"tag": f"one{n}"}})
        call(asgi_server, token, "GET", f"/api/missions/{one['id']}/")
        batch(f"first{n}")
    print(f"workers after each kind once:   {children_rss_mb(master)}")
    for n in range(BATCHES):
        batch(f"many{n}")
    print(f"workers after {BATCHES} batches:      {children_rss_mb(master)}")


@pytest.mark.django_db
def test_modules_imported_by_the_first_requests(api_client) -> None:
    before = set(sys.modules)
    one = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "m"}}, format="json").json()
    api_client.get(f"/api/missions/{one['id']}/")
    ids = [m["id"] for m in api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary", "params": {"tag": f"b{i}"}} for i in range(25)]}, format="json").json()["missions"]]
    api_client.get(f"/api/missions/status?ids={','.join(ids)}")
    new = sorted(set(sys.modules) - before)
    top = sorted({name.split(".")[0] for name in new})
    print(f"\n{len(new)} modules imported by the first requests; packages: {', '.join(top)}")
