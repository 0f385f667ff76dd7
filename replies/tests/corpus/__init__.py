"""The triage corpus: whole messages (``*.eml``) and their labels (``labels.jsonl``, one JSON object a line).

A label is ``{"file", "category", "bounce_class", "status", "return_date", "split"}``, ``split`` being "tune"
(rules may be tuned on it) or "heldout" (never looked at while tuning; its figures say how the rules generalise).
Human replies (``human-*.eml``) also carry ``lang`` and ``referral`` (``{"email", "name"}`` or null).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Sample:
    raw: bytes
    label: dict


def load(split: str | None = None) -> list[Sample]:
    """Every labelled message, in the order of ``labels.jsonl``; only those of ``split`` when it is given."""
    samples: list[Sample] = []
    for line in (HERE / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        if split is None or label["split"] == split:
            samples.append(Sample(raw=(HERE / label["file"]).read_bytes(), label=label))
    return samples
