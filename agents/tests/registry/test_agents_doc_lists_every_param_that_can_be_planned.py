"""docs/agents.md lists every param of every mission type REX can plan, with its range: the table is the params
models' own description (``field_docs``), so a field added to a model and not to the docs fails here."""

from pathlib import Path

import pytest
from django.conf import settings

from agents.params import field_docs
from missions.decision import planned_intents

DOC = (Path(settings.BASE_DIR) / "docs" / "agents.md").read_text()


def rows() -> list[tuple[str, str, str]]:
    return [(intent.mission_type, doc.name, doc.constraints) for intent in planned_intents()
            for doc in field_docs(intent.params)]


@pytest.mark.parametrize("mission_type, field, constraints", rows(), ids=[f"{t}.{f}" for t, f, _ in rows()])
def test_the_params_table_has_the_field_and_its_range(mission_type, field, constraints):
    lines = [line for line in DOC.splitlines() if line.startswith(f"| `{mission_type}`") and f"| `{field}` |" in line]

    assert lines, f"docs/agents.md has no row for {mission_type}.{field}"
    assert constraints in lines[0]
