"""An app imports only the layers below it (rex_project/layers.py), at module level and inside functions alike;
every installed project app has a layer; and the check really finds an upward import."""

from __future__ import annotations

from pathlib import Path

from rex_project.layers import LAYERS, imported_packages, level_of, upward_imports

ROOT = Path(__file__).resolve().parents[2]


def test_no_app_imports_a_layer_above_it():
    problems = upward_imports(ROOT)
    assert not problems, "imports that run up the layers:\n" + "\n".join(problems)


def test_every_installed_project_app_has_a_layer():
    from django.apps import apps

    project_apps = [config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()]
    assert [name for name in project_apps if level_of(name) is None] == []
    assert len(project_apps) == len([name for layer in LAYERS for name in layer if name not in ("rex_project", "core")])


def test_an_upward_import_inside_a_function_is_found_and_an_annotation_only_one_is_not(tmp_path):
    module = tmp_path / "leak.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from campaigns.models import Contact\n"
        "def f():\n"
        "    from campaigns.models import Campaign\n"
        "    return Campaign\n"
    )

    assert imported_packages(module) == [(1, "typing"), (5, "campaigns")]
    assert level_of("campaigns") > level_of("tenants")


def test_the_whole_tree_is_checked(tmp_path):
    # A lower app's module with an upward import, in a tree laid out like this one, is reported with its line.
    (tmp_path / "tenants").mkdir()
    (tmp_path / "tenants" / "leak.py").write_text("import os\n\ndef f():\n    import missions.models\n")

    assert upward_imports(tmp_path) == ["tenants/leak.py:4 imports missions (a layer above tenants)"]
