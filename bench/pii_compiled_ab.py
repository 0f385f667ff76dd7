"""A/B timing of the compiled PII detector (mypyc, ``make install``) against its Python sources, in CPU time.

Each side runs in its own process: ``detect()`` over the whole tune corpus of ``bench/pii.py`` (4,000 documents,
each with its record's known values and region), names stage on and off, best of ``--passes`` passes after one
warm-up pass, the caches of text already seen emptied before every pass (as ``bench/pii.py`` does). The pure
Python side runs with ``REX_PII_PURE_PYTHON=1``, which makes ``agents.pii`` import its sources even where the
extensions were built. The sides alternate ``--rounds`` times; the script prints every pair and the median ratio.

Only CPU time (``time.process_time``) is used: the machine is shared, and wall time would mostly measure the other
processes.

    .venv/bin/python bench/pii_compiled_ab.py --rounds 4
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(passes: int, docs: int, seed: int) -> dict[str, object]:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
    import django

    django.setup()
    from pii_corpus import generate

    from agents import pii

    texts = [(d["text"], d["known"], d["region"]) for d in generate(docs, seed)]
    mb = sum(len(text.encode()) for text, _, _ in texts) / 1e6

    def one_pass(names: bool) -> float:
        pii._forget_seen_text()
        t0 = time.process_time()
        for text, known, region in texts:
            pii.detect(text, known_values=known, region=region, names=names)
        return time.process_time() - t0

    one_pass(True)  # warm the patterns, the gazetteer and phonenumbers' metadata
    on = min(one_pass(True) for _ in range(passes))
    off = min(one_pass(False) for _ in range(passes))
    return {"compiled": pii.compiled_modules(), "mb": round(mb, 3), "on": round(on, 4), "off": round(off, 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="pure/compiled pairs, alternating")
    parser.add_argument("--passes", type=int, default=3, help="passes per figure; the best one counts")
    parser.add_argument("--docs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=20240315)
    parser.add_argument("--side", choices=("measure",), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.side == "measure":
        print(json.dumps(measure(args.passes, args.docs, args.seed)))
        return 0

    def side(pure: bool) -> dict[str, object]:
        env = {**os.environ, "REX_PII_PURE_PYTHON": "1" if pure else "0"}
        out = subprocess.run(
            [sys.executable, __file__, "--side", "measure", "--passes", str(args.passes), "--docs", str(args.docs),
             "--seed", str(args.seed)], env=env, check=True, capture_output=True, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    ratios: dict[str, list[float]] = {"on": [], "off": []}
    for round_ in range(args.rounds):
        pure = side(True)
        compiled = side(False)
        if not compiled["compiled"]:
            raise SystemExit("no compiled module was imported: run `make install` (scripts/build_pii.py) first")
        for key in ratios:
            ratios[key].append(float(pure[key]) / float(compiled[key]))  # type: ignore[arg-type]
        print(f"round {round_ + 1}: names on  pure {pure['on']:.3f} s  compiled {compiled['on']:.3f} s  "
              f"x{ratios['on'][-1]:.2f} | names off  pure {pure['off']:.3f} s  compiled {compiled['off']:.3f} s  "
              f"x{ratios['off'][-1]:.2f}", flush=True)
    print(f"median speed-up: names on x{statistics.median(ratios['on']):.2f}, "
          f"names off x{statistics.median(ratios['off']):.2f} ({args.rounds} rounds, best of {args.passes} passes, "
          "CPU time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
