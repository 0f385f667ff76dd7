"""``make bench`` (triage part): speed of the rules layer and precision/recall per category, tune vs held-out.

The corpus is ``replies/tests/corpus`` (``labels.jsonl``): human replies we wrote (``human-*.eml``) and machine
mail (bounces, complaints, auto-replies) when that part is there. Every message goes through ``triage_raw`` with
no LLM, as ``manage.py rex_triage`` runs by default; what the rules leave undecided counts as ``needs_review``,
which is a miss for recall but never a wrong action.

- throughput: messages per second over the whole corpus, parsing included, best of ``--repeat`` passes, one
  process, one core (target >= 500/s);
- precision and recall per category, separately on the ``tune`` split (the rules were written while looking at
  it) and the ``heldout`` split (written before the rules and not looked at while tuning). Both are an upper bound
  of what real mail will give: the text is ours, and so are the rules.

Results go to ``bench/results/triage.json``; ``--strict`` exits 1 below 500 msgs/s or a held-out recall below 0.7.
Needs no database: Django is set up only for settings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")

import django  # noqa: E402

django.setup()

from replies.tests.corpus import Sample, load  # noqa: E402
from replies.triage import triage_raw  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "triage.json"
TODAY = date(2026, 3, 4)  # the corpus's replies are dated early March 2026
TARGET_PER_SECOND = 500
HELDOUT_RECALL_FLOOR = 0.7


def scores(samples: list[Sample]) -> dict[str, dict[str, float | int]]:
    """Precision, recall and support per labelled category; ``needs_review`` answers are misses, not errors."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    support: Counter[str] = Counter()
    review = 0
    for sample in samples:
        want = sample.label["category"]
        got = triage_raw(sample.raw, today=TODAY).category
        support[want] += 1
        if got == want:
            tp[want] += 1
        elif got == "needs_review":
            review += 1
        else:
            fp[got] += 1
    table: dict[str, dict[str, float | int]] = {}
    for category in sorted(support):
        predicted = tp[category] + fp[category]
        table[category] = {"precision": round(tp[category] / predicted, 3) if predicted else 1.0,
                           "recall": round(tp[category] / support[category], 3), "support": support[category]}
    table["_all"] = {"accuracy": round(sum(tp.values()) / max(len(samples), 1), 3), "needs_review": review,
                     "support": len(samples)}
    return table


def throughput(samples: list[Sample], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for sample in samples:
            triage_raw(sample.raw, today=TODAY)
        best = min(best, time.perf_counter() - started)
    return len(samples) / best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    every = load()
    per_second = throughput(every, args.repeat)
    result = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": platform.platform(),
        "python": platform.python_version(), "messages": len(every),
        "messages_per_second": round(per_second), "tune": scores(load("tune")), "heldout": scores(load("heldout")),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"triage rules layer: {len(every)} messages, {per_second:,.0f} msgs/s (target >= {TARGET_PER_SECOND})")
    print("an upper bound: text we wrote, rules we wrote\n")
    print(f"{'category':<16}{'tune P':>8}{'tune R':>8}{'n':>5}   {'held-out P':>10}{'held-out R':>11}{'n':>5}")
    for category in sorted(set(result["tune"]) | set(result["heldout"]) - {"_all"}):
        if category == "_all":
            continue
        t = result["tune"].get(category, {})
        h = result["heldout"].get(category, {})
        print(f"{category:<16}{t.get('precision', '-'):>8}{t.get('recall', '-'):>8}{t.get('support', 0):>5}   "
              f"{h.get('precision', '-'):>10}{h.get('recall', '-'):>11}{h.get('support', 0):>5}")
    for split in ("tune", "heldout"):
        a = result[split]["_all"]
        print(f"{split}: accuracy {a['accuracy']}, {a['needs_review']} of {a['support']} left for review")

    missed = per_second < TARGET_PER_SECOND or any(
        row["recall"] < HELDOUT_RECALL_FLOOR for c, row in result["heldout"].items() if c != "_all")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
