"""Fixtures shared by every app's tests.

Services (PostgreSQL, Redis) are chosen by ``ops.testenv`` before Django starts. The process fixtures
here start real Celery workers and the real web server (gunicorn + uvicorn workers) against the test database,
for end-to-end tests; such tests must use ``transactional_db`` (or ``django_db(transaction=True)``) so their
rows are committed and visible to those processes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.test import APIClient

from ops.net import free_port, http_answers
from rex_project.celery import app as celery_app
from rex_project.celery import worker_argv

ROOT = Path(__file__).resolve().parent


# --- tenants and clients -------------------------------------------------------------------------------------------

PROCESS_FIXTURES = {"start_worker", "start_beat", "asgi_server"}


@pytest.fixture(autouse=True)
def fast_password_hashing(request):
    """Hash test passwords with MD5 in in-process tests.

    PBKDF2 at Django's production cost takes most of a second per password on a small CI machine, and nearly
    every test creates a user. End-to-end tests keep the real hashers: their daphne/worker processes read the
    production settings and must be able to check passwords created here.
    """
    if request.node.get_closest_marker("e2e") or PROCESS_FIXTURES & set(request.fixturenames):
        yield
        return
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def fresh_api_throttles() -> Iterator[None]:
    """Each test starts with empty DRF throttle counts.

    The counts live in the run's Redis cache, which no transaction rolls back: without this, the token requests
    and anonymous calls of the whole suite (all from 127.0.0.1) would add up and a later test would get a 429.
    Failed-login counts (django-axes) are database rows and roll back with the test.
    """
    from django.core.cache import cache

    def forget() -> None:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=cache.make_key("throttle_*"), count=1000))
        if keys:
            client.delete(*keys)

    forget()
    yield
    forget()


@pytest.fixture
def django_capture_on_commit_callbacks():
    """pytest-django's fixture, except that a capture block starts a fresh outbox (``live.outbox``).

    A transaction's broadcasts and mission sends ride on one commit hook, registered when the first of them is
    queued. In a test the outer transaction never commits, so that hook may date from before the capture block,
    which collects only hooks registered inside it; a fresh outbox puts the block's messages in a hook it sees.
    """
    from contextlib import contextmanager

    from django.test import TestCase

    from live.outbox import forget_current

    @contextmanager
    def capture(*, using: str = "default", execute: bool = False):
        forget_current(using)
        with TestCase.captureOnCommitCallbacks(using=using, execute=execute) as callbacks:
            yield callbacks

    return capture


# The registries apps fill at start-up: a test that registers or removes something restores them with
# ``restore_registry``, so what it did never leaks into the next test.
REGISTRIES = (
    ("agents.registry", "_agents"),
    ("agents.intents", "_intents"),
    ("agents.llm.contacts", "_finders"),
    ("live.streams", "_streams"),
    ("live.outbox", "_batch_senders"),
    ("ops.cli", "_subcommands"),
    ("ops.seed", "_seeders"),
    ("ops.stack", "_services"),
    ("ops.metrics", "_sources"),
)


@pytest.fixture
def restore_registry() -> Iterator[None]:
    """Every start-up registry (agents, intents, contact finders, live streams, batch senders, ``rex`` sub-commands,
    demo seeds, embedded services, metrics sources) is as it was before the test, whatever the test registered or
    removed."""
    import importlib

    from core.registry import Registry

    def entries(module: str, name: str) -> dict:
        found = getattr(importlib.import_module(module), name)
        return found.entries if isinstance(found, Registry) else found

    saved = [(entries(module, name), dict(entries(module, name))) for module, name in REGISTRIES]
    yield
    for registry, content in saved:
        registry.clear()
        registry.update(content)


@pytest.fixture
def organization(db):
    from tenants.models import Organization

    return Organization.objects.create(name="Acme Outbound", slug="acme")


@pytest.fixture
def user(organization, django_user_model):
    from tenants.models import Membership

    user = django_user_model.objects.create_user("alice", "alice@acme.example", "correct horse battery")
    Membership.objects.create(user=user, organization=organization, role=Membership.Role.OWNER)
    return user


def api_token_for(user) -> str:
    """A working API key for ``user`` (a new ApiToken; only its hash is stored, so this is the one chance to see it).

    Its first request writes last_used_at once: a test counting queries makes one request before it counts.
    """
    from tenants.models import ApiToken

    return ApiToken.objects.issue(user, name="test")[1]


@pytest.fixture
def api_client(user) -> APIClient:
    """Authenticated the way integrators are: with a token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return client


@pytest.fixture
def other_organization_client(db, django_user_model) -> APIClient:
    from tenants.models import Membership, Organization

    org = Organization.objects.create(name="Globex", slug="globex")
    other = django_user_model.objects.create_user("bob", "bob@globex.example", "another horse battery")
    Membership.objects.create(user=other, organization=org)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(other)}")
    return client


# --- real processes --------------------------------------------------------------------------------------------------

def test_database_url() -> str:
    """The URL of the database pytest-django created, for child processes."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # not a test, despite the name


def child_env(**overrides: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": test_database_url(), "PYTHONUNBUFFERED": "1"}
    env.update({k: str(v) for k, v in overrides.items()})
    return env


class ChildProcess:
    """A process in its own session, so killing it takes its whole group (a Celery worker's pool included)."""

    def __init__(self, argv: list[str], env: dict[str, str], log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (as an OOM kill or a lost machine would take it)."""
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        if sig == signal.SIGKILL:
            self.proc.wait(10)

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        self.kill(signal.SIGKILL)
        self._log.close()

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def start_worker(transactional_db, tmp_path) -> Iterator[Callable[..., ChildProcess]]:
    """Start a real Celery worker (prefork, like production) and wait until it answers a ping.

    ``role`` is a deployment role of ``rex_project.celery.WORKER_ROLE_QUEUES`` ("mission" or "control"), started
    with the same command line as ``rex up``; left out, one worker consumes every queue, which saves a process on
    the shared test machine for tests where nothing queues up behind missions.
    """
    started: list[ChildProcess] = []

    def start(concurrency: int = 1, role: str | None = None, **env_overrides: str) -> ChildProcess:
        name = f"test-{role or 'all'}-{uuid.uuid4().hex[:8]}@localhost"
        child = ChildProcess(
            [*worker_argv(role, concurrency=concurrency, node_name=name, python=sys.executable),
             "--loglevel", "INFO", "--without-gossip", "--without-mingle"],
            child_env(**env_overrides),
            tmp_path / f"worker-{len(started)}.log",
        )
        started.append(child)

        def answers() -> bool:
            if not child.alive():
                raise AssertionError(f"worker exited early:\n{child.output()[-3000:]}")
            return bool(celery_app.control.ping(destination=[name], timeout=0.5))

        wait_for(answers, 60, "the Celery worker to answer a ping")
        return child

    yield start
    for child in started:
        child.stop()


@pytest.fixture
def start_beat(transactional_db, tmp_path) -> Iterator[Callable[..., ChildProcess]]:
    started: list[ChildProcess] = []

    def start(**env_overrides: str) -> ChildProcess:
        child = ChildProcess(
            [sys.executable, "-m", "celery", "-A", "rex_project", "beat", "--loglevel", "INFO",
             "-s", str(tmp_path / "beat-schedule")],
            child_env(**env_overrides),
            tmp_path / "beat.log",
        )
        started.append(child)
        return child

    yield start
    for child in started:
        child.stop()


@pytest.fixture
def asgi_server(transactional_db, tmp_path) -> Iterator[str]:
    """The real web role (gunicorn with uvicorn workers, as ``rex up`` and the image start it); yields its base URL
    (http://127.0.0.1:PORT). Two workers: enough to show that requests and websockets work across processes, few
    enough for a shared test machine."""
    port = free_port()
    child = ChildProcess(
        [sys.executable, "-m", "gunicorn", "-c", "python:ops.webserver", "-b", f"127.0.0.1:{port}",
         "rex_project.asgi:application"],
        child_env(REX_WEB_WORKERS="2"),
        tmp_path / "web.log",
    )

    def listening() -> bool:
        if not child.alive():
            raise AssertionError(f"the web server exited early:\n{child.output()[-3000:]}")
        # Answering, not just listening: gunicorn binds before its workers have loaded Django.
        return http_answers("127.0.0.1", port, timeout=5)

    wait_for(listening, 60, "the web server to answer")
    yield f"http://127.0.0.1:{port}"
    child.stop()


# --- LLM: a fake OpenAI-compatible server ----------------------------------------------------------------------------

@pytest.fixture
def fake_openai(settings):
    """A fake OpenAI-compatible server on 127.0.0.1, with the gateway pointed at it (key, base URL, webhook secret).

    Every LLM call a test makes goes here, never to the internet; the test scripts the answers and asserts on what
    the server received (``agents/tests/fake_openai.py``).
    """
    from agents.tests.fake_openai import FakeOpenAI

    fake = FakeOpenAI().start()
    settings.OPENAI_API_KEY = "sk-test-fake-openai"
    settings.OPENAI_BASE_URL = fake.base_url
    settings.OPENAI_WEBHOOK_SECRET = fake.webhook_secret
    try:
        yield fake
    finally:
        fake.stop()
