"""``manage.py rex up`` starts a mission worker and a control worker beside web and beat (so /healthz, which wants
a worker of each role, answers 200), and SIGTERM stops every child it started."""

import os
import re
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, child_env, wait_for
from missions.tests.e2e_helpers import http_json
from ops.net import free_port

pytestmark = pytest.mark.e2e


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def healthy(base_url: str) -> bool:
    try:
        return http_json("GET", f"{base_url}/healthz")[0] == 200
    except OSError:  # daphne not listening yet
        return False


def test_rex_up_starts_both_workers_and_sigterm_stops_every_child(transactional_db, tmp_path):
    port = free_port()
    log = open(tmp_path / "rex-up.log", "w+b")
    stack = subprocess.Popen(
        [sys.executable, "manage.py", "rex", "up", "--no-seed", "--port", str(port), "--concurrency", "1",
         "--control-concurrency", "1"],
        cwd=ROOT, env=child_env(REX_VAR_DIR=str(tmp_path / "var")), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        wait_for(lambda: healthy(f"http://127.0.0.1:{port}") or stack.poll() is not None, 120,
                 "rex up to answer /healthz with 200")
        assert stack.poll() is None, (tmp_path / "rex-up.log").read_text()
        stack.send_signal(signal.SIGTERM)
        assert stack.wait(90) == 0
    finally:
        if stack.poll() is None:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait(10)
        log.close()

    output = (tmp_path / "rex-up.log").read_text()
    children = dict(re.findall(r"started (\S+) \(pid (\d+)\)", output))
    assert {"web", "worker", "control-worker", "beat"} <= set(children), output
    # Each worker announces itself under its role's node name once it consumes its queues.
    assert re.search(r"(?<![-\w])rex@\S+ ready", output) and re.search(r"rex-control@\S+ ready", output), output
    assert not [name for name, pid in children.items() if alive(int(pid))], output
