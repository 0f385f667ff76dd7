"""``make bench`` (warmup part): what one daily warmup tick (inboxes.warmup.tick) costs on a large fleet.

Each run builds a fresh fleet — by default 10,000 inboxes on 3,400 domains, with ``--history-days`` days of
``InboxDay`` sending history each — then times one ``tick()`` (everything included: the lock, the rate
aggregation over the window, every set-based UPDATE, the domain moves with their audit rows, the commit, and
the after-commit broadcast of the moved domains to the dashboards over Redis) and counts its queries, then
deletes the fleet. The figure is the best of ``--runs`` runs. The fleet mixes, by domain (out of every 100):

- 50 warming domains, inboxes spread over warmup days 1-18 (those on day 18 reach their cap and become active);
  in 5 of them every inbox is on day 18, so the domain becomes ready;
- 15 ready and 20 in use, inboxes active, one in seven of the ready ones' inboxes paused four days ago (resumes);
- 3 in use with one inbox bouncing 7.5 % and 1 warming with one inbox drawing complaints (pause → domain rests);
- 5 resting whose rest ends today (back to warming, inboxes resume), 4 still resting, 1 at its third incident
  (burned, inboxes disabled), 1 dns_pending (untouched).

It never touches dev or test data: by default it uses its own database (``rex_bench_warmup`` on the local
PostgreSQL, or on a throwaway one when none answers), created at the start and dropped at the end.
``--database-url`` runs it against an existing database instead (``sqlite:///…`` for the embedded set-up): it
then migrates it, works inside its own organization and deletes everything it created. Target: < 2 s per tick,
and a query count that does not depend on the fleet's size. Results go to ``bench/results/warmup.json``;
``--strict`` exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Per run, like the test suite's: two checkouts benchmarking at once never drop each other's database.
BENCH_DATABASE = f"rex_bench_warmup_{os.getpid()}"
LOCAL_PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
RESULTS = ROOT / "bench" / "results" / "warmup.json"
TARGET_SECONDS = 2.0


def log(message: str) -> None:
    print(f"[warmup bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the database -------------------------------------------------------------------------------------------------

def create_bench_database() -> tuple[str, str, str]:
    """A fresh database of our own; returns (its URL, the server URL to drop it from, local/throwaway)."""
    import psycopg

    from ops import testenv

    server, kind = LOCAL_PG_SERVER, "local"
    if not testenv._postgres_usable(server):
        server, kind = testenv.start_throwaway_postgres(), "throwaway"
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return server.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}", server, kind


def choose_redis() -> tuple[str, str]:
    """The channel layer the domain moves broadcast to after commit (part of what a tick costs): the local Redis
    on the bench's database number, or a throwaway one."""
    from ops import testenv

    if testenv.port_open("127.0.0.1", 6379):
        return f"{testenv.LOCAL_REDIS_SERVER}/{testenv.claim_redis_db(testenv.LOCAL_REDIS_SERVER)}", "local"
    server = testenv.start_throwaway_redis()
    return f"{server}/{testenv.claim_redis_db(server)}", "throwaway"


def drop_bench_database(server: str) -> None:
    import psycopg

    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


# --- the fleet ------------------------------------------------------------------------------------------------------

def build_fleet(organization, prefix: str, *, inboxes: int, domains: int, history_days: int, today: date) -> dict:
    """Create the fleet with bulk inserts; returns how many of each kind were made."""
    from django.db import connection

    from domains.models import Domain, DomainPool, DomainState
    from inboxes.models import Inbox, InboxDay
    from inboxes.warmup import ramp_limit

    S, I = DomainState, Inbox.Status  # noqa: E741 - statuses read as I.WARMING, I.ACTIVE
    pool = DomainPool.objects.create(organization=organization, name=f"Bench {prefix}", slug=f"bench-{prefix}")
    midnight = datetime.combine(today, dtime.min, tzinfo=UTC)

    def domain_kind(d: int) -> str:
        k = d % 100
        return ("warming" if k < 50 else "ready" if k < 65 else "in_use" if k < 85 else "bouncing" if k < 88
                else "complaining" if k < 89 else "rest_over" if k < 94 else "resting" if k < 98
                else "burning" if k < 99 else "dns_pending")

    state_of = {"warming": S.WARMING, "ready": S.READY, "in_use": S.IN_USE, "bouncing": S.IN_USE,
                "complaining": S.WARMING, "rest_over": S.RESTING, "resting": S.RESTING, "burning": S.RESTING,
                "dns_pending": S.DNS_PENDING}
    kinds = [domain_kind(d) for d in range(domains)]
    rows = []
    for d, kind in enumerate(kinds):
        extra: dict[str, Any] = {}
        if kind == "rest_over":
            extra = {"incidents": 1, "rest_until": midnight}
        elif kind == "resting":
            extra = {"incidents": 1, "rest_until": midnight + timedelta(days=2)}
        elif kind == "burning":
            extra = {"incidents": 3, "rest_until": midnight + timedelta(days=3)}
        rows.append(Domain(organization=organization, pool=pool, name=f"{prefix}-{d}.bench.example",
                           state=state_of[kind], dns_ok=True, **extra))
    Domain.objects.bulk_create(rows, batch_size=2000)
    domain_ids = dict(Domain.objects.filter(pool=pool).values_list("name", "pk"))

    def ramp(day: int) -> int:
        return ramp_limit(day, daily_cap=40, warmup_start=5, warmup_increment=2, warmup_target_days=21)

    inbox_rows, plans = [], []
    for j in range(inboxes):
        d = j % domains
        kind, first_of_domain = kinds[d], j < domains
        fields: dict[str, Any] = {"status": I.ACTIVE, "warmup_limit": 40, "warmup_day": 19,
                                  "warmup_advanced_on": today - timedelta(days=30)}
        daily = {"sent": 40, "bounces": 1 if j % 3 == 0 else 0, "complaints": 0}
        if kind in ("warming", "complaining"):
            # Every inbox of the first 5 warming domains in a hundred is on its last day: those domains get ready.
            day = 18 if d % 100 < 5 else 1 + j % 18
            fields = {"status": I.WARMING, "warmup_limit": ramp(day), "warmup_day": day,
                      "warmup_advanced_on": today - timedelta(days=1)}
            daily = {"sent": ramp(day), "bounces": 0, "complaints": 0}
        elif kind in ("rest_over", "resting", "burning") or (kind == "ready" and j % 7 == 0):
            paused_days = {"rest_over": 3, "resting": 1, "burning": 0}.get(kind, 4)
            fields = {"status": I.PAUSED, "warmup_limit": 40, "warmup_day": 19, "pauses": 1,
                      "paused_at": midnight - timedelta(days=paused_days) + timedelta(hours=5),
                      "pause_reason": "bounce rate 5% (10/200) above 3% over the last 7 days",
                      "warmup_advanced_on": today - timedelta(days=paused_days)}
        elif kind == "dns_pending":
            fields, daily = {"status": I.PENDING}, None
        if kind == "bouncing" and first_of_domain:
            daily = {"sent": 40, "bounces": 3, "complaints": 0}        # 7.5 %
        if kind == "complaining" and first_of_domain:
            daily = {**daily, "complaints": 1}
        inbox_rows.append(Inbox(organization=organization, domain_id=domain_ids[f"{prefix}-{d}.bench.example"],
                                address=f"rep{j}@{prefix}-{d}.bench.example", **fields))
        plans.append(daily)
    Inbox.objects.bulk_create(inbox_rows, batch_size=2000)
    inbox_ids = dict(Inbox.objects.filter(organization=organization, domain__pool=pool).values_list("address", "pk"))

    day_rows = []
    for row, daily in zip(inbox_rows, plans, strict=True):
        if daily is None:
            continue
        for n in range(1, history_days + 1):
            day_rows.append(InboxDay(inbox_id=inbox_ids[row.address], day=today - timedelta(days=n), **daily))
        if len(day_rows) >= 20000:
            InboxDay.objects.bulk_create(day_rows, batch_size=5000)
            day_rows = []
    InboxDay.objects.bulk_create(day_rows, batch_size=5000)
    if connection.vendor == "postgresql":
        # Fresh bulk-loaded tables have no statistics yet; a production database has them (autovacuum).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inbox_management, inboxes_inboxday, domains_domain")
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    return {"pool": pool, "domains": counts, "inbox_days": InboxDay.objects.filter(inbox__domain__pool=pool).count()}


def delete_fleet(pool) -> None:
    from domains.models import Domain, DomainTransition
    from inboxes.models import Inbox, InboxDay

    InboxDay.objects.filter(inbox__domain__pool=pool).delete()
    Inbox.objects.filter(domain__pool=pool).delete()
    DomainTransition.objects.filter(domain__pool=pool).delete()
    Domain.objects.filter(pool=pool).delete()
    pool.delete()


def timed_tick(today: date) -> dict[str, Any]:
    """One tick, timed and counted in two parts: its transaction, then the commit and the after-commit broadcasts.

    The outer atomic block only holds the commit back until the first clock reading; ``tick()`` runs exactly as
    it does alone (its own atomic block becomes a savepoint).
    """
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from inboxes.warmup import tick

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        with transaction.atomic():
            report = tick(today=today)
            ticked = time.perf_counter()
            in_transaction = len(queries)
        finished = time.perf_counter()
    slowest = sorted(((float(q["time"]), q["sql"]) for q in queries.captured_queries), reverse=True)[:3]
    return {"seconds": round(finished - started, 4), "transaction_seconds": round(ticked - started, 4),
            "commit_and_broadcast_seconds": round(finished - ticked, 4), "queries": len(queries),
            "transaction_queries": in_transaction, "report": report.counts(),
            "slowest_queries": [{"ms": round(t * 1000, 1), "sql": sql[:160]} for t, sql in slowest]}


# --- main -------------------------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inboxes", type=int, default=10_000)
    parser.add_argument("--domains", type=int, default=3_400)
    parser.add_argument("--history-days", type=int, default=14, help="days of InboxDay history per sending inbox")
    parser.add_argument("--runs", type=int, default=3, help="fresh fleets timed; the best run is the figure")
    parser.add_argument("--database-url", help="an existing database to use instead of a fresh rex_bench_warmup")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.domains = max(100, min(args.domains, 100_000))
    args.inboxes = max(args.domains, min(args.inboxes, 300_000))
    args.runs = max(1, min(args.runs, 9))
    args.history_days = max(1, min(args.history_days, 60))

    drop_from = None
    if args.database_url:
        database_url, kind = args.database_url, "given"
    else:
        database_url, drop_from, kind = create_bench_database()
    var_dir = tempfile.mkdtemp(prefix="rex-bench-warmup-var-")
    redis_url, redis_kind = choose_redis()
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["REX_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "rex_project.settings"
    log(f"database {database_url} ({kind}), redis {redis_url} ({redis_kind})")
    organization = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from inboxes.warmup import utc_today
        from tenants.models import Organization

        call_command("migrate", interactive=False, verbosity=0)
        run_id = uuid.uuid4().hex[:6]
        organization = Organization.objects.create(name=f"Warmup bench {run_id}", slug=f"warmup-bench-{run_id}")
        today = utc_today()
        runs: list[dict[str, Any]] = []
        for number in range(1, args.runs + 1):
            started = time.perf_counter()
            fleet = build_fleet(organization, f"w{run_id}r{number}", inboxes=args.inboxes, domains=args.domains,
                                history_days=args.history_days, today=today)
            built = time.perf_counter() - started
            run = timed_tick(today)
            runs.append(run)
            log(f"run {number}/{args.runs}: fleet of {args.inboxes} inboxes / {args.domains} domains / "
                f"{fleet['inbox_days']} inbox-days built in {built:.1f} s; tick {run['seconds'] * 1000:.0f} ms, "
                f"{run['queries']} queries")
            delete_fleet(fleet["pool"])
        best = min(runs, key=lambda r: r["seconds"])
        ok = best["seconds"] < TARGET_SECONDS
        same_queries = len({r["queries"] for r in runs}) == 1
        print(f"{'tick (best of ' + str(args.runs) + ')':<28}{best['seconds'] * 1000:>9.0f} ms   target < "
              f"{TARGET_SECONDS * 1000:.0f} ms  {'ok' if ok else 'MISSED'}")
        print(f"{'  of which the transaction':<28}{best['transaction_seconds'] * 1000:>9.0f} ms   "
              f"{best['transaction_queries']} queries")
        print(f"{'  commit + broadcasts':<28}{best['commit_and_broadcast_seconds'] * 1000:>9.0f} ms   "
              f"{best['queries'] - best['transaction_queries']} queries (domain snapshots for the dashboards)")
        print(f"{'queries per tick':<28}{best['queries']:>9}      "
              f"{'the same in every run' if same_queries else 'VARIES between runs'}")
        print(f"{'what the tick did':<28}" + ", ".join(f"{k} {v}" for k, v in best["report"].items()))
        print("slowest statements of the best run:")
        for q in best["slowest_queries"]:
            print(f"  {q['ms']:>8.1f} ms  {q['sql']}")
        log(f"{args.inboxes} inboxes on {args.domains} domains, {args.history_days} days of history: "
            f"{best['seconds']:.3f} s per tick, {best['queries']} queries")
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(),
                        "platform": platform.platform()},
            "database": {"vendor": connection.vendor, "kind": kind},
            "fleet": {"inboxes": args.inboxes, "domains": args.domains, "history_days": args.history_days,
                      "domain_kinds": fleet["domains"], "inbox_days": fleet["inbox_days"]},
            "target_seconds": TARGET_SECONDS,
            "best": best,
            "runs": runs,
            "ok": ok,
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(result, indent=2) + "\n")
    finally:
        if organization is not None:
            from domains.models import DomainPool

            for pool in DomainPool.objects.filter(organization=organization):
                delete_fleet(pool)
            organization.delete()
        if drop_from:
            from django.db import connections

            connections.close_all()
            drop_bench_database(drop_from)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
