"""``make bench`` (HTTP): canary missions through the API, on the production web role, against bare Celery.

One run, one PostgreSQL database and one Redis of its own (as ``bench/run.py``), the stack ``rex up`` starts:
the web role (gunicorn + uvicorn workers, ``ops/webserver.py``, ``REX_WEB_WORKERS`` = the cores) and one Celery
worker with ``make run``'s flags (prefork ``-c 2``). It measures, in alternating rounds of the same length:

1. HTTP: ``--clients`` client threads each ``POST /api/rex/command`` a canary mission (the product's canary,
   unchanged), and after each POST ``GET /api/missions/<id>/`` its oldest unfinished mission; when the posting
   time is up they poll what is left every ``--poll-ms`` until every mission is ``succeeded``. Rate = missions /
   (first POST -> last mission seen done by its client);
2. HTTP, batched: the same clients each ``POST /api/rex/commands`` ``--batch-size`` canaries at once (the batch
   intake), and after each POST ``GET /api/missions/status?ids=…&wait=<--wait-s>`` for their oldest unfinished
   missions (up to 100), which answers when they are final (``--wait-s 0``: polled every ``--poll-ms`` instead);
   the same drain and the same rate;
3. bare Celery: no-op tasks (``missions.noop``) sent for the same time to the same worker, with at most
   ``BACKLOG`` waiting (so the queue never holds more than the worker can run in a fraction of a second), rate =
   tasks / (first send -> last done).

The ratio of the median rates, batched HTTP / bare Celery, is the figure of issue 12 (target >= 0.5; ``--strict``
judges it); the one-mission-per-POST ratio is printed beside it. Then, on the same server: POST/s of the
API alone (clients posting, nobody polling), GET/s of a mission's detail, POST/s of a bare Django JSON view (the
bench's own URLconf, ``bench/urls.py``), and the RSS of every web and worker process after they idled.

Everything listens on 127.0.0.1; the processes run in their own process groups and are stopped at the end (also
on Ctrl-C). Results are printed and written to ``bench/results/http-latest.json``; docs/performance.md explains
them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import statistics
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402 - after the project root is on sys.path
    WORKER_CONCURRENCY,
    Child,
    CpuMeter,
    choose_services,
    log,
    prepare_run,
    start_web,
    start_worker,
    wait_until,
)

RESULTS = ROOT / "bench" / "results" / "http-latest.json"
TARGET_RATIO = 0.5
BACKLOG = 200  # no-op tasks waiting at most: ~0.3 s of the worker's work, enough that it never waits for the producer
FINAL = {"succeeded", "failed", "cancelled"}
DRAIN_TIMEOUT = 120.0
MAX_IDS_PER_POLL = 100  # GET /api/missions/status takes at most 100 ids


# --- processes ----------------------------------------------------------------------------------------------------

def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- clients --------------------------------------------------------------------------------------------------------

class Client:
    """One client: a kept-alive connection with the bench user's token."""

    def __init__(self, port: int, token: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=self.headers)
        response = self.conn.getresponse()
        payload = response.read()
        return response.status, json.loads(payload) if payload else None

    def post_canary(self, tag: str) -> str:
        status, body = self.call("POST", "/api/rex/command", {"type": "canary", "params": {"tag": tag}})
        if status != 201:
            raise RuntimeError(f"POST /api/rex/command answered {status}: {body}")
        return body["id"]

    def post_canaries(self, tags: list[str]) -> list[str]:
        status, body = self.call("POST", "/api/rex/commands",
                                 {"commands": [{"type": "canary", "params": {"tag": tag}} for tag in tags]})
        if status != 201:
            raise RuntimeError(f"POST /api/rex/commands answered {status}: {body}")
        return [mission["id"] for mission in body["missions"]]

    def succeeded_among(self, mission_ids: list[str], wait: float = 0) -> set[str]:
        """Which of the missions (at most 100) have succeeded, in one ``GET /api/missions/status`` (with ``wait``:
        answered once they are all final, or after ``wait`` seconds)."""
        status, body = self.call("GET", f"/api/missions/status?ids={','.join(mission_ids)}"
                                        + (f"&wait={wait:g}" if wait else ""))
        if status != 200 or body["missing"]:
            raise RuntimeError(f"GET /api/missions/status answered {status}: {body}")
        done = set()
        for mission in body["missions"]:
            if mission["status"] in FINAL and mission["status"] != "succeeded":
                raise RuntimeError(f"mission {mission['id']} ended {mission['status']}")
            if mission["status"] == "succeeded":
                done.add(mission["id"])
        return done

    def mission_status(self, mission_id: str) -> str:
        status, body = self.call("GET", f"/api/missions/{mission_id}/")
        if status != 200:
            raise RuntimeError(f"GET /api/missions/{mission_id}/ answered {status}: {body}")
        if body["status"] in FINAL and body["status"] != "succeeded":
            raise RuntimeError(f"mission {mission_id} ended {body['status']}: {body.get('error')}")
        return body["status"]

    def close(self) -> None:
        self.conn.close()


def run_clients(n: int, work) -> list[dict[str, Any]]:
    """Run ``work(index)`` on n threads at once; re-raise the first failure."""
    results: list[dict[str, Any] | None] = [None] * n
    errors: list[BaseException] = []

    def target(index: int) -> None:
        try:
            results[index] = work(index)
        except BaseException as exc:  # noqa: BLE001 - reported below, on the main thread
            errors.append(exc)

    threads = [threading.Thread(target=target, args=(i,), name=f"client-{i}") for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [r for r in results if r is not None]


def client_round(port: int, token: str, clients: int, seconds: float, poll: float, meter: CpuMeter | None, *,
                 post: Callable[[Client, str], list[str]], check: Callable[[Client, list[str]], set[str]],
                 ids_per_check: int, most_unfinished: int | None) -> dict[str, Any]:
    """The missions-through-HTTP rounds: for ``seconds`` each client ``post``s (a POST, returning the new missions'
    ids) whenever it has fewer than ``most_unfinished`` missions unfinished (None: always), and after each POST
    ``check``s which of its ``ids_per_check`` oldest unfinished missions are done (one GET); while it may not post,
    and once the time is up, it checks every ``poll`` seconds until all are done. Rate = missions / (first POST
    -> last mission seen done by its client)."""
    if meter:
        meter.start()
    start = time.monotonic()
    posting_ends = start + seconds

    def client(index: int) -> dict[str, Any]:
        api = Client(port, token)
        pending: deque[str] = deque()
        tally = {"posts": 0, "gets": 0, "missions": 0, "last_done": start}

        def check_oldest() -> bool:
            done = check(api, [pending[i] for i in range(min(len(pending), ids_per_check))])
            tally["gets"] += 1
            if done:
                tally["last_done"] = time.monotonic()
                for mission_id in done:
                    pending.remove(mission_id)
            return bool(done)

        try:
            while time.monotonic() < posting_ends:
                if most_unfinished is None or len(pending) < most_unfinished:
                    ids = post(api, f"{index}-{tally['posts']}")
                    pending.extend(ids)
                    tally["posts"] += 1
                    tally["missions"] += len(ids)
                    check_oldest()
                elif not check_oldest():
                    time.sleep(poll)
            posted_at = time.monotonic()
            while pending:
                if time.monotonic() > posted_at + DRAIN_TIMEOUT:
                    raise RuntimeError(f"{len(pending)} missions not done {DRAIN_TIMEOUT:.0f} s after posting")
                if not check_oldest():
                    time.sleep(poll)
        finally:
            api.close()
        return {**tally, "posted_at": posted_at}

    per_client = run_clients(clients, client)
    cpu = meter.stop() if meter else None
    missions = sum(c["missions"] for c in per_client)
    elapsed = max(c["last_done"] for c in per_client) - start
    posting = max(c["posted_at"] for c in per_client) - start
    return {"missions": missions, "posts": sum(c["posts"] for c in per_client), "seconds": elapsed,
            "per_second": missions / elapsed, "missions_per_second_while_posting": missions / posting,
            "gets": sum(c["gets"] for c in per_client), **({"cpu_seconds": cpu} if cpu else {})}


def http_round(port: int, token: str, clients: int, seconds: float, poll: float, tag: str,
               meter: CpuMeter | None) -> dict[str, Any]:
    """One canary per ``POST /api/rex/command``, each client polling its oldest unfinished one after every POST
    (``GET /api/missions/<id>/``), then what is left every ``poll`` seconds until all are done."""

    def check(api: Client, oldest: list[str]) -> set[str]:
        return set(oldest) if api.mission_status(oldest[0]) == "succeeded" else set()

    return client_round(port, token, clients, seconds, poll, meter,
                        post=lambda api, name: [api.post_canary(f"{tag}-{name}")], check=check,
                        ids_per_check=1, most_unfinished=None)


def batched_round(port: int, token: str, clients: int, seconds: float, poll: float, tag: str, batch_size: int,
                  in_flight: int, meter: CpuMeter | None, wait: float = 0) -> dict[str, Any]:
    """The batch intake, as an integrator would use it: each client posts ``batch_size`` canaries in one
    ``POST /api/rex/commands`` whenever it has fewer than ``in_flight`` batches unfinished, and asks the status of
    its oldest unfinished missions (up to 100, one ``GET /api/missions/status``) after every POST; then what is left
    until all are done. With ``wait`` (seconds; the default run's 10) each GET waits on the server until those
    missions are final, so a batch costs one GET, and a GET that ran out of time is sent again at once; with
    ``wait`` 0 the client polls every ``poll`` seconds instead (the row before the long-poll, for comparison).

    Bounded like the no-op round (at most ``BACKLOG`` tasks waiting): 8 clients x 1 batch of 25 in flight is the
    same 200. Unbounded, the clients posted ~800 missions/s for 10 s against a worker running a few hundred, and
    the round measured the worker draining a backlog of thousands for a minute while every client polled every
    50 ms (19 GETs per POST; the first run of this row, docs/performance.md)."""
    return client_round(port, token, clients, seconds, 0.0 if wait else poll, meter,
                        post=lambda api, name: api.post_canaries([f"{tag}-{name}-{i}" for i in range(batch_size)]),
                        check=lambda api, ids: api.succeeded_among(ids, wait), ids_per_check=MAX_IDS_PER_POLL,
                        most_unfinished=(in_flight - 1) * batch_size + 1)


def vacuum_bench_database() -> None:
    """Every mission is updated twice after its insert; with autovacuum off (as on the shared bench machine's
    PostgreSQL: ``SHOW autovacuum``) their dead rows pile up round after round, which a deployment's autovacuum
    would clear. Outside any round's CPU meter."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def noop_round(redis_client, seconds: float, key: str, meter: CpuMeter | None) -> dict[str, Any]:
    """No-op tasks to the same worker for ``seconds``, at most BACKLOG waiting; time until the last one ran."""
    from missions.tasks import noop

    redis_client.delete(key)
    if meter:
        meter.start()
    start = time.monotonic()
    sent = done = 0
    while time.monotonic() < start + seconds:
        if sent - done >= BACKLOG:
            done = int(redis_client.get(key) or 0)
            if sent - done >= BACKLOG:
                time.sleep(0.005)
                continue
        noop.apply_async(args=[key])
        sent += 1
    wait_until(lambda: int(redis_client.get(key) or 0) >= sent, DRAIN_TIMEOUT, f"{sent} no-op tasks",
               interval=0.005)
    elapsed = time.monotonic() - start
    cpu = meter.stop() if meter else None
    return {"tasks": sent, "seconds": elapsed, "per_second": sent / elapsed, **({"cpu_seconds": cpu} if cpu else {})}


def requests_per_second(port: int, token: str, clients: int, seconds: float, request) -> dict[str, Any]:
    """``request(client, index, i)`` on every client thread back to back for ``seconds``."""
    start = time.monotonic()
    ends = start + seconds

    def client(index: int) -> dict[str, Any]:
        api = Client(port, token)
        count = 0
        try:
            while time.monotonic() < ends:
                request(api, index, count)
                count += 1
        finally:
            api.close()
        return {"count": count, "ended": time.monotonic()}

    per_client = run_clients(clients, client)
    elapsed = max(c["ended"] for c in per_client) - start
    count = sum(c["count"] for c in per_client)
    return {"requests": count, "seconds": elapsed, "per_second": count / elapsed}


def bare_post(api: Client, index: int, i: int) -> None:
    status, body = api.call("POST", "/bench/bare-json", {"type": "canary", "params": {"tag": f"bare-{index}-{i}"}})
    if status != 201:
        raise RuntimeError(f"POST /bench/bare-json answered {status}: {body}")


def process_rss(web_pid: int, worker_pid: int) -> dict[str, Any]:
    web_workers = CpuMeter._children(web_pid)
    pool = CpuMeter._children(worker_pid)
    return {
        "web_master_mb": rss_mb(web_pid),
        "web_workers_mb": [rss_mb(pid) for pid in web_workers],
        "worker_main_mb": rss_mb(worker_pid),
        "worker_pool_mb": [rss_mb(pid) for pid in pool],
    }


# --- report -----------------------------------------------------------------------------------------------------------

def print_report(result: dict[str, Any]) -> None:
    r, rss = result["rounds"], result["rss_after_idle"]
    http_rates = ", ".join(f"{x['per_second']:.1f}" for x in r["http"])
    batched_rates = ", ".join(f"{x['per_second']:.1f}" for x in r["batched"])
    noop_rates = ", ".join(f"{x['per_second']:.0f}" for x in r["noop"])
    lines = [
        "",
        f"REX HTTP bench  {result['when']}  ({result['machine']['cpus']} cores, load before {result['load_before']}; "
        f"web: {result['web_workers']} uvicorn workers; worker prefork -c {result['worker_concurrency']}; "
        f"{result['clients']} clients, poll {result['poll_ms']:g} ms; batched: {result['batch_size']} per POST, "
        f"{result['batches_in_flight']} in flight per client, "
        + (f"status GET with wait={result['wait_s']:g} s)" if result.get("wait_s") else "status GET polled)"),
        "",
        f"missions through HTTP / bare Celery no-op tasks, {result['seconds']:g} s rounds, medians of {len(r['http'])}",
        f"  canaries, one per POST + polling GET       {result['http']['per_second']:8.1f} /s   ({http_rates})",
        f"  canaries, {result['batch_size']:>3} per POST + status GET       "
        f"{result['batched']['per_second']:8.1f} /s   ({batched_rates})",
        f"  bare Celery no-op tasks                    {result['noop']['per_second']:8.1f} /s   ({noop_rates})",
        f"  ratio, one per POST                        {result['ratio_one_per_post']:8.2f}",
        f"  ratio, batched (the figure; --strict)      {result['ratio']:8.2f}      target >= {TARGET_RATIO}: "
        f"{'met' if result['ratio'] >= TARGET_RATIO else 'MISSED'}",
        "",
        f"the same server, {result['phase_seconds']:g} s each, {result['clients']} clients back to back",
        f"  POST /api/rex/command (worker runs them)   {result['api_post']['per_second']:8.1f} /s",
        f"  GET /api/missions/<id>/                    {result['api_get']['per_second']:8.1f} /s",
        f"  POST /bench/bare-json (bare Django view)   {result['bare_post']['per_second']:8.1f} /s",
        f"  API POST/s / bare POST/s                   {result['api_post_over_bare']:8.2f}",
        "",
        "RSS after idling (MB)",
        f"  web workers            {', '.join(f'{x:.0f}' for x in rss['web_workers_mb'])}   (master "
        f"{rss['web_master_mb']:.0f}; target <= 150 each)",
        f"  Celery pool processes  {', '.join(f'{x:.0f}' for x in rss['worker_pool_mb'])}   (main "
        f"{rss['worker_main_mb']:.0f}; target <= 200 each)",
    ]
    cpu_http, cpu_noop = result["http"].get("cpu_seconds"), result["noop"].get("cpu_seconds")
    cpu_batched = result["batched"].get("cpu_seconds")
    if cpu_http and cpu_batched and cpu_noop:
        lines += ["", "where the CPU goes (CPU ms per mission / per no-op task; median rounds)",
                  f"  {'':<48} {'1/POST':>9} {'batched':>9} {'no-op':>8}"]
        names = [name for name in cpu_http if name != "wall"]
        for name in names:
            lines.append(f"  {name:<48} {cpu_http[name] / result['http']['missions'] * 1000:>9.2f} "
                         f"{cpu_batched.get(name, 0.0) / result['batched']['missions'] * 1000:>9.2f} "
                         f"{cpu_noop.get(name, 0.0) / result['noop']['tasks'] * 1000:>8.2f}")

        def busy(cpu: dict[str, float]) -> float:
            return sum(v for k, v in cpu.items() if k != "wall") / cpu["wall"]

        lines.append(f"  {'cores busy':<48} {busy(cpu_http):>9.2f} {busy(cpu_batched):>9.2f} {busy(cpu_noop):>8.2f}")
    lines += ["", f"results: {RESULTS.relative_to(ROOT)}", ""]
    print("\n".join(lines), flush=True)


# --- main ---------------------------------------------------------------------------------------------------------------

def main() -> int:
    from ops.webserver import default_workers

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="posting (and no-op sending) time of a round")
    parser.add_argument("--rounds", type=int, default=3, help="HTTP and no-op rounds, alternating")
    parser.add_argument("--clients", type=int, default=8, help="client threads")
    parser.add_argument("--poll-ms", type=float, default=50.0, help="poll interval once posting has ended")
    parser.add_argument("--batch-size", type=int, default=25, help="canaries per POST in the batched rounds")
    parser.add_argument("--batches-in-flight", type=int, default=1,
                        help="unfinished batches a client may have before it waits (batched rounds)")
    parser.add_argument("--vacuum", action="store_true",
                        help="VACUUM ANALYZE the bench database before each round (where autovacuum is off)")
    parser.add_argument("--wait-s", type=float, default=10.0,
                        help="the batched clients' GET /api/missions/status?wait= (seconds); 0: poll every --poll-ms")
    parser.add_argument("--phase-seconds", type=float, default=5.0, help="length of the POST, GET and bare phases")
    parser.add_argument("--web-workers", type=int, default=default_workers(), help="uvicorn worker processes")
    parser.add_argument("--idle-seconds", type=float, default=5.0, help="idle time before RSS is read")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the batched ratio misses its target")
    parser.add_argument("--keep-logs", action="store_true", help="keep the web and worker logs after a good run")
    args = parser.parse_args()
    args.seconds = max(1.0, min(args.seconds, 120.0))
    args.rounds = max(1, min(args.rounds, 9))
    args.clients = max(1, min(args.clients, 64))
    args.phase_seconds = max(1.0, min(args.phase_seconds, 60.0))
    args.batch_size = max(1, min(args.batch_size, MAX_IDS_PER_POLL))
    args.batches_in_flight = max(1, min(args.batches_in_flight, MAX_IDS_PER_POLL // args.batch_size))

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    services = choose_services()
    log(f"database {services['database']} ({services['database_kind']}), redis {services['redis']} "
        f"({services['redis_kind']}); load {load_before}")

    tenant, redis_client, run_id, log_dir = prepare_run()
    children: list[Child] = []
    token = tenant["token"]
    try:
        worker, worker_name = start_worker(log_dir)
        children.append(worker)
        web, port = start_web(log_dir, args.web_workers, settings_module="bench.settings")
        children.append(web)
        log(f"worker {worker_name} (pid {worker.proc.pid}) and web on 127.0.0.1:{port} (master pid {web.proc.pid}, "
            f"{args.web_workers} workers) up; logs in {log_dir}")

        # Warm-up: every web worker and pool process opens its connections and imports what it lazily imports.
        http_round(port, token, args.clients, 2.0, args.poll_ms / 1000, f"warm-{run_id}", None)
        batched_round(port, token, args.clients, 2.0, args.poll_ms / 1000, f"warmb-{run_id}", args.batch_size,
                      args.batches_in_flight, None, args.wait_s)
        noop_round(redis_client, 1.0, "bench:http:noop:warm", None)

        meter = CpuMeter(worker.proc.pid, web.proc.pid, redis_client)
        http_rounds, batched_rounds, noop_rounds = [], [], []
        for round_no in range(1, args.rounds + 1):
            if args.vacuum:
                vacuum_bench_database()
            log(f"round {round_no}/{args.rounds}: {args.clients} clients post canaries one per POST for "
                f"{args.seconds:g} s, then {args.batch_size} per POST for {args.seconds:g} s, then no-op tasks for "
                f"{args.seconds:g} s")
            http_rounds.append(http_round(port, token, args.clients, args.seconds, args.poll_ms / 1000,
                                          f"r{round_no}-{run_id}", meter))
            batched_rounds.append(batched_round(port, token, args.clients, args.seconds, args.poll_ms / 1000,
                                                f"b{round_no}-{run_id}", args.batch_size, args.batches_in_flight,
                                                meter, args.wait_s))
            noop_rounds.append(noop_round(redis_client, args.seconds, f"bench:http:noop:{round_no}", meter))

        log(f"POST, GET and bare-view phases, {args.phase_seconds:g} s each")
        api_post = requests_per_second(port, token, args.clients, args.phase_seconds,
                                       lambda api, i, n: api.post_canary(f"post-{run_id}-{i}-{n}"))
        probe = Client(port, token)
        sample = probe.post_canary(f"probe-{run_id}")
        wait_until(lambda: probe.mission_status(sample) == "succeeded", 30, "the probe mission")
        probe.close()
        api_get = requests_per_second(port, token, args.clients, args.phase_seconds,
                                      lambda api, i, n: api.mission_status(sample))
        bare = requests_per_second(port, token, args.clients, args.phase_seconds, bare_post)

        # Let the API phase's missions finish, then idle: what each process holds when nothing is happening.
        from missions.models import Mission, MissionStatus

        wait_until(lambda: not Mission.objects.exclude(status=MissionStatus.SUCCEEDED).exists(), DRAIN_TIMEOUT,
                   "the POST phase's missions to finish", interval=0.2)
        time.sleep(args.idle_seconds)
        rss = process_rss(web.proc.pid, worker.proc.pid)
        for child in children:
            if not child.alive():
                raise RuntimeError(f"{child.name} died during the run:\n{child.tail()}")
    except BaseException:
        log(f"run failed; the web and worker logs are kept in {log_dir}")
        raise
    finally:
        for child in reversed(children):
            child.stop()
        redis_client.close()

    if args.keep_logs:
        log(f"logs kept in {log_dir}")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)

    def median(rounds: list[dict[str, Any]]) -> dict[str, Any]:
        return sorted(rounds, key=lambda r: r["per_second"])[len(rounds) // 2]

    http_median, batched_median, noop_median = median(http_rounds), median(batched_rounds), median(noop_rounds)
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "command": " ".join(["bench/http_throughput.py", *sys.argv[1:]]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "services": {k: v for k, v in services.items() if k.endswith("_kind")},
        "web_workers": args.web_workers,
        "worker_concurrency": WORKER_CONCURRENCY,
        "clients": args.clients,
        "poll_ms": args.poll_ms,
        "batch_size": args.batch_size,
        "batches_in_flight": args.batches_in_flight,
        "wait_s": args.wait_s,
        "vacuum": args.vacuum,
        "seconds": args.seconds,
        "phase_seconds": args.phase_seconds,
        "http": http_median,
        "batched": batched_median,
        "noop": noop_median,
        # The figure: missions through the batch intake / bare Celery (target >= 0.5).
        "ratio": batched_median["per_second"] / noop_median["per_second"],
        "ratio_median_of_rounds": statistics.median(b["per_second"] / n["per_second"]
                                                    for b, n in zip(batched_rounds, noop_rounds, strict=True)),
        "ratio_one_per_post": http_median["per_second"] / noop_median["per_second"],
        "ratio_one_per_post_median_of_rounds": statistics.median(
            h["per_second"] / n["per_second"] for h, n in zip(http_rounds, noop_rounds, strict=True)),
        "rounds": {"http": http_rounds, "batched": batched_rounds, "noop": noop_rounds},
        "api_post": api_post,
        "api_get": api_get,
        "bare_post": bare,
        "api_post_over_bare": api_post["per_second"] / bare["per_second"],
        "rss_after_idle": rss,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print_report(result)
    if args.strict:
        verdict = "met" if result["ratio"] >= TARGET_RATIO else "missed: exit 1"
        print(f"--strict: the batched ratio {result['ratio']:.2f} against the target {TARGET_RATIO}: {verdict}",
              flush=True)
    return 1 if args.strict and result["ratio"] < TARGET_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
