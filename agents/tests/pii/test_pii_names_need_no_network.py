"""The names stage works with no network at all: its gazetteer ships inside the faker wheel and nothing is
downloaded at run time. Checked in a fresh interpreter in which opening any socket fails."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network is off in this test")

socket.socket = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from agents.pii.names import find_names, gazetteer

first, last = gazetteer()
assert len(first) > 5000 and len(last) > 5000, (len(first), len(last))
text = "Sehr geehrte Frau Brückner, Jonas Vogel ruft Sie an."
print([text[s:e] for s, e, _ in find_names(text)])
"""


def test_the_names_stage_runs_with_every_socket_refused() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "['Brückner', 'Jonas Vogel']"
