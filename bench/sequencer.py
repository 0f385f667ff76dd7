"""``make bench`` (sequencer part): what one sequencer tick (campaigns.sequencer.tick) costs with many enrollments.

For each size N (by default 10,000 and 100,000 running enrollments) it builds, with bulk inserts in chunks of
5,000: one organization, one active campaign running a 3-step sequence (email, wait 2 business days, email),
N contacts and their N enrollments. ``--due`` of them (5,000) are due at the bench's ``now`` (half ``active`` on
the first email, half ``waiting`` whose wait is over, on the last email); the others are running too but due in
the next days. Contacts' zones are mixed, one in eight of each: an explicit ``timezone`` (Europe/London,
America/New_York, Asia/Tokyo), a phone number only (+44 London, +33 Paris, +81 Tokyo, +1 212 New York), or
neither (the campaign's zone, UTC). ``now`` is a Wednesday at 12:00 UTC. Two variants of the campaign's window:

- ``open``: every day 00:00-23:59, open for every contact: each due enrollment is claimed and handed to a send
  task (in chunks of ``REX_SEQUENCER_SEND_CHUNK``);
- ``half deferred``: every day 09:00-17:00 local: the contacts in New York (07:00) and Tokyo (21:00), half of the
  due ones, are outside it and moved to their next opening; the others are claimed.

Each (N, variant) is ticked once untimed with its queries counted (``CaptureQueriesContext``; that run also
warms the caches), then ``--runs`` times timed, the due rows reset between runs with one UPDATE (and the audit
rows of the waits that ended deleted, and the table vacuumed, so every run starts from the same state). The
figure is the median. Everything the tick does is included: the batched ``SELECT … FOR UPDATE SKIP LOCKED``,
the decisions, every UPDATE/INSERT, each batch's commit and the after-commit hand-over to Celery. Only that
last call is replaced: ``celery_app.send_task`` is pointed at a counter in this process (the broker boundary),
so no broker or worker is needed; nothing inside REX's logic is patched.

The claims are "queries per tick do not depend on N" (the same count for both sizes: their ratio is printed)
and "< 2 s per tick for 5,000 due at N = 100,000"; time(N=100k) / time(N=10k), measured in the same run, is
the ratio to quote; absolute times are this machine's. It uses the same services as ``make bench`` (its own
database ``rex_bench_<pid>``, created and dropped, and a Redis database number of its own), starts no
processes, and writes everything to ``bench/results/sequencer.json``. ``--strict`` exits 1 when a claim fails;
``--explain`` prints the plan of the tick's first due query at each size.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

from run import choose_services  # bench/run.py: a script's own directory is on sys.path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "sequencer.json"
TARGET_SECONDS = 2.0
CHUNK = 5_000
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday, 12:00 UTC
VARIANTS = {
    "open": {"send_days": list(range(7)), "send_start": dtime(0, 0), "send_end": dtime(23, 59)},
    "half deferred": {"send_days": list(range(7)), "send_start": dtime(9, 0), "send_end": dtime(17, 0)},
}


def log(message: str) -> None:
    print(f"[sequencer bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the data -------------------------------------------------------------------------------------------------------

def contact_fields(i: int) -> dict[str, str]:
    """One in eight of each: inside 09:00-17:00 at NOW for profiles 0-3, outside it for 4-7."""
    profile = i % 8
    return [
        {"timezone": "Europe/London"},
        {"phone": f"+44207946{i % 1000:04d}"},      # London
        {},                                          # the campaign's zone, UTC
        {"phone": f"+3314268{i % 10000:04d}"},      # Paris
        {"timezone": "America/New_York"},
        {"phone": f"+8135550{i % 10000:04d}"},      # Tokyo
        {"timezone": "Asia/Tokyo"},
        {"phone": f"+1212279{i % 10000:04d}"},      # New York
    ][profile]


def build(n: int, due: int, tag: str) -> dict[str, Any]:
    """The organization, its campaign and sequence, N contacts and N running enrollments, ``due`` of them due."""
    from django.db import connection

    from campaigns.models import Campaign, Contact, Enrollment, EnrollmentState, Sequence, SequenceStep, StepVariant
    from tenants.models import Organization

    E = EnrollmentState
    org = Organization.objects.create(name=f"Sequencer bench {tag}", slug=f"sequencer-bench-{tag}")
    sequence = Sequence.objects.create(organization=org, name="Bench sequence")
    first = SequenceStep.objects.create(sequence=sequence, position=0, kind=SequenceStep.Kind.EMAIL)
    SequenceStep.objects.create(sequence=sequence, position=1, kind=SequenceStep.Kind.WAIT, wait_days=2)
    last = SequenceStep.objects.create(sequence=sequence, position=2, kind=SequenceStep.Kind.EMAIL)
    for step in (first, last):
        for label in ("A", "B"):
            StepVariant.objects.create(step=step, label=label, subject_template="Hello {{first_name}}",
                                       body_template=f"Hi {{{{first_name}}}}, variant {label}.")
    campaign = Campaign.objects.create(organization=org, name="Bench campaign", status=Campaign.Status.ACTIVE,
                                       sequence=sequence, timezone="UTC", started_at=NOW - timedelta(days=7),
                                       **VARIANTS["open"])
    every = max(1, n // due)  # the due ones are spread over the table, as they would be
    due_ids: list[int] = []
    for start in range(0, n, CHUNK):
        indices = range(start, min(n, start + CHUNK))
        # The due ones get the same mix of zones and states as the others: each is profiled by its rank among them.
        ranks = [(i, i // every if i % every == 0 and i // every < due else None) for i in indices]
        contacts = Contact.objects.bulk_create(
            [Contact(organization=org, email=f"c{i}@{tag}.bench.example", first_name=f"C{i}",
                     **contact_fields(i if rank is None else rank)) for i, rank in ranks], batch_size=CHUNK)
        rows = []
        for (i, rank), contact in zip(ranks, contacts, strict=True):
            j = i if rank is None else rank
            waiting = (j // 8) % 2 == 1  # independent of the zone profile (j % 8)
            if rank is not None:
                next_due = NOW - timedelta(seconds=1 + i % 3600)
            else:
                next_due = NOW + timedelta(hours=1 + i % 96)
            rows.append(Enrollment(organization=org, campaign=campaign, contact=contact,
                                   state=E.WAITING if waiting else E.ACTIVE, step_index=2 if waiting else 0,
                                   next_due_at=next_due, enrolled_at=NOW - timedelta(days=3),
                                   state_changed_at=NOW - timedelta(days=3)))
        created = Enrollment.objects.bulk_create(rows, batch_size=CHUNK)
        due_ids.extend(e.pk for e in created if e.next_due_at <= NOW)
    with connection.cursor() as cursor:  # fresh bulk-loaded tables have no statistics yet; production's have
        cursor.execute(f"VACUUM ANALYZE {Enrollment._meta.db_table}")
        cursor.execute(f"ANALYZE {Contact._meta.db_table}")
        cursor.execute(f"ANALYZE {Campaign._meta.db_table}")
    return {"organization": org, "campaign": campaign, "due_ids": due_ids}


def reset(data: dict[str, Any]) -> None:
    """The due rows back to where build() left them: one UPDATE; the audit rows of ended waits deleted; VACUUM."""
    from django.db import connection

    from campaigns.models import Enrollment, EnrollmentTransition

    table = Enrollment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = CASE WHEN step_index = 2 THEN 'waiting' ELSE 'active' END, "
            "claimed_until = NULL, next_due_at = %s - make_interval(secs => 1 + id %% 3600) WHERE id = ANY(%s)",
            [NOW, data["due_ids"]])
        EnrollmentTransition.objects.filter(enrollment__campaign=data["campaign"]).delete()
        cursor.execute(f"VACUUM ANALYZE {table}")


def drop(data: dict[str, Any]) -> None:
    """Everything build() made, with plain DELETEs (the ORM's cascade would read 100,000 rows first)."""
    from django.db import connection

    from campaigns.models import Contact, Enrollment, EnrollmentTransition

    org = data["organization"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {EnrollmentTransition._meta.db_table} WHERE enrollment_id IN "
                       f"(SELECT id FROM {Enrollment._meta.db_table} WHERE organization_id = %s)", [org.pk])
        cursor.execute(f"DELETE FROM {Enrollment._meta.db_table} WHERE organization_id = %s", [org.pk])
        cursor.execute(f"DELETE FROM {Contact._meta.db_table} WHERE organization_id = %s", [org.pk])
    data["campaign"].delete()  # its sequence is protected while a campaign runs it
    org.delete()


# --- the tick -----------------------------------------------------------------------------------------------------------

class SendCounter:
    """Stands in for ``celery_app.send_task``: records what would have gone to the broker."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[int], str]] = []

    def __call__(self, name: str, args=None, kwargs=None, queue: str | None = None, **options) -> None:
        self.calls.append((name, list(args[0]), queue or ""))

    def ids(self) -> list[int]:
        return [pk for _, ids, _ in self.calls for pk in ids]


def counted_tick(sends: SendCounter) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from campaigns.sequencer import tick

    sends.calls.clear()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = tick(NOW)
        seconds = time.perf_counter() - started
    slowest = sorted(((float(q["time"]), q["sql"]) for q in queries.captured_queries), reverse=True)[:3]
    kinds: dict[str, int] = {}
    for q in queries.captured_queries:
        word = q["sql"].split(None, 1)[0].upper()
        kinds[word] = kinds.get(word, 0) + 1
    due_sql = next(q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"])
    sql_seconds = sum(float(q["time"]) for q in queries.captured_queries)  # as the client waited for each
    return {"queries": len(queries), "statements": kinds, "due_sql": due_sql, "sql_seconds": round(sql_seconds, 4),
            "seconds_with_capture": round(seconds, 4),
            "report": report.as_dict(), "send_tasks": len(sends.calls), "ids_sent": len(sends.ids()),
            "slowest_queries": [{"ms": round(t * 1000, 1), "sql": sql[:200]} for t, sql in slowest]}


def timed_tick(sends: SendCounter) -> tuple[float, float, dict[str, Any]]:
    """Wall seconds, this process's CPU seconds (Python: REX, Django, psycopg; not PostgreSQL's), the report."""
    from campaigns.sequencer import tick

    sends.calls.clear()
    gc.collect()  # what the previous run (or build) left is not this tick's garbage
    started, cpu = time.perf_counter(), time.process_time()
    report = tick(NOW)
    return time.perf_counter() - started, time.process_time() - cpu, report.as_dict()


def explain(sql: str) -> str:
    """EXPLAIN ANALYZE of a statement the tick ran (its first batch query, as sent), rolled back: it locks rows."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def profile_tick(data: dict[str, Any], sends: SendCounter, title: str) -> None:
    """One more tick under cProfile: the 25 functions with the most time of their own and below them."""
    import cProfile
    import pstats

    reset(data)
    profiler = cProfile.Profile()
    profiler.enable()
    timed_tick(sends)
    profiler.disable()
    print(f"\ncProfile of one tick, {title} (cumulative):", flush=True)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(15)


# --- main -------------------------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="numbers of running enrollments, comma separated")
    parser.add_argument("--due", type=int, default=5_000, help="how many of them are due at the tick")
    parser.add_argument("--runs", type=int, default=3, help="timed ticks per size and variant; the median is the figure")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of the due query at each size")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one more tick at each size/variant")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a claim fails")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes = [max(100, min(int(s), 1_000_000)) for s in args.sizes.split(",") if s.strip()]
    due = max(1, min(args.due, min(sizes)))
    runs = max(1, min(args.runs, 9))

    services = choose_services()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from campaigns.models import Campaign
    from rex_project.celery import app as celery_app

    call_command("migrate", interactive=False, verbosity=0)
    log(f"database {services['database']} ({services['database_kind']}), redis {services['redis']} "
        f"({services['redis_kind']})")
    sends = SendCounter()
    celery_app.send_task = sends  # the broker boundary, in this process only
    chunk = settings.REX_SEQUENCER_SEND_CHUNK
    results: dict[str, dict[str, Any]] = {}
    plans: dict[int, str] = {}
    try:
        for n in sizes:
            started = time.perf_counter()
            data = build(n, due, f"n{n}")
            log(f"N = {n}: {n} contacts and running enrollments ({len(data['due_ids'])} due) built in "
                f"{time.perf_counter() - started:.1f} s")
            for variant, window in VARIANTS.items():
                Campaign.objects.filter(pk=data["campaign"].pk).update(**window)
                reset(data)
                counted = counted_tick(sends)
                if args.explain and variant == "open":
                    reset(data)
                    plans[n] = explain(counted["due_sql"])
                handed = [ids for _, ids, _ in sends.calls]  # each batch's last chunk may be shorter
                chunks_ok = all(0 < len(ids) <= chunk for ids in handed) and len(set(sends.ids())) == counted[
                    "report"]["claimed"]
                times, cpus, reports = [], [], []
                for _ in range(runs):
                    reset(data)
                    seconds, cpu, report = timed_tick(sends)
                    times.append(seconds)
                    cpus.append(cpu)
                    reports.append(report)
                if args.profile:
                    profile_tick(data, sends, f"N = {n}, {variant}")
                key = f"{n}/{variant}"
                results[key] = {"n": n, "variant": variant, "due": len(data["due_ids"]), **counted,
                                "chunks_of_send_chunk": chunks_ok, "seconds": [round(t, 4) for t in times],
                                "median_seconds": round(statistics.median(times), 4),
                                "cpu_seconds": [round(t, 4) for t in cpus],
                                "median_cpu_seconds": round(statistics.median(cpus), 4),
                                "same_report_every_run": all(r == reports[0] for r in reports)}
                r = counted["report"]
                log(f"N = {n}, {variant}: {statistics.median(times) * 1000:.0f} ms median "
                    f"({', '.join(f'{t * 1000:.0f}' for t in times)}; CPU here {statistics.median(cpus) * 1000:.0f} ms), "
                    f"{counted['queries']} queries, "
                    f"{r['batches']} batches; claimed {r['claimed']}, deferred {r['outside_window']}, "
                    f"waits over {r['waits_over']}, {r['tasks']} send tasks")
            drop(data)
    finally:
        shutil.rmtree(os.environ["REX_VAR_DIR"], ignore_errors=True)  # the temporary one choose_services() made

    small, large = min(sizes), max(sizes)
    ok = True
    print(f"\nsequencer tick: {due} due, batches of {settings.REX_SEQUENCER_BATCH}, send chunks of {chunk}; "
          f"median of {runs} runs ({os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{connection.vendor} {services['database_kind']})")
    print(f"{'N running':>10} {'variant':<14} {'queries':>8} {'batches':>8} {'claimed':>8} {'deferred':>9} "
          f"{'tasks':>6} {'ms':>8} {'CPU ms':>7}")
    for res in results.values():
        r = res["report"]
        print(f"{res['n']:>10} {res['variant']:<14} {res['queries']:>8} {r['batches']:>8} {r['claimed']:>8} "
              f"{r['outside_window']:>9} {r['tasks']:>6} {res['median_seconds'] * 1000:>8.0f} "
              f"{res['median_cpu_seconds'] * 1000:>7.0f}")
    for variant in VARIANTS:
        a, b = results[f"{small}/{variant}"], results[f"{large}/{variant}"]
        same = a["queries"] == b["queries"]
        fast = b["median_seconds"] < TARGET_SECONDS
        ok = ok and same and fast and a["chunks_of_send_chunk"] and b["chunks_of_send_chunk"]
        print(f"{variant}: queries N={large} / N={small} = {b['queries']}/{a['queries']} = "
              f"{b['queries'] / a['queries']:.2f} ({'constant in N' if same else 'GROWS with N'}); "
              f"time ratio {b['median_seconds'] / a['median_seconds']:.2f} (CPU here "
              f"{b['median_cpu_seconds'] / a['median_cpu_seconds']:.2f}); "
              f"{b['median_seconds'] * 1000:.0f} ms at N={large}, target < {TARGET_SECONDS * 1000:.0f} ms: "
              f"{'met' if fast else 'MISSED'}")
    print("statements per tick (open window, N=" + str(large) + "): "
          + ", ".join(f"{k} {v}" for k, v in results[f"{large}/open"]["statements"].items()))
    print("waiting on statements, in the counted run: " + ", ".join(
        f"{res['n']} {res['variant']} {res['sql_seconds'] * 1000:.0f} ms" for res in results.values()))
    print(f"slowest statements (open window, N={large}):")
    for q in results[f"{large}/open"]["slowest_queries"]:
        print(f"  {q['ms']:>8.1f} ms  {q['sql']}")
    for n, plan in plans.items():
        print(f"\nEXPLAIN ANALYZE of the first due query at N = {n}:\n{plan}")
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(), "platform": platform.platform()},
        "database": {"vendor": connection.vendor, "kind": services["database_kind"]},
        "now": NOW.isoformat(), "due": due, "runs": runs, "batch_size": settings.REX_SEQUENCER_BATCH,
        "send_chunk": chunk, "target_seconds": TARGET_SECONDS, "results": results, "plans": plans, "ok": ok,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, default=str) + "\n")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
