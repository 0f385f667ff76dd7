"""The shape of an answer the command box shows: a number or a table (docs/decision-engine.md#answers).

Questions and controls the rules answer at once (``agents.intents.Intent.answer``) build their answers here, so the
dashboard, the API schema and every app agree on one shape:

- ``{"kind": "number", "title", "value", "unit", "detail", "text"}``: one figure (``value`` null when it cannot be
  computed, e.g. a rate of nothing sent; ``detail`` says why or what it counts);
- ``{"kind": "table", "title", "columns", "rows", "text"}``: rows of cells (text or numbers), one per column.

``text`` is the same answer in one line, for clients that show text only (and the CLI).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Cell = str | int | float | None


def number_answer(title: str, value: int | float | None, *, unit: str = "", detail: str = "",
                  **extra: Any) -> dict[str, Any]:
    shown = "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    text = f"{title}: {shown}{' ' + unit if unit and value is not None else ''}" + (f" ({detail})" if detail else "")
    return {"kind": "number", "title": title, "value": value, "unit": unit, "detail": detail, "text": text, **extra}


def table_answer(title: str, columns: Sequence[str], rows: Sequence[Sequence[Cell]], *, detail: str = "",
                 **extra: Any) -> dict[str, Any]:
    lines = "; ".join(", ".join("—" if cell is None else str(cell) for cell in row) for row in rows)
    text = f"{title}: {lines or 'nothing'}" + (f" ({detail})" if detail else "")
    return {"kind": "table", "title": title, "columns": list(columns), "rows": [list(row) for row in rows],
            "detail": detail, "text": text, **extra}


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, two decimals; None when there is no whole to divide by."""
    return round(100 * part / whole, 2) if whole else None
