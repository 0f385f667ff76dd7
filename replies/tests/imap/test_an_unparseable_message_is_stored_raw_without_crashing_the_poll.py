"""Garbage in the inbox (binary bytes, broken headers, an unknown charset, NUL characters) is stored raw with
whatever could be read, and the messages after it are read as usual."""

from __future__ import annotations

from replies.imap import poll_inbox
from replies.models import InboundMessage
from replies.tests.imap.mail import ENGLISH_REPLY, reply

GARBAGE = bytes(range(1, 256)) * 4 + b"\r\n\x00\xff\xfe not a message at all \x00\r\n"
BROKEN = (b"From: =?x-unknown?Q?Bo=FFb?= <<<bob@@client.example\r\n"
          b"Subject: =?utf-8?B?!!!not-base64?=\r\n"
          b"Date: the thirty-second of Smarch\r\n"
          b"Message-ID: <broken@client.example>\r\n"
          b"Content-Type: text/plain; charset=x-no-such-charset\r\n"
          b"Content-Transfer-Encoding: base64\r\n\r\n"
          b"%%% not base64 \x00 at all\r\n")


def test_an_unparseable_message_is_stored_raw_without_crashing_the_poll(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    user = inbox.imap_username
    garbage_uid = dovecot.append(user, GARBAGE)
    broken_uid = dovecot.append(user, BROKEN)
    dovecot.append(user, reply(to=inbox.address, body=ENGLISH_REPLY, message_id="<fine@client.example>"))

    report = poll_inbox(inbox)

    assert (report.error, report.fetched, report.stored) == ("", 3, 3)
    garbage, broken, fine = InboundMessage.objects.filter(inbox=inbox).order_by("uid")
    # Exactly as the server holds it (Dovecot itself turns bare LF into CRLF and NUL into 0x80 on APPEND).
    assert bytes(garbage.raw) == dovecot.raw(user, garbage_uid)
    assert garbage.message_id == "" and garbage.sent_at is None
    assert "\x00" not in garbage.body_text
    assert bytes(broken.raw) == dovecot.raw(user, broken_uid) == BROKEN.replace(b"\x00", b"\x80")
    assert broken.message_id == "<broken@client.example>"
    assert broken.sent_at is None
    assert "\x00" not in broken.body_text
    assert fine.new_text.startswith("Sounds good")
