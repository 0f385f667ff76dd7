"""The mail sink on the embedded stack: every SMTP send is delivered to a local aiosmtpd server that keeps the
messages under ``var/mail``, so a demo never mails the internet. Registered with ``ops.stack`` in
``InboxesConfig.ready``; started only when ``REX_MAIL_SINK`` is not set already."""

from __future__ import annotations

import os
from collections.abc import Callable

from django.conf import settings

from ops.net import free_port
from ops.stack import EmbeddedService, Stack


def wanted() -> bool:
    return not os.environ.get("REX_MAIL_SINK")


def start(stack: Stack, say: Callable[[str], None]) -> None:
    port = free_port()
    stack.start_command("mail", "rex_mail_sink", "--host", "127.0.0.1", "--port", str(port))
    stack.wait_until_listening("mail", "127.0.0.1", port)
    stack.env["REX_MAIL_SINK"] = settings.REX_MAIL_SINK = f"127.0.0.1:{port}"
    say(f"mail sink on 127.0.0.1:{port}: every email is kept in {settings.VAR_DIR / 'mail'} "
        "(manage.py rex_mail_sink --list)")


MAIL_SINK = EmbeddedService("mail", wanted, start, order=20)
