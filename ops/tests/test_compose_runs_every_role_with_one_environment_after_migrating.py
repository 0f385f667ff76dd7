"""compose.yaml holds what `docker compose config` would insist on, and the role contracts: every role present
with its command, one environment for all of them, each waiting for healthy PostgreSQL and Redis and a finished
migration, and a health check on every long-running service."""

from __future__ import annotations

import re

from ops.tests.deployment_files import (
    BEAT_COMMAND,
    COMPOSE_FILE,
    CONTROL_WORKER_COMMAND,
    MIGRATE_COMMAND,
    ROOT,
    WEB_COMMAND,
    WORKER_COMMAND,
    compose,
)

ROLES = {"web": WEB_COMMAND, "worker": WORKER_COMMAND, "control-worker": CONTROL_WORKER_COMMAND,
         "beat": BEAT_COMMAND}


def test_every_role_and_service_is_present_with_its_command():
    services = compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", *ROLES}
    for role, command in ROLES.items():
        assert services[role]["command"][:len(command)] == command, role
    assert services["migrate"]["command"] == MIGRATE_COMMAND


def test_the_mission_worker_takes_its_concurrency_from_rex_worker_concurrency():
    worker = compose()["services"]["worker"]
    command = worker["command"]
    assert command[command.index("--concurrency") + 1].startswith("${REX_WORKER_CONCURRENCY")
    assert "REX_WORKER_CONCURRENCY" in worker["environment"]


def test_every_role_and_the_migration_share_one_environment_with_the_secrets():
    services = compose()["services"]
    environments = [services[name]["environment"] for name in [*ROLES, "migrate"]]
    assert all(environment == environments[0] for environment in environments)
    for secret in ("DJANGO_SECRET_KEY", "REX_ENCRYPTION_KEYS"):
        # Required, never defaulted: a made-up key would differ between restarts and lock the data away.
        assert re.fullmatch(re.escape("${" + secret + ":?") + r"[^}]+\}", environments[0][secret])
    assert environments[0]["DATABASE_URL"].startswith("postgres://")
    assert environments[0]["REDIS_URL"].startswith("redis://redis:6379/")


def test_every_role_waits_for_healthy_services_and_a_finished_migration():
    services = compose()["services"]
    for role in ROLES:
        assert services[role]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }, role
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    assert services["migrate"]["restart"] == "no"


def test_every_long_running_service_has_a_health_check():
    services = compose()["services"]
    for name, service in services.items():
        if name == "migrate":
            continue
        assert service["healthcheck"]["test"][0] in {"CMD", "CMD-SHELL"}, name
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    assert "rex@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    assert "rex-control@$$HOSTNAME" in services["control-worker"]["healthcheck"]["test"][1]


def test_there_is_one_beat_and_redis_never_evicts():
    services = compose()["services"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "noeviction" in services["redis"]["command"]


def test_every_named_volume_used_is_declared():
    document = compose()
    used = {mount.split(":")[0] for service in document["services"].values() for mount in service.get("volumes", [])}
    assert used == set(document["volumes"])


def test_every_variable_compose_reads_is_documented():
    text = COMPOSE_FILE.read_text()
    documented = (ROOT / "docs" / "configuration.md").read_text() + (ROOT / "docs" / "deployment.md").read_text()
    variables = set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))
    assert {"POSTGRES_PASSWORD", "DJANGO_SECRET_KEY", "REX_ENCRYPTION_KEYS"} <= variables
    assert sorted(name for name in variables if f"`{name}`" not in documented) == []
