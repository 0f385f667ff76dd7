"""CPU time of ``detect()`` over the PII tune corpus, and of its digit-driven stages, for A/B runs between checkouts.

``bench/pii.py`` gives wall-clock MB/s; on a shared machine that moves with the load. This script measures CPU time
(``time.process_time``) instead, best of ``--passes`` passes, and prints one JSON line, so that two checkouts can be
run in turn as separate processes and compared as ratios (docs/performance.md, "Speed pass 2: digit stages"):

    .venv/bin/python bench/pii_stages.py --code /path/to/other/checkout   # that checkout's agents/pii
    .venv/bin/python bench/pii_stages.py                                  # this checkout's

- ``on`` / ``off``: seconds of ``detect()`` over the 4,000 tune documents with the names stage on / off, each
  document with its record's known values and region, as ``bench/pii.py`` runs them;
- ``digits``: the seconds spent inside the digit-driven stages during a names-off pass (e-mails, number runs and
  IBAN seeds, IBANs, cards, SSNs, IP addresses, phones), measured by wrapping the stage functions that
  ``agents.pii.detector`` calls (the wrappers' own cost, a few ms, is the same on both sides); ``stages`` splits it.

The corpus always comes from this checkout's ``bench/pii_corpus.py``, so both sides read the same documents.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DIGIT_STAGES = ("_find_emails", "_find_obfuscated_emails", "_number_runs", "_scan_numbers", "_find_ibans",
                "_find_cards", "_find_ssns", "_find_ips", "_find_phones")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose agents/pii is measured")
    parser.add_argument("--passes", type=int, default=3, help="passes per figure; the best one counts")
    parser.add_argument("--docs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=20240315)
    args = parser.parse_args()

    # The measured code first on the path, and as the working directory: importing the settings puts the working
    # directory at the head of sys.path.
    sys.path.insert(0, str(ROOT / "bench"))
    sys.path.insert(0, str(args.code.resolve()))
    os.chdir(args.code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
    import django

    django.setup()
    from pii_corpus import generate  # this checkout's corpus, whichever code is measured

    from agents.pii import detector

    if not Path(detector.__file__).resolve().is_relative_to(args.code.resolve()):
        raise SystemExit(f"measured {detector.__file__}, not the code under {args.code}")

    docs = [(d["text"], d["known"], d["region"]) for d in generate(args.docs, args.seed)]
    mb = sum(len(text.encode()) for text, _, _ in docs) / 1e6

    def one_pass(names: bool) -> float:
        t0 = time.process_time()
        for text, known, region in docs:
            detector.detect(text, known_values=known, region=region, names=names)
        return time.process_time() - t0

    one_pass(True)  # warm the caches, the gazetteer and phonenumbers' metadata
    on = min(one_pass(True) for _ in range(args.passes))
    off = min(one_pass(False) for _ in range(args.passes))

    spent: dict[str, float] = defaultdict(float)

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **kw: Any) -> Any:
            t0 = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[name] += time.process_time() - t0
        return wrapper

    compiled = getattr(importlib.import_module("agents.pii"), "compiled_modules", list)()
    if "detector" in compiled:
        # A compiled detect() (scripts/build_pii.py) calls its stages directly, not through the module attributes
        # replaced below: only the totals mean something.
        print(json.dumps({"code": str(args.code), "mb": round(mb, 3), "passes": args.passes, "on": round(on, 4),
                          "off": round(off, 4), "on_mb_per_s": round(mb / on, 2), "off_mb_per_s": round(mb / off, 2),
                          "compiled": compiled}))
        return 0
    for name in DIGIT_STAGES:
        if hasattr(detector, name):  # the stages' names differ between checkouts (_number_runs, _scan_numbers)
            setattr(detector, name, timed(name, getattr(detector, name)))
    best: tuple[float, dict[str, float]] | None = None
    for _ in range(args.passes):
        spent.clear()
        one_pass(False)
        total = sum(spent.values())
        if best is None or total < best[0]:
            best = (total, dict(spent))
    assert best is not None
    print(json.dumps({
        "code": str(args.code), "mb": round(mb, 3), "passes": args.passes,
        "on": round(on, 4), "off": round(off, 4), "digits": round(best[0], 4),
        "on_mb_per_s": round(mb / on, 2), "off_mb_per_s": round(mb / off, 2),
        "stages": {k: round(v, 4) for k, v in sorted(best[1].items())},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
