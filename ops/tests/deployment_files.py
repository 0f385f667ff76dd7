"""Reading the deployment files the way the tools do: compose.yaml as compose sees it (anchors and merge keys
resolved), deploy/k8s as `kubectl apply -k` would (every resource kustomization.yaml lists, every document of each)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
COMPOSE_FILE = ROOT / "compose.yaml"
K8S_DIR = ROOT / "deploy" / "k8s"
# The oldest Kubernetes the manifests promise to work on (docs/deployment.md); newer ones accept them too.
KUBERNETES_VERSION = "1.30"

# The role contracts of docs/deployment.md: the command each role runs, as its leading arguments.
WEB_COMMAND = ["gunicorn", "-c", "python:ops.webserver", "-b", "0.0.0.0:8000", "rex_project.asgi:application"]
WORKER_COMMAND = ["celery", "-A", "rex_project", "worker", "-Q", "missions.high,missions.normal,missions.low",
                  "-n", "rex@%h"]
CONTROL_WORKER_COMMAND = ["celery", "-A", "rex_project", "worker", "-Q", "rex.control", "-n", "rex-control@%h",
                          "-c", "2"]
BEAT_COMMAND = ["celery", "-A", "rex_project", "beat"]
MIGRATE_COMMAND = ["python", "manage.py", "migrate", "--noinput"]


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def kustomization() -> dict[str, Any]:
    return yaml.safe_load((K8S_DIR / "kustomization.yaml").read_text())


def k8s_resources() -> list[tuple[str, dict[str, Any]]]:
    """(file, document) for every document of every file kustomization.yaml lists, in its order."""
    found = []
    for name in kustomization()["resources"]:
        for document in yaml.safe_load_all((K8S_DIR / name).read_text()):
            if document:
                found.append((name, document))
    return found


def k8s_resource(kind: str, name: str) -> dict[str, Any]:
    matches = [doc for _, doc in k8s_resources() if doc["kind"] == kind and doc["metadata"]["name"] == name]
    assert len(matches) == 1, f"expected one {kind}/{name}, found {len(matches)}"
    return matches[0]


def container_of(workload: dict[str, Any]) -> dict[str, Any]:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1, f"{workload['metadata']['name']} runs one container"
    return containers[0]
