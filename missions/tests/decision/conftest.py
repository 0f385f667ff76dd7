"""Fixtures of the decision-engine tests: a real daphne whose LLM layer talks to the test's fake LLM server."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from conftest import ChildProcess, child_env, wait_for
from ops.net import free_port, port_open


@pytest.fixture
def asgi_server_with_llm(transactional_db, tmp_path, fake_openai) -> Iterator[str]:
    """``asgi_server``, but with the OpenAI settings of ``fake_openai`` in the server's environment (the fixture
    itself sets them only in this process); yields the base URL."""
    port = free_port()
    child = ChildProcess(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "rex_project.asgi:application"],
        child_env(OPENAI_API_KEY="sk-test-fake-openai", OPENAI_BASE_URL=fake_openai.base_url, REX_LLM_ENABLED="true"),
        tmp_path / "daphne-llm.log",
    )

    def listening() -> bool:
        if not child.alive():
            raise AssertionError(f"daphne exited early:\n{child.output()[-3000:]}")
        return port_open("127.0.0.1", port, timeout=0.2)

    wait_for(listening, 30, "daphne to listen")
    yield f"http://127.0.0.1:{port}"
    child.stop()
