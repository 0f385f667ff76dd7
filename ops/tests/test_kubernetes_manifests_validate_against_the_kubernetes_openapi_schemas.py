"""Every resource the kustomization lists is valid against the Kubernetes OpenAPI schemas, strictly (an unknown
or misspelt field fails), from the schemas kubernetes-validate ships: no network is used."""

from __future__ import annotations

import copy
import socket

import kubernetes_validate
import pytest
from kubernetes_validate.utils import ValidationError

from ops.tests.deployment_files import K8S_DIR, KUBERNETES_VERSION, k8s_resource, k8s_resources, kustomization


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the validator tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_every_listed_resource_file_exists_and_nothing_else_is_left_out():
    listed = set(kustomization()["resources"])
    on_disk = {path.name for path in K8S_DIR.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk


def test_every_resource_validates_strictly_against_the_kubernetes_openapi_schemas(no_network):
    resources = k8s_resources()
    kinds = {doc["kind"] for _, doc in resources}
    assert {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ConfigMap",
            "Secret", "Job"} <= kinds
    for name, document in resources:
        try:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        except ValidationError as error:
            pytest.fail(f"{name}: {document['kind']}/{document['metadata']['name']}: {error.message}")


def test_the_validator_refuses_a_misspelt_field(no_network):
    deployment = copy.deepcopy(k8s_resource("Deployment", "rex-web"))
    deployment["spec"]["template"]["spec"]["containers"][0]["imagePullPolcy"] = "Always"
    with pytest.raises(ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)
