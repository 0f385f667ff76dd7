"""The Twilio account reaches every role (the web role checks webhook signatures, workers send texts) as secrets,
and the URL Twilio signs is configured beside them (docs/sms.md, docs/deployment.md)."""

from __future__ import annotations

from ops.tests.deployment_files import compose, k8s_resource

TWILIO_SECRETS = {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"}


def test_compose_passes_the_twilio_account_and_api_base_to_every_role_without_a_default():
    services = compose()["services"]
    for role in ("web", "worker", "control-worker", "beat"):
        environment = services[role]["environment"]
        for name in (*TWILIO_SECRETS, "TWILIO_API_BASE_URL", "REX_PUBLIC_BASE_URL"):
            assert name in environment, (role, name)
        # No made-up credentials: empty means "SMS is not configured", never a wrong account.
        for name in TWILIO_SECRETS:
            assert environment[name] == f"${{{name}:-}}", (role, name)


def test_kubernetes_keeps_the_twilio_account_in_the_secret_and_the_urls_in_the_configmap():
    secret = k8s_resource("Secret", "rex-secrets")["stringData"]
    config = k8s_resource("ConfigMap", "rex-config")["data"]

    assert TWILIO_SECRETS <= set(secret)
    assert not TWILIO_SECRETS & set(config)
    assert config["REX_PUBLIC_BASE_URL"].startswith("https://")
    assert "TWILIO_API_BASE_URL" in config
