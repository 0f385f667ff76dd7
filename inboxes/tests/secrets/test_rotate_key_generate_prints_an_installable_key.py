from __future__ import annotations

from io import StringIO

from cryptography.fernet import Fernet
from django.core.management import call_command


def test_generate_prints_only_the_key_on_stdout_and_how_to_install_it_on_stderr():
    out, err = StringIO(), StringIO()

    call_command("rex_rotate_key", "--generate", stdout=out, stderr=err)

    key = out.getvalue().strip()
    Fernet(key)  # valid
    assert "FIRST entry of REX_ENCRYPTION_KEYS" in err.getvalue()
    assert f"REX_ENCRYPTION_KEYS={key},<current keys...>" in err.getvalue()
    assert "manage.py rex_rotate_key --check" in err.getvalue()
