"""Erasure is one transaction: if anything fails on the way (here the closing audit row), the contact, the
messages, the logs and the suppression list are exactly as they were, and the request can simply be run again."""

from __future__ import annotations

import pytest

from agents.models import LLMRequest
from campaigns.models import Contact
from inboxes.models import OutboundMessage, Suppression
from privacy import personal_data
from privacy.personal_data import check_person, do_erase_person


def test_a_failure_at_the_last_step_rolls_the_whole_erasure_back(jane, organization, monkeypatch):
    def audit_fails(*args, **kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(personal_data, "_audit", audit_fails)
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        do_erase_person(check_person(organization, jane.email), actor="dpo")

    assert Contact.objects.get(pk=jane.contact.pk).email == jane.email
    assert OutboundMessage.objects.get(pk=jane.sent.pk).to_address == jane.email
    assert LLMRequest.objects.get(pk=jane.llm.pk).pseudonyms["<EMAIL_1>"] == jane.email
    assert not Suppression.objects.filter(organization=organization).exists()

    monkeypatch.undo()
    do_erase_person(check_person(organization, jane.email), actor="dpo")
    assert Contact.objects.get(pk=jane.contact.pk).email == ""
