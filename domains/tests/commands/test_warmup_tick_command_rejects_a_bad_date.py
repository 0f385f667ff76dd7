import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]



@pytest.mark.parametrize("value", ["2031-02-30", "tomorrow", "20310302", "2031-3-2x"])
def test_warmup_tick_command_rejects_a_bad_date(db, value):
    with pytest.raises(CommandError) as raised:
        call_command("rex_warmup_tick", "--date", value)
    assert str(raised.value) == f"--date must be a calendar date written YYYY-MM-DD, not {value!r}"


def test_warmup_tick_command_exits_non_zero_with_one_line():
    done = subprocess.run([sys.executable, "manage.py", "rex_warmup_tick", "--date", "yesterday"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip() == "CommandError: --date must be a calendar date written YYYY-MM-DD, not 'yesterday'"
