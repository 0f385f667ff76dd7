"""Which app may import which: the layers of the monolith, bottom first.

An app may import apps of its own layer group below it and never one above it; news travels upward through
signals, registries (agents, intents, beat jobs, demo seeds) and the live API instead. The composition roots
(``rex_project.urls``, ``rex_project.asgi``) sit on top and may import anything. Tests and migrations are not
held to the rule (a test builds rows of whatever apps it needs). Checked by
``rex_project/tests/test_apps_import_only_layers_below_them.py``; drawn in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

# Bottom first. The platform: project settings and shared library code, the tenant, live events, the embedded
# stack and operations. Then the business apps, each above the ones it builds on.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("rex_project", "core"),
    ("tenants",),
    ("live",),
    ("ops",),
    ("agents",),
    ("missions",),
    ("billing",),
    ("domains",),
    ("inboxes",),
    ("campaigns",),
    ("replies",),
    ("sms",),
    ("meetings",),
    # Reads what every sending app records.
    ("analytics",),
    ("monitoring",),
    # GDPR requests reach into every app that holds a person's data, so nothing may sit above it.
    ("privacy",),
)

# Modules that wire everything together; they may import any app.
COMPOSITION_ROOTS = frozenset({"rex_project.urls", "rex_project.asgi", "rex_project.wsgi"})


def level_of(package: str) -> int | None:
    """The layer index of a top-level package of the project, or None for third-party code."""
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    return None


def _type_checking_block(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): annotations only, never run."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_packages(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every absolute import the module runs, at module level or in a function.

    Imports under ``if TYPE_CHECKING:`` are left out: a lower app may name, in an annotation, a model of a higher
    one that its own model links to by a string foreign key (``OutboundMessage.contact`` → ``campaigns.Contact``);
    that is a link in the schema, not code that runs.
    """
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if _type_checking_block(node):
            for child in node.orelse:  # the else branch does run
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name.split(".")[0]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), filename=str(path)))
    return found


def project_modules(root: Path) -> list[tuple[str, Path]]:
    """Every module of every layer's packages under ``root``, but tests and migrations, as (dotted name, path)."""
    modules = []
    for layer in LAYERS:
        for package in layer:
            for path in sorted((root / package).rglob("*.py")):
                relative = path.relative_to(root)
                if "tests" in relative.parts or "migrations" in relative.parts:
                    continue
                modules.append((".".join(relative.with_suffix("").parts).removesuffix(".__init__"), path))
    return modules


def upward_imports(root: Path) -> list[str]:
    """Each import that runs up the layers, as "path:line imports package (a layer above app)"."""
    problems = []
    for module, path in project_modules(root):
        if module in COMPOSITION_ROOTS:
            continue
        own_package = module.split(".")[0]
        own = level_of(own_package)
        for line, package in imported_packages(path):
            level = level_of(package)
            if level is not None and own is not None and level > own:
                problems.append(f"{path.relative_to(root)}:{line} imports {package} (a layer above {own_package})")
    return problems
