"""compose.yaml is valid against the Compose Specification's JSON schema, the copy check-jsonschema ships (its
`vendor.compose-spec` built-in schema, read from the package: no network)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ops.tests.deployment_files import COMPOSE_FILE

CHECK_JSONSCHEMA = str(Path(sys.executable).with_name("check-jsonschema"))


def _check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHECK_JSONSCHEMA, "--builtin-schema", "vendor.compose-spec", str(path)],
                          capture_output=True, text=True, timeout=60)


def test_compose_yaml_is_valid_against_the_compose_spec():
    result = _check(COMPOSE_FILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_validator_refuses_a_compose_file_with_an_unknown_service_key(tmp_path):
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE_FILE.read_text().replace("  beat:\n", "  beat:\n    replicaz: 2\n", 1))
    result = _check(broken)
    assert result.returncode != 0
    assert "replicaz" in result.stdout + result.stderr
