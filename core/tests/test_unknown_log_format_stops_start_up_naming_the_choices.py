"""REX_LOG_FORMAT other than text or json stops every process at start-up, with a last line naming the choices."""

import subprocess
import sys

from conftest import ROOT, child_env


def test_manage_py_refuses_an_unknown_log_format():
    done = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=child_env(REX_LOG_FORMAT="xml"))

    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: REX_LOG_FORMAT must be one of text, json, not 'xml'")
