"""Where one canary mission's time goes inside a worker's pool process, step by step.

    .venv/bin/python bench/stages.py [--missions 300] [--chunk 25]

Runs ``missions.runner.run_claimed`` in this process on N queued canaries, one at a time (no Celery, no
second pool process, no daphne competing), and wraps each step to time it: wall milliseconds and this
thread's CPU milliseconds, median per mission. With ``--chunk K`` it runs ``missions.runner.run_batch`` on
chunks of K missions instead, as a worker runs missions committed together, and reports each chunk's figures
divided by K. It uses the same services as ``make bench`` (its own database
``rex_bench``, re-created, and Redis db 14) and starts no processes. ``docs/performance.md`` quotes its output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from collections import defaultdict

from run import choose_services, create_tenant, log  # bench/run.py: a script's own directory is on sys.path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missions", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=0, help="run chunks of this many with run_batch")
    args = parser.parse_args()
    n = max(10, min(args.missions, 5000))
    chunk = max(0, min(args.chunk, 500))

    choose_services()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from agents.models import AgentLog
    from live import broadcast
    from missions import models as mission_models
    from missions import runner
    from missions.models import Mission
    from missions.services import submit_mission

    call_command("migrate", interactive=False, verbosity=0)
    organization = create_tenant()["organization"]
    with transaction.atomic():
        ids = [str(submit_mission(organization, mission_type="canary", params={"tag": f"stage-{i}"}).mission.id)
               for i in range(n + 20)]

    current: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])

    def _timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.thread_time()
            try:
                return original(*args, **kwargs)
            finally:
                current[label][0] += time.perf_counter() - wall
                current[label][1] += time.thread_time() - cpu

        setattr(owner, name, wrapper)

    labels = []

    def timed(owner, name: str, label: str) -> None:
        labels.append(label)
        _timed(owner, name, label)

    timed(Mission, "claim", "claim: SELECT, UPDATE..RETURNING, INSERT event, COMMIT")
    timed(runner, "_record", "outcome: UPDATE..RETURNING, 2 INSERTs, COMMIT")
    timed(Mission, "_update_returning", "  both UPDATE..RETURNING")
    timed(mission_models, "record_event", "  both events (the outcome's row joins one INSERT)")
    timed(AgentLog, "append_many", "  AgentLog INSERT (steps + run, one statement)")
    timed(connection, "commit", "  both COMMITs")
    timed(broadcast, "broadcast", "both broadcasts (blocking part)")
    timed(runner._renewer, "add", "lease keeper: enter")
    timed(runner._renewer, "remove", "lease keeper: exit")

    if chunk:
        timed(Mission, "claim_batch", "chunk claim: UPDATE..RETURNING, INSERT events, COMMIT")
    whole = f"whole chunk (run_batch) / {chunk}" if chunk else "whole attempt (run_claimed)"
    size = chunk or 1
    units = [ids[start:start + size] for start in range(0, len(ids), size)]
    warmup = max(1, 20 // size)
    samples: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for i, unit in enumerate(units):
        current.clear()
        wall, cpu = time.perf_counter(), time.thread_time()
        if chunk:
            counts = runner.run_batch(unit, worker="stages")
            ok = counts.get("succeeded") == len(unit)
        else:
            counts = runner.run_claimed(unit[0], worker="stages")
            ok = counts == "succeeded"
        total = (time.perf_counter() - wall, time.thread_time() - cpu)
        if not ok:
            raise RuntimeError(f"missions {unit}: {counts}")
        if i < warmup or len(unit) < size:  # warm-up (connection, lazy imports, threads); a short last chunk
            continue
        samples[whole].append((total[0] / size, total[1] / size))
        for label, (w, c) in current.items():
            samples[label].append((w / size, c / size))

    log(f"{n} canary missions, {f'in chunks of {chunk}' if chunk else 'one at a time'}, in this process "
        "(medians per mission)")
    print(f"\n{'step':<58} {'wall ms':>8} {'CPU ms':>8}")
    for label in [whole, *labels]:
        if not samples[label]:
            continue
        values = samples[label]
        print(f"{label:<58} {statistics.median(v[0] for v in values) * 1000:>8.2f} "
              f"{statistics.median(v[1] for v in values) * 1000:>8.2f}")
    print()
    shutil.rmtree(os.environ["REX_VAR_DIR"], ignore_errors=True)  # the temporary one choose_services() made
    return 0


if __name__ == "__main__":
    sys.exit(main())
