"""The statistics the anomaly pass decides with (docs/monitoring.md).

A rate is judged by its Wilson score interval, not its point value: 2 bounces out of 20 sends is 10 %, but says
little; the interval's lower bound is the rate we are fairly sure the subject is at least at, its upper bound the
rate it is at most at. A subject is flagged only when the lower bound passes the threshold (and the sample has at
least the minimum size), so a small inbox is not paused on noise, and a big one is paused as soon as the evidence
is clear. Durations are compared by their mean against the baseline's, in standard errors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# One-sided 95 %: a subject is flagged when we are 95 % sure its true rate is over the threshold.
Z = 1.645


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(successes: int, trials: int, z: float = Z) -> Interval:
    """The Wilson score interval of ``successes / trials``; (0, 1) when there are no trials."""
    if trials <= 0:
        return Interval(0.0, 1.0)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = p + z * z / (2 * trials)
    margin = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials))
    return Interval(max(0.0, (centre - margin) / denominator), min(1.0, (centre + margin) / denominator))


def rate_level(successes: int, trials: int, *, warn: float, critical: float, minimum: int) -> str | None:
    """"critical", "warning" or None: how surely ``successes / trials`` is over each threshold."""
    if trials < minimum:
        return None
    low = wilson(successes, trials).low
    if low >= critical:
        return "critical"
    if low >= warn:
        return "warning"
    return None


def percent(value: float) -> str:
    """A rate as people read it: "2.5 %", "0.15 %"."""
    shown = value * 100
    return f"{shown:.2f} %" if shown < 1 else f"{shown:.1f} %"


def mean_is_higher(mean: float, n: int, *, baseline_mean: float, baseline_sd: float, factor: float,
                   standard_errors: float = 3.0) -> bool:
    """Whether a recent mean of ``n`` durations is both ``factor`` times the baseline's and ``standard_errors``
    standard errors above it, so a slow run or two among many never counts."""
    if n <= 0 or baseline_mean <= 0:
        return False
    error = baseline_sd / math.sqrt(n)
    return mean >= baseline_mean * factor and mean >= baseline_mean + standard_errors * error
