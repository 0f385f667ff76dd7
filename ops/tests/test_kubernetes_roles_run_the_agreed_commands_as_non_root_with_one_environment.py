"""The Kubernetes roles follow the contracts of docs/deployment.md: each Deployment runs its role's command as
uid 10001 with the same ConfigMap and Secret; web is served, scaled and protected; beat is one, never two."""

from __future__ import annotations

from pathlib import Path

import yaml

from ops.tests.deployment_files import (
    BEAT_COMMAND,
    CONTROL_WORKER_COMMAND,
    K8S_DIR,
    MIGRATE_COMMAND,
    WEB_COMMAND,
    WORKER_COMMAND,
    container_of,
    k8s_resource,
    k8s_resources,
)

ROLES = {
    "rex-web": WEB_COMMAND,
    "rex-worker": WORKER_COMMAND,
    "rex-control-worker": CONTROL_WORKER_COMMAND,
    "rex-beat": BEAT_COMMAND,
}


def _workloads() -> list[dict]:
    return [doc for _, doc in k8s_resources() if doc["kind"] in {"Deployment", "Job"}]


def test_each_role_runs_its_agreed_command():
    for name, command in ROLES.items():
        ran = container_of(k8s_resource("Deployment", name))["command"]
        assert ran[:len(command)] == command, name
    assert container_of(k8s_resource("Job", "rex-migrate"))["command"] == MIGRATE_COMMAND


def test_the_mission_worker_takes_its_concurrency_from_rex_worker_concurrency():
    command = container_of(k8s_resource("Deployment", "rex-worker"))["command"]
    assert command[command.index("--concurrency") + 1] == "$(REX_WORKER_CONCURRENCY)"
    assert "REX_WORKER_CONCURRENCY" in k8s_resource("ConfigMap", "rex-config")["data"]


def test_every_workload_runs_as_uid_10001_and_never_as_root():
    for workload in _workloads():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001
        assert pod["securityContext"]["runAsGroup"] == 10001
        assert container_of(workload)["securityContext"]["allowPrivilegeEscalation"] is False


def test_the_dockerfile_runs_as_uid_10001_and_starts_the_web_role():
    dockerfile = (Path(K8S_DIR).parents[1] / "Dockerfile").read_text()
    assert "useradd --system --uid 10001 --gid 10001" in dockerfile
    assert "\nUSER 10001:10001\n" in dockerfile
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    assert yaml.safe_load(cmd.removeprefix("CMD ")) == WEB_COMMAND


def test_every_workload_reads_the_same_configmap_and_secret():
    sources = {workload["metadata"]["name"]: container_of(workload)["envFrom"] for workload in _workloads()}
    expected = [{"configMapRef": {"name": "rex-config"}}, {"secretRef": {"name": "rex-secrets"}}]
    assert sources == dict.fromkeys(sources, expected)
    secret = k8s_resource("Secret", "rex-secrets")["stringData"]
    assert {"DATABASE_URL", "REDIS_URL", "DJANGO_SECRET_KEY", "REX_ENCRYPTION_KEYS"} <= set(secret)
    # A secret never sits in the ConfigMap, which anyone with read access to the namespace sees.
    assert not set(secret) & set(k8s_resource("ConfigMap", "rex-config")["data"])


def test_beat_is_one_replica_that_is_recreated_never_rolled():
    beat = k8s_resource("Deployment", "rex-beat")
    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert not [doc for _, doc in k8s_resources() if doc["kind"] == "HorizontalPodAutoscaler"
                and doc["spec"]["scaleTargetRef"]["name"] == "rex-beat"]


def test_the_web_is_served_through_the_service_and_the_ingress_and_scaled_by_the_hpa():
    web_labels = k8s_resource("Deployment", "rex-web")["spec"]["template"]["metadata"]["labels"]
    service = k8s_resource("Service", "rex-web")
    assert service["spec"]["selector"].items() <= web_labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    backend = k8s_resource("Ingress", "rex")["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "rex-web", "port": {"name": "http"}}
    # Websockets stay open between the dashboard's 25 s pings.
    annotations = k8s_resource("Ingress", "rex")["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) > 25
    hpa = k8s_resource("HorizontalPodAutoscaler", "rex-web")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "rex-web"}


def test_every_disruption_budget_selects_the_pods_of_a_deployment():
    deployments = {doc["metadata"]["name"]: doc for _, doc in k8s_resources() if doc["kind"] == "Deployment"}
    budgets = [doc for _, doc in k8s_resources() if doc["kind"] == "PodDisruptionBudget"]
    assert {budget["metadata"]["name"] for budget in budgets} == {"rex-web", "rex-worker", "rex-control-worker"}
    for budget in budgets:
        labels = deployments[budget["metadata"]["name"]]["spec"]["template"]["metadata"]["labels"]
        assert budget["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_the_queue_depth_scaler_example_watches_the_queues_the_worker_consumes():
    scaler = yaml.safe_load((K8S_DIR / "examples" / "worker-queue-scaler.yaml").read_text())
    assert scaler["kind"] == "ScaledObject"
    assert scaler["spec"]["scaleTargetRef"]["name"] == "rex-worker"
    command = container_of(k8s_resource("Deployment", "rex-worker"))["command"]
    queues = command[command.index("-Q") + 1].split(",")
    assert [trigger["metadata"]["listName"] for trigger in scaler["spec"]["triggers"]] == queues
