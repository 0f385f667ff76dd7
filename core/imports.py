"""Which top-level packages a module imports, read from its source (for the tests that hold the app layering).

Every import counts, also one inside a function: a lower app importing a higher one lazily still depends on it.
"""

from __future__ import annotations

import ast
from pathlib import Path


def imported_packages(path: Path) -> set[str]:
    """The first dotted part of every absolute import in the file at ``path`` ("domains" for domains.models)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def app_modules(package_dir: Path) -> list[Path]:
    """The app's own modules: every ``.py`` under ``package_dir`` except its tests."""
    return [path for path in sorted(package_dir.rglob("*.py")) if "tests" not in path.parts]
