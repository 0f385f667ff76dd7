"""Builders for the campaign API tests: a valid sequence body, contacts on a list, a started campaign."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from campaigns.models import Campaign, Contact, ContactList, Sequence
from campaigns.sequence_serializers import write_steps


def sequence_body(name: str = "Intro", **changes: Any) -> dict[str, Any]:
    """Email (A/B), wait 2 business days, follow-up email: the shape POST /api/sequences/ takes."""
    return {
        "name": name,
        "steps": [
            {"kind": "email", "variants": [
                {"label": "A", "subject": "Quick question, {{first_name|there}}",
                 "body": "{Hi|Hello} {{first_name|there}},\n\nDoes {{company|your team}} need this?"},
                {"label": "B", "subject": "Idea for {{company}}", "body": "Hey {{first_name}}, one idea."},
            ]},
            {"kind": "wait", "wait_days": 2},
            {"kind": "email", "variants": [{"label": "A", "body": "Following up, {{first_name|there}}."}]},
        ],
        **changes,
    }


def steps_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The API's steps as validated step dicts (what ``write_steps`` takes)."""
    return [{"kind": s["kind"], "wait_days": s.get("wait_days", 0),
             "variants": [{"label": v["label"], "subject_template": v.get("subject", ""), "body_template": v["body"]}
                          for v in s.get("variants", [])]} for s in body["steps"]]


@pytest.fixture
def make_sequence(organization) -> Callable[..., Sequence]:
    def make(name: str = "Intro", **changes: Any) -> Sequence:
        sequence = Sequence.objects.create(organization=organization, name=name)
        write_steps(sequence, steps_of(sequence_body(name, **changes)))
        return sequence

    return make


@pytest.fixture
def contact_list(organization) -> ContactList:
    return ContactList.objects.create(organization=organization, name="Leads")


@pytest.fixture
def add_contact(organization, contact_list) -> Callable[..., Contact]:
    def add(email: str, **fields: Any) -> Contact:
        contact = Contact.objects.create(organization=organization, email=email, **fields)
        contact.lists.add(contact_list)
        return contact

    return add


@pytest.fixture
def campaign(organization, make_sequence) -> Campaign:
    return Campaign.objects.create(organization=organization, name="Spring", sequence=make_sequence())
