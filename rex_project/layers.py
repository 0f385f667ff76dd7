"""Which app may import which: the layers of the monolith, bottom first.

An app may import apps of its own layer group below it and never one above it; news travels upward through
signals, registries (agents, intents, beat jobs, demo seeds) and the live API instead. The composition roots
(``rex_project.urls``, ``rex_project.asgi``) sit on top and may import anything. Tests and migrations are not
held to the rule (a test builds rows of whatever apps it needs). Checked by
``rex_project/tests/test_apps_import_only_layers_below_them.py``; drawn in docs/architecture.md.
"""

from __future__ import annotations

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
)

# Modules that wire everything together; they may import any app.
COMPOSITION_ROOTS = frozenset({"rex_project.urls", "rex_project.asgi", "rex_project.wsgi"})


def level_of(package: str) -> int | None:
    """The layer index of a top-level package of the project, or None for third-party code."""
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    return None
