"""``manage.py rex_poll_imap`` prints a line per inbox read, one readable line per inbox that failed, and exits 1
when any failed (a ``CommandError`` with returncode 1, which Django's command line turns into the exit status)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from replies.models import InboundMessage
from replies.tests.imap.mail import ENGLISH_REPLY, reply


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("rex_poll_imap", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
        return exc.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_the_command_exits_1_naming_the_failed_inbox(make_imap_inbox, dovecot):
    broken = make_imap_inbox(imap_password="wrong")
    working = make_imap_inbox()
    dovecot.append(working.imap_username, reply(to=working.address, body=ENGLISH_REPLY))

    code, out, err = run()

    assert code == 1
    assert f"{working.address}: 1 new of 1 read" in out
    [failure] = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert failure.startswith(f"FAILED {broken.address}: authentication refused for {broken.imap_username}")
    assert "1 of 2 inboxes could not be read" in err
    assert InboundMessage.objects.filter(inbox=working).count() == 1


def test_the_command_reads_one_inbox_and_exits_0(make_imap_inbox, dovecot):
    make_imap_inbox(imap_password="wrong")
    working = make_imap_inbox()
    dovecot.append(working.imap_username, reply(to=working.address, body=ENGLISH_REPLY))

    code, out, err = run("--inbox", working.address.upper())

    assert (code, out.strip(), err) == (0, f"{working.address}: 1 new of 1 read", "")


@pytest.mark.django_db
def test_an_unknown_inbox_is_a_clear_error():
    code, _, err = run("--inbox", "nobody@nowhere.example")
    assert code == 1 and "no inbox with address 'nobody@nowhere.example'" in err
