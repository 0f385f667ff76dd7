"""With ``REX_PII_PURE_PYTHON=1`` the detector's modules come from their .py files even where scripts/build_pii.py
built extensions beside them (bench/pii_compiled_ab.py times one side against the other that way), and they find
the same spans. Checked in a fresh interpreter, since the switch acts when ``agents.pii`` is first imported."""

import json
import os
import subprocess
import sys
from pathlib import Path

from agents.pii import COMPILED_MODULES, detect

ROOT = Path(__file__).resolve().parents[3]
TEXT = ("Sehr geehrte Frau Brückner, rufen Sie Jonas Vogel unter +49 30 901820 an; Karte 4111 1111 1111 1111, "
        "IBAN DE89 3704 0044 0532 0130 00, jane.doe@example.com, Acme GmbH.")
KNOWN = {"ORGANIZATION": ["Acme GmbH"]}

SCRIPT = f"""
import json
from importlib import import_module

import agents.pii as pii

files = {{name: import_module("agents.pii." + name).__file__ for name in pii.COMPILED_MODULES}}
spans = [[s.type, s.start, s.end] for s in pii.detect({TEXT!r}, known_values={KNOWN!r}, region="DE", names=True)]
print(json.dumps({{"compiled": pii.compiled_modules(), "files": files, "spans": spans}}))
"""


def test_the_switch_imports_every_detector_module_from_its_source_and_finds_the_same_spans() -> None:
    env = {**os.environ, "REX_PII_PURE_PYTHON": "1"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["compiled"] == []
    assert sorted(seen["files"]) == sorted(COMPILED_MODULES)
    assert all(path.endswith(f"agents/pii/{name}.py") for name, path in seen["files"].items()), seen["files"]
    here = [[s.type, s.start, s.end] for s in detect(TEXT, known_values=KNOWN, region="DE", names=True)]
    assert seen["spans"] == here
    assert {t for t, _, _ in here} >= {"PERSON", "PHONE", "CREDIT_CARD", "IBAN", "EMAIL", "ORGANIZATION"}
