"""Pausing and resuming an inbox from the command box: "pause inbox alex@acme-outreach.example", "resume inbox …".

A control, answered at once (no mission): the engine runs it in the transaction that records the command as a
``CommandDecision`` (who, when, what text), which is its audit row; the inbox's ``pause_reason`` names who paused
it. An ops pause has no ``paused_at``, so the warmup engine never lifts it by itself (``Inbox.pause_sending``).
"""

from __future__ import annotations

from typing import Any

from agents.intents import AnswerRefused, Question, pause_and_resume, unknown_name
from core.answers import table_answer
from core.suggest import closest_names
from domains.events import broadcast_domain_change
from inboxes.models import Inbox

ADDRESS = r"""(?:"[^"]{1,254}"|'[^']{1,254}'|[^\s'"]{1,254})"""


def find_inbox(question: Question, typed: str) -> Inbox:
    """The organization's inbox at ``typed`` (case-insensitive), or AnswerRefused with the closest addresses."""
    inboxes = Inbox.objects.filter(organization=question.organization)
    found = inboxes.filter(address=typed.strip().lower()).first()
    if found is not None:
        return found
    raise unknown_name(question, "inbox", typed, closest_names(typed, inboxes.values_list("address", flat=True)[:5000]))


def pause_inbox(question: Question) -> dict[str, Any]:
    inbox = find_inbox(question, question.params["inbox"])
    before = inbox.status
    if not inbox.pause_sending(f"paused by {question.actor} (command)"):
        raise AnswerRefused(f"inbox {inbox.address} is {inbox.status}: only a pending, warming or active inbox can "
                            "be paused")
    broadcast_domain_change([inbox.domain_id])  # its sending inboxes and today's limit, on the Domains page
    return table_answer(f"Inbox {inbox.address} paused", ["inbox", "was", "now"], [[inbox.address, before, inbox.status]],
                        detail="it sends nothing until someone resumes it")


def resume_inbox(question: Question) -> dict[str, Any]:
    inbox = find_inbox(question, question.params["inbox"])
    before = inbox.status
    if not inbox.resume_sending():
        raise AnswerRefused(f"inbox {inbox.address} is {inbox.status}: only a paused or disabled inbox can be resumed")
    broadcast_domain_change([inbox.domain_id])
    return table_answer(f"Inbox {inbox.address} resumed", ["inbox", "was", "now"], [[inbox.address, before, inbox.status]],
                        detail=f"today's limit {inbox.current_limit()}")


INTENTS = pause_and_resume(
    "inbox", nouns="inbox|mailbox|sender", value=ADDRESS, pause=pause_inbox, resume=resume_inbox,
    examples=("pause inbox alex@acme-outreach.example", "resume inbox alex@acme-reach.example"),
    descriptions=("pause one inbox: it sends nothing until it is resumed (answered at once, audited)",
                  "resume a paused inbox (answered at once, audited)"))
