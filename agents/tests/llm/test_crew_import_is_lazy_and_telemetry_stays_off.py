"""CrewAI costs seconds and ~180 MB to import, and its telemetry replaces SIGTERM handlers (fatal in Celery and
daphne): Django must start without importing it, and once the gateway imports it, telemetry must be off and the
process's signal handlers untouched. Checked in fresh interpreters, since this test process may have imported
CrewAI already."""

import json
import subprocess
import sys

from conftest import ROOT, child_env

STARTUP = """
import json, sys
import django
django.setup()
import rex_project.urls, agents.llm  # noqa: E401 - what every web and worker process loads
print(json.dumps({"crewai": "crewai" in sys.modules, "openai": "openai" in sys.modules}))
"""

AFTER_IMPORT = """
import json, os, signal, sys
import django
django.setup()
def handler(signum, frame):
    pass
signal.signal(signal.SIGTERM, handler)
from agents import llm
llm._prepare_crewai_env()
import crewai
from crewai.telemetry import Telemetry
from django.conf import settings
telemetry = Telemetry()
print(json.dumps({
    "telemetry_ready": telemetry.ready,
    "sigterm_untouched": signal.getsignal(signal.SIGTERM) is handler,
    "storage_dir": os.environ["CREWAI_STORAGE_DIR"],
    "var_dir": str(settings.VAR_DIR),
    "env": {k: os.environ.get(k) for k in ("CREWAI_DISABLE_TELEMETRY", "OTEL_SDK_DISABLED", "CREWAI_TRACING_ENABLED",
                                          "CREWAI_DISABLE_VERSION_CHECK")},
}))
"""


def run_python(code: str) -> dict:
    env = child_env(DJANGO_SETTINGS_MODULE="rex_project.settings")
    for name in ("CREWAI_DISABLE_TELEMETRY", "OTEL_SDK_DISABLED", "CREWAI_TRACING_ENABLED",
                 "CREWAI_DISABLE_VERSION_CHECK", "CREWAI_STORAGE_DIR", "CREWAI_DISABLE_TRACKING"):
        env.pop(name, None)  # as a fresh production process starts: only the gateway sets them
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_django_starts_without_importing_crewai(db):
    loaded = run_python(STARTUP)

    assert loaded == {"crewai": False, "openai": False}


def test_crewai_imported_by_the_gateway_has_telemetry_off(db):
    state = run_python(AFTER_IMPORT)

    assert state["telemetry_ready"] is False
    assert state["sigterm_untouched"] is True
    assert state["env"] == {"CREWAI_DISABLE_TELEMETRY": "true", "OTEL_SDK_DISABLED": "true",
                            "CREWAI_TRACING_ENABLED": "false", "CREWAI_DISABLE_VERSION_CHECK": "true"}
    assert state["storage_dir"].startswith(state["var_dir"])
