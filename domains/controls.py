"""Pausing and resuming a domain from the command box: "pause domain acme-outreach.example", "resume domain …".

A control, answered at once (no mission), in the transaction that records the command (``CommandDecision``).
Pausing rests the domain (``resting``, no ``rest_until``: the warmup tick lifts only the rests it set, so a
person's pause lasts until a person resumes it); resuming warms it up again (``resting → warming``, the only way
back the state machine allows). Both are ``Domain.transition`` moves, so the ``DomainTransition`` trail names who.
"""

from __future__ import annotations

from typing import Any

from agents.intents import AnswerRefused, Question, pause_and_resume, unknown_name
from core.answers import table_answer
from core.names import normalize_domain_name
from core.suggest import closest_names
from domains.intents import DOMAIN
from domains.models import SENDING_STATES, Domain, DomainState, IllegalDomainTransition


def find_domain(question: Question, typed: str) -> Domain:
    """The organization's domain ``typed``, or AnswerRefused with the closest names."""
    domains = Domain.objects.filter(organization=question.organization)
    found = domains.filter(name=normalize_domain_name(typed)).first()
    if found is not None:
        return found
    raise unknown_name(question, "domain", typed, closest_names(typed, domains.values_list("name", flat=True)[:5000]))


def pause_domain(question: Question) -> dict[str, Any]:
    domain = find_domain(question, question.params["domain"])
    before = domain.state
    if before not in SENDING_STATES:
        raise AnswerRefused(f"domain {domain.name} is {before}: only a warming, ready or in-use domain can be paused")
    try:
        domain.transition(DomainState.RESTING, reason=f"paused by {question.actor} (command)",
                          actor=question.actor, rest_until=None)
    except IllegalDomainTransition as exc:
        raise AnswerRefused(str(exc)) from None
    return table_answer(f"Domain {domain.name} paused", ["domain", "was", "now"], [[domain.name, before, domain.state]],
                        detail="its inboxes send nothing until someone resumes it")


def resume_domain(question: Question) -> dict[str, Any]:
    domain = find_domain(question, question.params["domain"])
    before = domain.state
    if before != DomainState.RESTING:
        raise AnswerRefused(f"domain {domain.name} is {before}: only a paused (resting) domain can be resumed")
    try:
        domain.transition(DomainState.WARMING, reason=f"resumed by {question.actor} (command)",
                          actor=question.actor, rest_until=None)
    except IllegalDomainTransition as exc:
        raise AnswerRefused(str(exc)) from None
    return table_answer(f"Domain {domain.name} resumed", ["domain", "was", "now"],
                        [[domain.name, before, domain.state]], detail="it warms up again from its inboxes' volume")


INTENTS = pause_and_resume(
    "domain", nouns="domain", value=DOMAIN, pause=pause_domain, resume=resume_domain,
    pause_verbs=r"(?:pause|stop|hold|suspend|rest)",
    examples=("pause domain acme-outreach.example", "resume domain acme-reach.example"),
    descriptions=("pause one sending domain and so its inboxes (answered at once, audited)",
                  "resume a paused domain: it warms up again (answered at once, audited)"))
