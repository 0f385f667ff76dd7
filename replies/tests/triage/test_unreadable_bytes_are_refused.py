"""Bytes that are not a message (empty, or no header at all) raise UnreadableMessage instead of a guess."""

from datetime import date

import pytest

from replies.triage import UnreadableMessage, triage_raw


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"hello, this is not an e-mail"])
def test_not_a_message_is_unreadable(raw):
    with pytest.raises(UnreadableMessage):
        triage_raw(raw, today=date(2026, 3, 4))
