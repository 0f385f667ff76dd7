"""Parsing never raises: each header is read on its own, a broken one is left empty, the body falls back from
text/plain to the text of the HTML part, and NUL characters (which PostgreSQL text cannot hold) are dropped."""

from __future__ import annotations

from datetime import UTC, datetime

from replies.parsing import parse_message


def test_bytes_that_are_no_message_at_all_give_empty_fields():
    parsed = parse_message(b"\x00\x01\x02\xff\xfe\r\n\r\n\x00garbage\x00")
    assert (parsed.message_id, parsed.from_address, parsed.sent_at) == ("", "", None)
    assert "\x00" not in parsed.body_text


def test_a_bad_date_and_an_unknown_charset_leave_the_other_fields_filled():
    parsed = parse_message(b"From: Bob <bob@client.example>\r\nDate: someday\r\nMessage-ID: <x@y>\r\n"
                           b"Subject: Hello\r\nContent-Type: text/plain; charset=x-nothing\r\n\r\nHi\x00 there\r\n")
    assert (parsed.from_address, parsed.from_name, parsed.message_id, parsed.subject) == (
        "bob@client.example", "Bob", "<x@y>", "Hello")
    assert parsed.sent_at is None
    assert parsed.body_text == "Hi there"


def test_an_html_only_reply_is_read_as_text():
    parsed = parse_message(b"From: bob@client.example\r\nDate: Tue, 04 Mar 2025 09:30:00 -0000\r\n"
                           b"Content-Type: text/html; charset=utf-8\r\n\r\n"
                           b"<html><head><style>p{}</style></head><body><p>Yes, &amp; gladly.</p>"
                           b"<div>Bob</div></body></html>\r\n")
    assert parsed.body_text == "Yes, & gladly.\n\nBob"   # blocks apart, as a mail client shows them
    assert parsed.sent_at == datetime(2025, 3, 4, 9, 30, tzinfo=UTC)
