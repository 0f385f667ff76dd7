"""The labelled corpus of inbound mail, shared by the triage tests and the bench.

Each part of the corpus is a folder of raw RFC 5322 messages (``.eml``, bytes exactly as an IMAP server would hand
them over) with a ``labels.jsonl`` beside them, one JSON object per message::

    {"file": "bounce_001_postfix_hard.eml", "category": "bounce", "bounce_class": "hard", "status": "5.1.1",
     "return_date": null, "split": "tune", ...}

``split`` is "tune" (rules may be adjusted while looking at these) or "heldout" (written before the rules were tuned
and never looked at while tuning: the honest figure). A folder per author (``machine/`` for bounces, complaints and
auto-replies; others for human replies) keeps each part's labels in a file of its own, so they merge without
conflicts. A ``labels.jsonl`` at the top level, if one is ever added, is read too.

For out-of-office messages ``return_date`` is resolved against ``today`` in the label (the message's Date header).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent


class Sample(NamedTuple):
    raw: bytes
    label: dict[str, Any]   # the labels.jsonl row, "file" made relative to the corpus root (e.g. "machine/x.eml")


def _label_files() -> list[Path]:
    return sorted(p for p in [ROOT / "labels.jsonl", *ROOT.glob("*/labels.jsonl")] if p.exists())


def load(split: str | None = None) -> list[Sample]:
    """Every labelled message, or only those of ``split`` ("tune" / "heldout"), in a stable order."""
    samples: list[Sample] = []
    for labels in _label_files():
        folder = labels.parent
        for line in labels.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            label = json.loads(line)
            if split is not None and label.get("split") != split:
                continue
            path = folder / label["file"]
            label = {**label, "file": path.relative_to(ROOT).as_posix()}
            samples.append(Sample(raw=path.read_bytes(), label=label))
    return samples
