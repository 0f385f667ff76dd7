"""``make install`` (and ``make test``) compile the detector with mypyc (scripts/build_pii.py): every module of
``agents.pii.COMPILED_MODULES`` is then imported from its extension, so a broken build cannot silently fall back to
the sources; and the compiled detector finds exactly the spans its sources find, span for span, on a slice of the
bench corpus (the tune split and the held-back one, with the record's known values and without, names stage on and
off). The sources run in a fresh interpreter with ``REX_PII_PURE_PYTHON=1``."""

import json
import os
import subprocess
import sys
from pathlib import Path

from agents.pii import COMPILED_MODULES, compiled_modules

ROOT = Path(__file__).resolve().parents[3]

# Prints the sha256 and the count of every span found over the slice, in the order of the calls.
SCRIPT = """
import hashlib, json, os, sys
sys.path.insert(0, "bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
import django
django.setup()
import pii_corpus, pii_heldback
from agents import pii
docs = pii_corpus.generate(400, 20240315) + pii_heldback.generate(100, 20240315)
digest, count = hashlib.sha256(), 0
for doc in docs:
    for known in (doc["known"], None):
        for names in (True, False):
            for s in pii.detect(doc["text"], known_values=known, region=doc["region"], names=names):
                digest.update(f"{s.type} {s.start} {s.end};".encode())
                count += 1
    digest.update(b"|")
print(json.dumps({"compiled": pii.compiled_modules(), "sha256": digest.hexdigest(), "spans": count}))
"""


def spans_found(*, pure: bool) -> dict:
    env = {**os.environ, "REX_PII_PURE_PYTHON": "1" if pure else "0"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_every_detector_module_is_imported_from_its_compiled_extension() -> None:
    assert sorted(compiled_modules()) == sorted(COMPILED_MODULES), (
        "the PII detector is not (fully) compiled: `make install` or `.venv/bin/python scripts/build_pii.py` "
        "builds it")


def test_the_compiled_detector_finds_the_same_spans_as_its_sources_on_the_corpus() -> None:
    compiled, pure = spans_found(pure=False), spans_found(pure=True)

    assert sorted(compiled["compiled"]) == sorted(COMPILED_MODULES) and pure["compiled"] == []
    assert compiled["spans"] > 10_000  # the slice is dense: a detector that found nothing would also "agree"
    assert (compiled["sha256"], compiled["spans"]) == (pure["sha256"], pure["spans"])
