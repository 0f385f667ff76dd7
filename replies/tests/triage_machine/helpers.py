"""Shared by the machine-mail triage tests: parse a corpus sample, run the three detectors in the orchestrator's
order (bounce, complaint, auto-reply), and score a split."""

from __future__ import annotations

import email
import email.policy
from collections import Counter
from datetime import date
from email.message import EmailMessage
from typing import Any

from replies.tests.corpus import Sample, load
from replies.triage.auto_replies import detect_auto_reply
from replies.triage.bounces import parse_bounce
from replies.triage.complaints import parse_complaint

MACHINE_CATEGORIES = ("bounce", "complaint", "out_of_office", "auto_reply")


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def machine_samples(split: str, *categories: str) -> list[Sample]:
    wanted = categories or MACHINE_CATEGORIES
    return [s for s in load(split) if s.label["category"] in wanted]


def today_of(label: dict[str, Any]) -> date:
    return date.fromisoformat(label.get("today") or "2026-12-08")


def predict(sample: Sample) -> dict[str, Any]:
    """The category and details the three detectors give, tried in the orchestrator's order."""
    msg = parse(sample.raw)
    if (bounce := parse_bounce(msg)) is not None:
        return {"category": "bounce", "bounce_class": bounce.klass, "status": bounce.status, "found": bounce}
    if (complaint := parse_complaint(msg)) is not None:
        return {"category": "complaint", "found": complaint}
    if (auto := detect_auto_reply(msg, "", today=today_of(sample.label))) is not None:
        return {"category": auto.kind, "return_date": auto.return_date and auto.return_date.isoformat(), "found": auto}
    return {"category": "none"}


def score(split: str) -> dict[str, dict[str, float]]:
    """Per machine category: recall, precision, and how often the detail (bounce class, return date) is right."""
    hits, labelled, predicted, details = Counter(), Counter(), Counter(), Counter()
    for sample in load(split):
        expected = sample.label["category"]
        got = predict(sample)
        labelled[expected] += 1
        predicted[got["category"]] += 1
        if got["category"] != expected:
            continue
        hits[expected] += 1
        if expected == "bounce" and got["bounce_class"] == sample.label["bounce_class"]:
            details[expected] += 1
        if expected in ("out_of_office", "auto_reply") and got["return_date"] == sample.label["return_date"]:
            details[expected] += 1
        if expected == "complaint":
            details[expected] += 1
    return {c: {"n": labelled[c], "recall": hits[c] / labelled[c] if labelled[c] else 1.0,
                "precision": hits[c] / predicted[c] if predicted[c] else 1.0,
                "detail": details[c] / labelled[c] if labelled[c] else 1.0}
            for c in MACHINE_CATEGORIES}


def describe(split: str, figures: dict[str, dict[str, float]]) -> str:
    return "\n".join(f"{split:8} {c:14} n={f['n']:3} recall={f['recall']:.2f} precision={f['precision']:.2f} "
                     f"detail={f['detail']:.2f}" for c, f in figures.items())
