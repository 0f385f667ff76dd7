"""``core`` is the shared library under every app (encryption at rest, the state machine pattern, ...): any app
may import it, so it may import none of them, or the app it imports could no longer import core."""

from pathlib import Path

import core
from core.imports import app_modules, imported_packages
from rex_project.layers import LAYERS

PROJECT_APPS = {package for layer in LAYERS for package in layer} - {"core", "rex_project"}


def test_core_modules_import_no_project_app():
    package = Path(core.__file__).parent
    offenders = {str(path.relative_to(package)): sorted(imported_packages(path) & PROJECT_APPS)
                 for path in app_modules(package)}

    assert {name: apps for name, apps in offenders.items() if apps} == {}
