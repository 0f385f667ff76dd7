"""``make bench``: what the mission spine costs over bare Celery, and how fast a dashboard sees a mission finish.

One run, one Redis, one Celery worker started with ``make run``'s worker settings (prefork ``-c 2``, every
queue, acks_late, prefetch 1), measures:

1. throughput: N bare no-op Celery tasks (``missions.noop``) against N canary missions, each from the first
   message sent to the last completion, in alternating rounds; the ratio of the median rates, and the CPU
   each part of the system spent per task (read from /proc);
2. latency: N canary missions submitted one after another through ``POST /api/rex/command`` on the real web role
   (gunicorn + uvicorn workers, ``ops/webserver.py``),
   each timed from the moment its HTTP 201 response is received to the moment the dashboard websocket
   (logged in with a session cookie) delivers its ``succeeded`` message; p50 / p99 / max, plus where that
   time goes, read from the missions' own event timestamps.

It never touches dev or test data: it uses its own database (``rex_bench``, dropped and re-created each run on
the local PostgreSQL, or on a throwaway one when none answers) and its own Redis database number (14, flushed
at the start). Everything listens on 127.0.0.1 only; the script starts the worker and the web role itself, in their
own process groups, and stops exactly those when it ends (also on Ctrl-C). Results are printed as a table and
written to ``bench/results/latest.json``; ``docs/performance.md`` explains them. The processes' logs are kept in
a temporary directory when the run fails (or with ``--keep-logs``), removed otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Per run, like the test suite's: two checkouts benchmarking at once never drop each other's database.
BENCH_DATABASE = f"rex_bench_{os.getpid()}"
LOCAL_PG_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
RESULTS = ROOT / "bench" / "results" / "latest.json"
TARGETS = {"ratio_min": 0.5, "p50_ms_max": 25.0, "p99_ms_max": 100.0}
WORKER_CONCURRENCY = 2  # `make run` starts the worker with -c 2 (REX_WORKER_CONCURRENCY)
PHASE_TIMEOUT = 90.0


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- services -----------------------------------------------------------------------------------------------------

def choose_services() -> dict[str, Any]:
    """Point DATABASE_URL / REDIS_URL at the bench's own database and Redis db number, before Django starts."""
    import psycopg
    import redis

    from ops import testenv

    server, pg_kind = LOCAL_PG_SERVER, "local"
    if not testenv._postgres_usable(server):
        server, pg_kind = testenv.start_throwaway_postgres(), "throwaway"
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    database_url = server.rsplit("/", 1)[0] + f"/{BENCH_DATABASE}"

    def drop_bench_database() -> None:
        with psycopg.connect(server.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")

    testenv.at_exit(drop_bench_database)  # a database per run must not outlive it

    # A Redis database number of this run's own (claimed like the test suite's), since the bench flushes it.
    if testenv.port_open("127.0.0.1", 6379):
        redis_server, redis_kind = testenv.LOCAL_REDIS_SERVER, "local"
    else:
        redis_server, redis_kind = testenv.start_throwaway_redis(), "throwaway"
    redis_url = f"{redis_server}/{testenv.claim_redis_db(redis_server)}"
    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    client.flushdb()
    client.close()

    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "rex_project.settings"
    os.environ["REX_VAR_DIR"] = tempfile.mkdtemp(prefix="rex-bench-var-")
    os.environ["PYTHONUNBUFFERED"] = "1"
    os.environ.pop("CELERY_BROKER_URL", None)  # the broker is the bench's Redis db, whatever the shell says
    # The latency run posts hundreds of commands back to back as one user, faster than the production rate allows;
    # a rate it never reaches keeps the throttle (and its Redis round trip) in what is measured.
    os.environ["REX_API_THROTTLE_USER"] = "1000000/min"
    return {"database": database_url, "database_kind": pg_kind, "redis": redis_url, "redis_kind": redis_kind}


# --- child processes --------------------------------------------------------------------------------------------------

class Child:
    """A process the bench started, in its own session so that stopping it takes its whole group (pool included)."""

    def __init__(self, name: str, argv: list[str], log_dir: Path) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = open(self.log_path, "wb")  # closed in stop()
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=dict(os.environ), stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def tail(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # leftovers of our own group only
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self._log.close()


def wait_until(predicate, timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


def start_worker(log_dir: Path) -> tuple[Child, str]:
    from rex_project.celery import ALL_QUEUES
    from rex_project.celery import app as celery_app

    name = f"bench-{uuid.uuid4().hex[:6]}@localhost"
    # The flags of `manage.py rex up` (make run): prefork, -c 2, every queue, INFO logging.
    child = Child("worker", [sys.executable, "-m", "celery", "-A", "rex_project", "worker", "-Q", ",".join(ALL_QUEUES),
                             "-c", str(WORKER_CONCURRENCY), "-n", name, "--loglevel", "INFO"], log_dir)

    def answers() -> bool:
        if not child.alive():
            raise RuntimeError(f"worker exited early:\n{child.tail()}")
        return bool(celery_app.control.ping(destination=[name], timeout=0.5))

    wait_until(answers, 60, "the Celery worker to answer a ping")
    return child, name


def start_web(log_dir: Path, workers: int | None = None, settings_module: str | None = None) -> tuple[Child, int]:
    """The web role as ``rex up`` starts it: ``gunicorn -c python:ops.webserver`` (uvicorn workers, one per core
    unless ``workers``); ``settings_module`` swaps the settings (bench/http_throughput.py adds its bare view that way)."""
    from ops import testenv
    from ops.net import http_answers

    port = testenv.free_port()
    saved = dict(os.environ)
    if workers is not None:
        os.environ["REX_WEB_WORKERS"] = str(workers)
    if settings_module is not None:
        os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    try:
        child = Child("web", [sys.executable, "-m", "gunicorn", "-c", "python:ops.webserver",
                              "-b", f"127.0.0.1:{port}", "rex_project.asgi:application"], log_dir)
    finally:
        os.environ.clear()
        os.environ.update(saved)

    def answers() -> bool:
        if not child.alive():
            raise RuntimeError(f"the web server exited early:\n{child.tail()}")
        # Answering, not just listening: gunicorn binds before its workers have loaded Django.
        return http_answers("127.0.0.1", port, timeout=5)

    wait_until(answers, 90, "the web server to answer")
    return child, port


# --- fixtures -----------------------------------------------------------------------------------------------------------

def create_tenant() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tenants.models import ApiToken, Membership, Organization

    org = Organization.objects.create(name="Bench Outbound", slug="bench")
    user = get_user_model().objects.create_user("bench", "bench@bench.example", uuid.uuid4().hex)
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    client = Client()
    client.force_login(user)
    return {"organization": org, "user": user, "token": ApiToken.objects.issue(user, name="bench")[1],
            "session": client.cookies["sessionid"].value}


def prepare_run() -> tuple[dict[str, Any], Any, str, Path]:
    """Django set up and migrated on the chosen services, the bench tenant, a Redis client, a run id, the log dir."""
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    from rex_project.redis_urls import redis_client_url

    call_command("migrate", interactive=False, verbosity=0)
    tenant = create_tenant()
    redis_client = redis.Redis.from_url(redis_client_url(os.environ["REDIS_URL"]))
    return tenant, redis_client, uuid.uuid4().hex[:8], Path(os.environ["REX_VAR_DIR"])


# --- CPU accounting -----------------------------------------------------------------------------------------------------

class CpuMeter:
    """CPU seconds spent by each part of the system during a phase, read from /proc (Linux; empty elsewhere).

    Throughput on this machine is bounded by CPU, so "where the time goes" is answered per task in CPU
    milliseconds: the bench process (the producer, and intake for missions), the worker's main process
    (broker I/O, dispatch to the pool), its pool processes (the tasks), the PostgreSQL backends of the bench
    database, redis-server, and whatever else ran on the machine meanwhile (other users' noise).
    """

    TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def __init__(self, worker_pid: int, web_pid: int, redis_client) -> None:
        self.worker_pid, self.web_pid = worker_pid, web_pid
        try:
            self.redis_pid = int(redis_client.info("server")["process_id"])
        except Exception:  # noqa: BLE001 - a remote Redis: no /proc entry to read
            self.redis_pid = None

    @staticmethod
    def _ticks(pid: int) -> int:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0
        return int(fields[11]) + int(fields[12])  # utime + stime

    @staticmethod
    def _children(pid: int) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        return found

    @staticmethod
    def _machine_busy() -> int:
        try:
            values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        except (OSError, ValueError):
            return 0
        return sum(values) - values[3] - values[4]  # all but idle and iowait

    def _groups(self) -> dict[str, list[int]]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            pg = [row[0] for row in cursor.fetchall()]
        return {
            "bench process (producer/client)": [os.getpid()],
            "worker main process": [self.worker_pid],
            "worker pool processes": self._children(self.worker_pid),
            "web (gunicorn master + uvicorn workers)": [self.web_pid, *self._children(self.web_pid)],
            "postgres backends": pg,
            "redis-server": [self.redis_pid] if self.redis_pid else [],
        }

    def start(self) -> None:
        self._t0, self._busy0 = time.monotonic(), self._machine_busy()
        self._before = {name: {pid: self._ticks(pid) for pid in pids} for name, pids in self._groups().items()}

    def stop(self) -> dict[str, float]:
        seconds = {}
        for name, pids in self._groups().items():
            before = self._before.get(name, {})
            seconds[name] = sum(max(self._ticks(pid) - before.get(pid, 0), 0) for pid in pids) / self.TICK
        machine = (self._machine_busy() - self._busy0) / self.TICK
        seconds["everything else on the machine"] = max(machine - sum(seconds.values()), 0.0)
        seconds["wall"] = time.monotonic() - self._t0
        return seconds


# --- throughput -------------------------------------------------------------------------------------------------------

def run_noops(n: int, redis_client, counter_key: str, meter: CpuMeter | None = None) -> dict[str, Any]:
    """Send n bare no-op tasks; time from the first send to the moment the n-th has run."""
    from missions.tasks import noop

    redis_client.delete(counter_key)
    if meter:
        meter.start()
    started = time.perf_counter()
    for _ in range(n):
        noop.apply_async(args=[counter_key])
    sent = time.perf_counter()
    # Polled every 5 ms: precise enough for a phase of a second or more, cheap enough not to steal the CPU.
    wait_until(lambda: int(redis_client.get(counter_key) or 0) >= n, PHASE_TIMEOUT, f"{n} no-op tasks",
               interval=0.005)
    finished = time.perf_counter()
    return {"n": n, "seconds": finished - started, "send_seconds": sent - started, "per_second": n / (finished - started),
            **({"cpu_seconds": meter.stop()} if meter else {})}


def start_clock(marks: dict[str, float], meter: CpuMeter | None) -> None:
    if meter:
        meter.start()
    marks["start"] = time.time()


def run_canaries(n: int, organization, tag: str, meter: CpuMeter | None = None,
                 batch_size: int | None = None) -> dict[str, Any]:
    """Create n canary missions in one transaction (as a multi-mission command does) and time from the first
    message sent at commit to the moment the n-th mission is ``succeeded`` (its ``finished_at``).

    ``batch_size`` overrides ``REX_DISPATCH_BATCH_SIZE`` for this intake (1: one Celery message per mission, the
    spine's path for a mission submitted alone); the worker runs whatever it is sent."""
    from django.conf import settings
    from django.db.models import Max

    from missions.models import Mission, MissionStatus

    marks: dict[str, float] = {}
    ids: list[str] = []
    configured = settings.REX_DISPATCH_BATCH_SIZE
    if batch_size is not None:
        settings.REX_DISPATCH_BATCH_SIZE = batch_size
    try:
        submit_all(n, organization, tag, marks, meter, ids)
    finally:
        settings.REX_DISPATCH_BATCH_SIZE = configured
    marks["sent"] = time.time()
    batch = Mission.objects.filter(id__in=ids)

    def all_final() -> bool:
        return batch.filter(status__in=[MissionStatus.SUCCEEDED, MissionStatus.FAILED,
                                        MissionStatus.CANCELLED]).count() >= n

    # The end is read from finished_at below, so a slow poll loses no precision and costs the machine little.
    wait_until(all_final, PHASE_TIMEOUT, f"{n} canary missions", interval=0.1)
    cpu = meter.stop() if meter else None
    not_ok = batch.exclude(status=MissionStatus.SUCCEEDED).count()
    if not_ok:
        raise RuntimeError(f"{not_ok} of {n} canary missions did not succeed")
    last = batch.aggregate(m=Max("finished_at"))["m"].timestamp()
    seconds = last - marks["start"]
    return {"n": n, "seconds": seconds, "send_seconds": marks["sent"] - marks["start"], "per_second": n / seconds,
            "batch_size": settings.REX_DISPATCH_BATCH_SIZE if batch_size is None else batch_size,
            **({"cpu_seconds": cpu} if cpu else {})}


def submit_all(n: int, organization, tag: str, marks: dict[str, float], meter: CpuMeter | None,
               ids: list[str]) -> None:
    from django.db import transaction

    from missions.services import submit_mission

    with transaction.atomic():
        # Registered first, so it runs right after COMMIT and before the first of the sends.
        transaction.on_commit(lambda: start_clock(marks, meter))
        for i in range(n):
            submission = submit_mission(organization, mission_type="canary", params={"tag": f"{tag}-{i}"})
            ids.append(str(submission.mission.id))


# --- latency -----------------------------------------------------------------------------------------------------------

class SocketWatcher:
    """Reads the dashboard websocket on a thread and stamps each mission message the moment it arrives."""

    def __init__(self, port: int, session: str) -> None:
        from websockets.sync.client import connect

        base = f"http://127.0.0.1:{port}"
        self.socket = connect(f"ws://127.0.0.1:{port}/ws/missions/", open_timeout=10,
                              additional_headers={"Cookie": f"sessionid={session}", "Origin": base}).__enter__()
        hello = json.loads(self.socket.recv(timeout=10))
        if hello.get("type") != "hello":
            raise RuntimeError(f"unexpected first websocket message: {hello}")
        self.arrivals: dict[tuple[str, str], float] = {}
        self.changed = threading.Condition()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="bench-ws", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                raw = self.socket.recv(timeout=0.2)
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - closed at the end of the run
                return
            at = time.time()
            message = json.loads(raw)
            if message.get("type") != "mission.event":
                continue
            with self.changed:
                self.arrivals.setdefault((message["mission"]["id"], message["mission"]["status"]), at)
                self.changed.notify_all()

    def wait_for(self, mission_id: str, status: str, timeout: float) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: (mission_id, status) in self.arrivals, timeout):
                raise RuntimeError(f"mission {mission_id} never reached {status} on the websocket")
            return self.arrivals[(mission_id, status)]

    def close(self) -> None:
        self._stop.set()
        self.socket.close()
        self._thread.join(2)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    rank = max(min(math.ceil(p / 100 * len(ordered)) - 1, len(ordered) - 1), 0)  # nearest-rank
    return ordered[rank]


def run_latency(n: int, warmup: int, port: int, tenant: dict[str, Any], tag: str) -> dict[str, Any]:
    from missions.models import MissionEvent

    watcher = SocketWatcher(port, tenant["session"])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json", "Authorization": f"Token {tenant['token']}"}
    samples: list[dict[str, Any]] = []
    try:
        for i in range(warmup + n):
            body = json.dumps({"type": "canary", "params": {"tag": f"{tag}-{i}"}})
            sent = time.time()
            conn.request("POST", "/api/rex/command", body=body, headers=headers)
            response = conn.getresponse()
            payload = json.loads(response.read())
            accepted = time.time()
            if response.status != 201:
                raise RuntimeError(f"POST /api/rex/command answered {response.status}: {payload}")
            done = watcher.wait_for(payload["id"], "succeeded", timeout=15)
            if i >= warmup:
                samples.append({"id": payload["id"], "sent": sent, "accepted": accepted, "succeeded_ws": done,
                                "running_ws": watcher.arrivals.get((payload["id"], "running"))})
    finally:
        conn.close()
        watcher.close()

    latencies = [(s["succeeded_ws"] - s["accepted"]) * 1000 for s in samples]
    # Where the time goes: each mission's own event rows carry when the web role / the worker wrote them.
    written = {(str(e["mission_id"]), e["kind"]): e["created_at"].timestamp() for e in
               MissionEvent.objects.filter(mission_id__in=[s["id"] for s in samples]).values("mission_id", "kind",
                                                                                             "created_at")}
    stages: dict[str, list[float]] = {name: [] for name in STAGES}
    for s in samples:
        queued, running, succeeded = (written[(s["id"], k)] for k in ("queued", "running", "succeeded"))
        points = {"post_sent": s["sent"], "queued_row": queued, "accepted": s["accepted"], "running_row": running,
                  "succeeded_row": succeeded, "succeeded_ws": s["succeeded_ws"]}
        for name, (a, b) in STAGES.items():
            stages[name].append((points[b] - points[a]) * 1000)
    return {
        "n": n,
        "p50_ms": percentile(latencies, 50),
        "p90_ms": percentile(latencies, 90),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
        "http_round_trip_p50_ms": statistics.median((s["accepted"] - s["sent"]) * 1000 for s in samples),
        "stages_p50_ms": {name: statistics.median(v) for name, v in stages.items()},
        "stages_p99_ms": {name: percentile(v, 99) for name, v in stages.items()},
    }


# name: (from point, to point). Points: the client's clock and the event rows' created_at (same machine clock).
STAGES = {
    "POST sent -> mission+queued event written (web)": ("post_sent", "queued_row"),
    "queued event written -> 201 received by client": ("queued_row", "accepted"),
    "201 received -> worker claimed (running event written)": ("accepted", "running_row"),
    "claimed -> succeeded event written (agent + outcome)": ("running_row", "succeeded_row"),
    "succeeded event written -> 'succeeded' on the websocket": ("succeeded_row", "succeeded_ws"),
}


def median_round(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The round with the median rate (its own figures, CPU split included)."""
    return sorted(rounds, key=lambda r: r["per_second"])[len(rounds) // 2]


# --- report ---------------------------------------------------------------------------------------------------------------

def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def print_report(result: dict[str, Any]) -> None:
    tp, lat, t = result["throughput"], result["latency"], result["targets"]
    rounds = tp["rounds"]
    lines = [
        "",
        f"REX bench  {result['when']}  ({result['machine']['cpus']} cores, Python {result['machine']['python']}; "
        f"worker prefork -c {result['worker_concurrency']}; postgres {result['services']['database_kind']}, "
        f"redis {result['services']['redis_kind']})",
        "",
        f"throughput: same worker, same Redis, median of {len(rounds['noop'])} alternating rounds",
        "                                               n    seconds   per second   (all rounds)",
    ]
    kinds = (("bare Celery no-op tasks", "noop"),
             (f"canary missions (chunks of {tp['canary']['batch_size']})", "canary"),
             ("canary missions, one message each", "canary_single"))
    for label, key in kinds:
        every = ", ".join(f"{r['per_second']:.0f}" for r in rounds[key])
        lines.append(f"  {label:<38} {tp[key]['n']:>7} {tp[key]['seconds']:>10.2f} {tp[key]['per_second']:>12.1f}   "
                     f"({every})")
    lines += [
        f"  ratio missions / no-op {tp['ratio']:>44.2f}   target >= {t['ratio_min']}: {verdict(t['ratio_ok'])}",
        f"  ratio, one message per mission {tp['ratio_single']:>36.2f}   (for comparison: no target)",
        "",
        f"latency: HTTP 201 received -> 'succeeded' on the dashboard websocket ({lat['n']} canaries, one at a time)",
        f"  p50 {lat['p50_ms']:7.1f} ms   target <= {t['p50_ms_max']:g} ms: {verdict(t['p50_ok'])}",
        f"  p90 {lat['p90_ms']:7.1f} ms",
        f"  p99 {lat['p99_ms']:7.1f} ms   target <= {t['p99_ms_max']:g} ms: {verdict(t['p99_ok'])}",
        f"  max {lat['max_ms']:7.1f} ms",
        "",
        "where the latency goes (per mission, ms)                        p50       p99",
    ]
    for name in STAGES:
        lines.append(f"  {name:<58} {lat['stages_p50_ms'][name]:>8.1f} {lat['stages_p99_ms'][name]:>9.1f}")
    cpus = {key: tp[key].get("cpu_seconds") for key in ("noop", "canary", "canary_single")}
    if all(cpus.values()):
        lines += ["", "where the CPU goes during throughput (CPU ms per task; median rounds)",
                  f"  {'':<58} {'no-op':>8} {'chunked':>9} {'one each':>9}"]
        names = [name for name in cpus["noop"] if name != "wall"]
        for name in names:
            lines.append(f"  {name:<58}" + "".join(f" {cpus[key][name] / tp[key]['n'] * 1000:>{width}.2f}"
                                                  for key, width in (("noop", 8), ("canary", 9),
                                                                     ("canary_single", 9))))
        total = {key: sum(v for k, v in cpu.items() if k != "wall") for key, cpu in cpus.items()}
        lines.append(f"  {'total (2 cores give 2000 ms per second)':<58}" + "".join(
            f" {total[key] / tp[key]['n'] * 1000:>{width}.2f}"
            for key, width in (("noop", 8), ("canary", 9), ("canary_single", 9))))
        lines.append(f"  {'cores busy during the phase':<58}" + "".join(
            f" {total[key] / cpus[key]['wall']:>{width}.2f}"
            for key, width in (("noop", 8), ("canary", 9), ("canary_single", 9))))
    lines += ["", f"results: {RESULTS.relative_to(ROOT)}", ""]
    print("\n".join(lines), flush=True)


# --- main ---------------------------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missions", type=int, default=500, help="tasks of each kind per throughput round")
    parser.add_argument("--rounds", type=int, default=3, help="throughput rounds (no-op, then canary, alternating)")
    parser.add_argument("--latency", type=int, default=200, help="sequential missions timed for latency")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--keep-logs", action="store_true", help="keep the worker and web logs after a good run")
    args = parser.parse_args()
    args.missions = max(10, min(args.missions, 5000))
    args.rounds = max(1, min(args.rounds, 9))
    args.latency = max(10, min(args.latency, 1000))

    # SIGTERM ends the run like Ctrl-C does: through the finally below, which stops our children.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    services = choose_services()
    log(f"database {services['database']} ({services['database_kind']}), redis {services['redis']} "
        f"({services['redis_kind']})")

    tenant, redis_client, run_id, log_dir = prepare_run()
    children: list[Child] = []
    try:
        worker, worker_name = start_worker(log_dir)
        children.append(worker)
        web, port = start_web(log_dir)
        children.append(web)
        log(f"worker {worker_name} and the web role (gunicorn) on 127.0.0.1:{port} up; logs in {log_dir}")

        # Warm-up: pool children open their database connections, import lazily loaded code, fill caches.
        run_noops(50, redis_client, "bench:noop:warmup")
        run_canaries(50, tenant["organization"], f"warm-{run_id}")

        # Alternate the two kinds, several rounds, and compare medians: other load on the machine then hits
        # both sides alike instead of skewing one.
        meter = CpuMeter(worker.proc.pid, web.proc.pid, redis_client)
        noops, canaries, singles = [], [], []
        for round_no in range(1, args.rounds + 1):
            log(f"throughput round {round_no}/{args.rounds}: {args.missions} no-op tasks, {args.missions} canary "
                f"missions, then {args.missions} canary missions sent one by one")
            noops.append(run_noops(args.missions, redis_client, f"bench:noop:{round_no}", meter))
            canaries.append(run_canaries(args.missions, tenant["organization"], f"tp{round_no}-{run_id}", meter))
            singles.append(run_canaries(args.missions, tenant["organization"], f"one{round_no}-{run_id}", meter,
                                        batch_size=1))
        log(f"latency: {args.latency} canaries one after another through HTTP + the dashboard websocket")
        latency = run_latency(args.latency, 10, port, tenant, f"lat-{run_id}")
        for child in children:
            if not child.alive():
                raise RuntimeError(f"{child.name} died during the run:\n{child.tail()}")
    except BaseException:
        log(f"run failed; the worker and web logs are kept in {log_dir}")
        raise
    finally:
        for child in reversed(children):
            child.stop()
        redis_client.close()

    if args.keep_logs:
        log(f"logs kept in {log_dir}")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    noop, canary, single = median_round(noops), median_round(canaries), median_round(singles)
    ratio = canary["per_second"] / noop["per_second"]
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "command": "make bench",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "services": {k: v for k, v in services.items() if k.endswith("_kind")},
        "worker_concurrency": WORKER_CONCURRENCY,
        "throughput": {"noop": noop, "canary": canary, "canary_single": single, "ratio": ratio,
                       "ratio_single": single["per_second"] / noop["per_second"],
                       "rounds": {"noop": noops, "canary": canaries, "canary_single": singles}},
        "latency": latency,
        "targets": {
            **TARGETS,
            "ratio_ok": ratio >= TARGETS["ratio_min"],
            "p50_ok": latency["p50_ms"] <= TARGETS["p50_ms_max"],
            "p99_ok": latency["p99_ms"] <= TARGETS["p99_ms_max"],
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print_report(result)
    all_met = all(result["targets"][k] for k in ("ratio_ok", "p50_ok", "p99_ok"))
    return 1 if args.strict and not all_met else 0


if __name__ == "__main__":
    sys.exit(main())
