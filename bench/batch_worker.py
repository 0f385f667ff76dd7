"""CPU per mission of a worker's ``run_batch`` over a chunk of 25 canaries, in-process, and where it goes.

Run with pytest (it borrows the test suite's database and fixtures; not collected by ``make test``):

    .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/batch_worker.py

Batches of 25 canaries are posted through ``POST /api/rex/commands`` (no worker runs them; their ``run_batch``
messages are purged), then each chunk is run by ``missions.runner.run_batch`` in this process, as a pool process
runs it. Printed: median CPU ms per mission of ``run_batch`` (``time.process_time``), and with ``REX_PROFILE=1`` a
cProfile of the chunks, the top functions by own time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import statistics
import time

import pytest

from missions.runner import run_batch
from rex_project.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)  # real commits: the after-commit work is counted


def test_run_batch_cpu(api_client) -> None:
    chunks = 60
    counter = iter(range(10**9))

    def post_chunk() -> list[str]:
        n = next(counter)
        body = {"commands": [{"type": "canary", "params": {"tag": f"w{n}-{i}"}} for i in range(25)]}
        posted = api_client.post("/api/rex/commands", body, format="json")
        assert posted.status_code == 201, posted.content
        return [mission["id"] for mission in posted.json()["missions"]]

    prepared = [post_chunk() for _ in range(chunks + 5)]
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("missions.normal")
    for ids in prepared[:5]:  # warm-up: imports, caches, connections
        run_batch(ids, worker="bench")
    profiler = cProfile.Profile() if os.environ.get("REX_PROFILE") else None
    cpu: list[float] = []
    for ids in prepared[5:]:
        started = time.process_time()
        if profiler:
            profiler.enable()
        counts = run_batch(ids, worker="bench")
        if profiler:
            profiler.disable()
        cpu.append(time.process_time() - started)
        assert counts.get("succeeded") == 25, counts
    print(f"\nrun_batch over {chunks} chunks of 25 canaries: median {statistics.median(cpu) * 1000 / 25:.2f} "
          f"CPU ms per mission")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
