"""An address REX holds nothing about: the commands exit non-zero with one readable line, the API answers 404;
a malformed address is a field error (400) in the API and one line from the commands."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from ops.tests.deployment_files import ROOT


@pytest.mark.parametrize("command", ["rex_export_contact", "rex_erase_contact"])
def test_the_commands_refuse_an_unknown_address_with_one_line(command, organization):
    with pytest.raises(CommandError, match=r"^REX holds nothing about nobody@client\.example in any organization$"):
        call_command(command, "Nobody@Client.example")


@pytest.mark.parametrize("command", ["rex_export_contact", "rex_erase_contact"])
def test_the_commands_refuse_a_malformed_address_and_an_unknown_organization(command, jane):
    with pytest.raises(CommandError, match="is not an email address"):
        call_command(command, "not-an-address")
    with pytest.raises(CommandError, match="no organization with slug 'nope'"):
        call_command(command, jane.email, "--organization", "nope")


def test_the_command_exits_non_zero_with_one_line_on_stderr(organization):
    # manage.py in a child process, on the test database, as an operator runs it.
    from conftest import child_env

    result = subprocess.run([sys.executable, "manage.py", "rex_erase_contact", "nobody@client.example"],
                            cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "CommandError: REX holds nothing about nobody@client.example in any organization"]
