"""``make bench`` (anomaly part): what one anomaly pass (monitoring.detection.run_pass) costs on a large fleet.

For each size N (by default 1,000 — the baseline — and 10,000 inboxes, three per domain), in the same run, it builds
one organization with N inboxes, each with ``InboxDay`` counters for the window (today and yesterday, 300 sends a
day, 0-3 bounces, 0-1 complaints: within bounds), a week of deferrals on one inbox in ten, 20 agents' runs over the
week, and 10 queued missions. The inboxes of about ten domains (the same number at both sizes) bounce 8 %: those
domains are found critical and paused. The first pass is counted (queries, incidents opened); then ``--runs`` steady
passes (what beat does every ``REX_ANOMALY_INTERVAL_SECONDS``: every incident found again, nothing new) are timed and
the median is the figure. Everything the pass does is included (the aggregates, the incident reads and updates, the
pauses, the after-commit live frames over Redis); nothing is patched.

The claims: the pass's queries do not depend on N (they depend on the number of findings, the same at both sizes),
and the time ratio N=10k / N=1k, measured in the same run, is printed (absolute times are this machine's; target < 2
s at 10,000). It uses the same services as ``make bench`` (its own database, created and dropped, and a Redis
database number of its own) and writes ``bench/results/anomaly.json``; ``--strict`` exits 1 when a claim fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from run import choose_services, log  # bench/run.py: a script's own directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "anomaly.json"
TARGET_SECONDS = 2.0
SPIKING = 10
CHUNK = 5_000


def build(n: int, tag: str) -> dict[str, Any]:
    from django.utils import timezone

    from agents.models import AgentLog
    from domains.models import Domain, DomainPool, DomainState
    from inboxes.models import BounceRecord, Inbox, InboxDay
    from missions.models import Mission
    from tenants.models import Organization

    organization = Organization.objects.create(name=f"Bench {tag}", slug=f"bench-anomaly-{tag}")
    pool = DomainPool.objects.create(organization=organization, slug=f"pool-{tag}", name=f"Pool {tag}", quota=n)
    domains = Domain.objects.bulk_create(
        [Domain(organization=organization, pool=pool, name=f"d{i}.{tag}.bench.example", state=DomainState.IN_USE,
                dns_ok=True) for i in range((n + 2) // 3)], batch_size=CHUNK)
    inboxes = Inbox.objects.bulk_create(
        [Inbox(organization=organization, domain=domains[i // 3], address=f"rep{i}@{domains[i // 3].name}",
               status=Inbox.Status.ACTIVE, warmup_limit=50, daily_cap=50) for i in range(n)], batch_size=CHUNK)
    today = timezone.now().date()
    days = []
    every = max(1, len(domains) // SPIKING)
    for i, inbox in enumerate(inboxes):
        spiking = (i // 3) % every == 0  # every inbox of about SPIKING domains, whatever N
        for back in (0, 1):
            days.append(InboxDay(inbox=inbox, day=today - timedelta(days=back), sent=300,
                                 bounces=24 if spiking else i % 4, complaints=i % 2 if back else 0))
    InboxDay.objects.bulk_create(days, batch_size=CHUNK)
    now = timezone.now()
    BounceRecord.objects.bulk_create(
        [BounceRecord(organization=organization, inbox=inbox, domain_id=inbox.domain_id, recipient="x@client.example",
                      klass="soft", status="4.2.1", at=now - timedelta(days=3)) for inbox in inboxes[::10]],
        batch_size=CHUNK)
    AgentLog.objects.bulk_create(
        [AgentLog(organization=organization, agent=f"agent{a}", action="run", duration_ms=500 + r,
                  payload={"outcome": "succeeded"}, created_at=now - timedelta(hours=r % 160))
         for a in range(20) for r in range(200)], batch_size=CHUNK)
    Mission.objects.bulk_create(
        [Mission(organization=organization, type="canary", idempotency_key=f"{tag}-{m}", dispatched_at=now)
         for m in range(10)])
    return {"organization": organization}


def drop(data: dict[str, Any]) -> None:
    from domains.models import Domain
    from inboxes.models import Inbox

    organization = data["organization"]
    Inbox.objects.filter(organization=organization).delete()
    Domain.objects.filter(organization=organization).delete()
    organization.delete()


def counted_pass() -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from monitoring.detection import run_pass

    with CaptureQueriesContext(connection) as captured:
        report = run_pass()
    return {"queries": len(captured.captured_queries), "report": report}


def timed_pass() -> tuple[float, dict[str, Any]]:
    from monitoring.detection import run_pass

    started = time.perf_counter()
    report = run_pass()
    return time.perf_counter() - started, report


def profile_pass(title: str) -> None:
    import cProfile
    import pstats

    from monitoring.detection import run_pass

    profiler = cProfile.Profile()
    profiler.runcall(run_pass)
    print(f"\n--- profile of one steady pass, {title} ---")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="numbers of inboxes, comma separated (baseline first)")
    parser.add_argument("--runs", type=int, default=5, help="timed steady passes per size; the median is the figure")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one more steady pass per size")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a claim fails")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [max(100, min(int(s), 100_000)) for s in args.sizes.split(",") if s.strip()]
    runs = max(1, min(args.runs, 15))

    services = choose_services()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from monitoring.models import Incident

    call_command("migrate", interactive=False, verbosity=0)
    log(f"database {services['database']} ({services['database_kind']}), redis {services['redis']} "
        f"({services['redis_kind']})")
    results: dict[int, dict[str, Any]] = {}
    try:
        for n in sizes:
            started = time.perf_counter()
            data = build(n, f"n{n}")
            log(f"N = {n}: inboxes, counters, deferrals, agent runs built in {time.perf_counter() - started:.1f} s")
            first = counted_pass()
            steady = counted_pass()
            times = []
            for _ in range(runs):
                seconds, _ = timed_pass()
                times.append(seconds)
            if args.profile:
                profile_pass(f"N = {n}")
            results[n] = {"n": n, "first_pass": first, "steady_pass": steady,
                          "seconds": [round(t, 4) for t in times], "median_seconds": round(statistics.median(times), 4),
                          "open_incidents": Incident.objects.filter(organization=data["organization"]).count()}
            log(f"N = {n}: first pass {first['queries']} queries {first['report']}; steady {steady['queries']} "
                f"queries; {statistics.median(times) * 1000:.0f} ms median ({', '.join(f'{t * 1000:.0f}' for t in times)})")
            Incident.objects.filter(organization=data["organization"]).delete()
            drop(data)
    finally:
        shutil.rmtree(os.environ["REX_VAR_DIR"], ignore_errors=True)  # the temporary one choose_services() made

    small, large = results[min(sizes)], results[max(sizes)]
    same = small["steady_pass"]["queries"] == large["steady_pass"]["queries"]
    fast = large["median_seconds"] < TARGET_SECONDS
    ratio = large["median_seconds"] / small["median_seconds"]
    print(f"\nanomaly pass: {SPIKING} spiking inboxes at every size; median of {runs} steady passes "
          f"({os.cpu_count()} cores, Python {platform.python_version()}, {connection.vendor} {services['database_kind']})")
    print(f"{'inboxes':>8} {'queries first':>14} {'queries steady':>15} {'incidents':>10} {'ms':>8}")
    for res in results.values():
        print(f"{res['n']:>8} {res['first_pass']['queries']:>14} {res['steady_pass']['queries']:>15} "
              f"{res['open_incidents']:>10} {res['median_seconds'] * 1000:>8.0f}")
    print(f"queries N={large['n']} / N={small['n']} = {large['steady_pass']['queries']}/{small['steady_pass']['queries']} "
          f"({'constant in N' if same else 'GROWS with N'}); time ratio {ratio:.2f} for {large['n'] / small['n']:.0f}x the "
          f"inboxes; {large['median_seconds'] * 1000:.0f} ms at N={large['n']}, target < {TARGET_SECONDS * 1000:.0f} ms: "
          f"{'met' if fast else 'MISSED'}")
    ok = same and fast
    result = {"when": datetime.now(UTC).isoformat(timespec="seconds"),
              "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(),
                          "platform": platform.platform()},
              "database": {"vendor": connection.vendor, "kind": services["database_kind"]},
              "spiking": SPIKING, "runs": runs, "target_seconds": TARGET_SECONDS, "time_ratio": round(ratio, 3),
              "results": results, "ok": ok}
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
