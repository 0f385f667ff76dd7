"""CPU per batch of ``POST /api/rex/commands`` in-process, and what writing its rows with COPY saves.

Run with pytest (it borrows the test suite's database and fixtures; not collected by ``make test``, whose files
are ``test_*.py``):

    .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/batch_intake.py

Through Django's test client (the whole middleware and DRF stack, no network, no server): a batch of 25 canaries
posted, then one ``GET /api/missions/status`` for them, their after-commit work run (the outbox: live frames and
the ``run_batch`` message). A/B pairs alternating in the same run: A writes the missions and their events with
``core.bulk.insert_new_rows`` (COPY), B with Django's ``bulk_create`` (what it did before). CPU time of this
process (``time.process_time``): the client's share is included in both, so compare them, not the absolute.
Printed: median CPU ms per POST and per GET of each arm, and B / A.
"""

from __future__ import annotations

import statistics
import time

import pytest

from missions import models as mission_models
from missions import services
from rex_project.celery import app as celery_app

pytestmark = pytest.mark.django_db


def django_bulk_create(objs, *, using: str = "default") -> None:
    if objs:
        type(objs[0])._base_manager.using(using).bulk_create(objs)


def test_batch_intake_cpu(api_client, django_capture_on_commit_callbacks, monkeypatch) -> None:
    pairs = 40  # ~1 minute
    counter = iter(range(10**9))

    def one_batch() -> tuple[float, float]:
        n = next(counter)
        body = {"commands": [{"type": "canary", "params": {"tag": f"b{n}-{i}"}} for i in range(25)]}
        started = time.process_time()
        with django_capture_on_commit_callbacks(execute=True):
            posted = api_client.post("/api/rex/commands", body, format="json")
        post_cpu = time.process_time() - started
        assert posted.status_code == 201, posted.content
        ids = ",".join(mission["id"] for mission in posted.json()["missions"])
        started = time.process_time()
        polled = api_client.get(f"/api/missions/status?ids={ids}")
        get_cpu = time.process_time() - started
        assert polled.status_code == 200
        return post_cpu, get_cpu

    def arm(copy: bool) -> tuple[float, float]:
        writer = services.insert_new_rows if copy else django_bulk_create
        with monkeypatch.context() as patch:
            patch.setattr(services, "insert_new_rows", writer)
            patch.setattr(mission_models, "insert_new_rows", writer)
            return one_batch()

    for _ in range(5):  # warm-up: imports, caches, connections
        arm(True), arm(False)
    a_post, a_get, b_post, b_get = [], [], [], []
    for _ in range(pairs):
        post, get = arm(True)
        a_post.append(post), a_get.append(get)
        post, get = arm(False)
        b_post.append(post), b_get.append(get)
    with celery_app.connection_for_write() as connection:  # no worker runs here: drop the run_batch messages
        connection.default_channel.queue_purge("missions.normal")

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"\n{pairs} A/B pairs, batches of 25 canaries, median CPU ms of this process")
    print(f"  POST /api/rex/commands   A (COPY) {ms(a_post):6.1f}   B (bulk_create) {ms(b_post):6.1f}   "
          f"B / A {ms(b_post) / ms(a_post):.2f}")
    print(f"  GET /api/missions/status A        {ms(a_get):6.1f}   B               {ms(b_get):6.1f}")
    print(f"  per mission (POST + GET, A)       {(ms(a_post) + ms(a_get)) / 25:6.2f}")
