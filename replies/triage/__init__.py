"""Triage of inbound mail: one category per message, the layer that decided it, and the details REX acts on.

The layers, in order, the first that is sure wins:

1. machine mail, by rules (``bounces``, ``complaints``, ``auto_replies``): a bounce (with its class, recipient and
   status), an abuse complaint (ARF), an out-of-office (with its return date) or another auto-reply;
2. a person's reply, by rules (``human``): unsubscribe, not interested, interested, referral (with the new
   person), question, other — undecided when no rule is sure or two categories tie;
3. the LLM (``llm``), only when the caller allows it (the contact's ``llm_consent``), pseudonymised, and only at or
   above ``REX_TRIAGE_LLM_THRESHOLD``;
4. otherwise ``needs_review`` (layer "review"): a person decides; REX never guesses.

Everything works on the reply's new text (``text.new_text_of``): our own e-mail quoted below a reply never counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.headerregistry import HeaderRegistry
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from email.utils import getaddresses
from typing import Any

from django.conf import settings

from agents.llm import LLMCallFailed, LLMInvalidOutput, LLMRequestRejected, LLMUnavailable
from agents.pii import LLMConsentMissing
from replies.triage.auto_replies import detect_auto_reply
from replies.triage.bounces import parse_bounce
from replies.triage.complaints import parse_complaint
from replies.triage.human import classify_human
from replies.triage.llm import LLMClassifier
from replies.triage.text import body_text, new_text_of

__all__ = ["LLMClassifier", "TriageResult", "UnreadableMessage", "new_text_of", "triage_message", "triage_raw"]

# Headers of which a message must have at least one to be read as mail at all.
_ANY_HEADER = frozenset({"from", "to", "subject", "date", "message-id", "content-type", "received", "return-path"})


class _CachingHeaderRegistry(HeaderRegistry):
    """The standard header classes, each (name, value) parsed once per message instead of on every look-up.

    ``EmailMessage`` re-parses a header every time it is read, and the parser itself reads Content-Type several
    times per part: that was most of triage's time (profiled with bench/triage.py). Header objects are immutable,
    so sharing one between messages is safe; ``parse_raw`` empties the cache when it grows past 2,048 entries.
    """

    def __init__(self) -> None:
        super().__init__()
        self.cache: dict[tuple[str, str], Any] = {}

    def __call__(self, name: str, value: str) -> Any:
        key = (name, value)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = super().__call__(name, value)
        return found


_HEADERS = _CachingHeaderRegistry()
POLICY = default_policy.clone(header_factory=_HEADERS)


class UnreadableMessage(ValueError):
    """The bytes are not an RFC 5322 message (empty, no headers, or headers that cannot be parsed)."""


@dataclass
class TriageResult:
    category: str
    layer: str
    confidence: float
    bounce: dict | None
    return_date: date | None
    referral: dict | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """The shape ``manage.py rex_triage`` writes, one line per message (a contract: keep names and shape)."""
        return {"category": self.category, "layer": self.layer, "bounce": self.bounce,
                "return_date": self.return_date.isoformat() if self.return_date else None,
                "referral": self.referral}


def _machine_layer(msg: EmailMessage, text: str, today: date) -> TriageResult | None:
    bounce = parse_bounce(msg)
    if bounce is not None:
        return TriageResult("bounce", "rules", 1.0, {
            "class": bounce.klass, "recipient": bounce.recipient, "status": bounce.status, "reason": bounce.reason,
        }, None, None, f"bounce: {bounce.klass} {bounce.status} ({bounce.reason})")
    complaint = parse_complaint(msg)
    if complaint is not None:
        return TriageResult("complaint", "rules", 1.0, None, None, None,
                            f"complaint: feedback report ({complaint.feedback_type})")
    auto = detect_auto_reply(msg, text, today=today)
    if auto is not None:
        return TriageResult(auto.kind, "rules", 0.95, None, auto.return_date, None, f"{auto.kind}: {auto.reason}")
    return None


def _sender(msg: EmailMessage) -> tuple[str, str]:
    """The From header's (name, address); empty strings when it is missing or unreadable."""
    try:
        pairs = getaddresses([str(msg.get("From", ""))])
    except (TypeError, ValueError):
        return "", ""
    return (pairs[0][0], pairs[0][1].lower()) if pairs else ("", "")


def triage_message(msg: EmailMessage, *, new_text: str | None = None, today: date,
                   llm: LLMClassifier | None = None, llm_allowed: bool = False,
                   threshold: float | None = None) -> TriageResult:
    """Classify one message. ``new_text``: the reply's own words when the caller already cut them (else cut here);
    ``llm_allowed``: the contact's ``llm_consent`` (without it the LLM is never called); ``threshold``: the LLM's
    minimum confidence, ``settings.REX_TRIAGE_LLM_THRESHOLD`` when not given."""
    text = body_text(msg)
    machine = _machine_layer(msg, text, today)
    if machine is not None:
        return machine

    subject = str(msg.get("Subject", "") or "")
    name, address = _sender(msg)
    new = new_text if new_text is not None else new_text_of(text)
    verdict = classify_human(new, subject, exclude_emails=[address] if address else [])
    if verdict is not None:
        return TriageResult(verdict.category, "rules", verdict.confidence, None, None, verdict.referral, verdict.reason)

    reason = "no rule was sure"
    if llm is not None and llm_allowed and new.strip():
        known = {"PERSON": [name]} if name else {}
        if address:
            known["EMAIL"] = [address]
        try:
            answer = llm.classify(new, subject=subject, known_values=known)
        except LLMConsentMissing as exc:
            # The sender consented, but the reply names someone who did not: a person reads it instead.
            reason = f"no rule was sure; no LLM consent: {exc}"
        except (LLMUnavailable, LLMCallFailed, LLMRequestRejected, LLMInvalidOutput) as exc:
            # The LLM is a fallback: whatever stops it, a person decides instead (the gateway audited the call).
            reason = f"no rule was sure; the LLM was not asked or failed ({type(exc).__name__})"
        else:
            limit = settings.REX_TRIAGE_LLM_THRESHOLD if threshold is None else threshold
            if answer.confidence >= limit:
                return TriageResult(answer.category, "llm", answer.confidence, None, None, answer.referral,
                                    answer.reason)
            reason = f"no rule was sure; the LLM said {answer.category} at {answer.confidence:.2f} (< {limit})"
    elif llm is not None and not llm_allowed:
        reason = "no rule was sure; no LLM consent"
    return TriageResult("needs_review", "review", 0.0, None, None, None, reason)


def parse_raw(raw: bytes) -> EmailMessage:
    """The message in ``raw``; ``UnreadableMessage`` when it is not one."""
    if not isinstance(raw, bytes | bytearray) or not raw.strip():
        raise UnreadableMessage("empty message")
    try:
        if len(_HEADERS.cache) > 2048:  # a long-running reader (IMAP) must not keep every header ever seen
            _HEADERS.cache.clear()
        msg = BytesParser(policy=POLICY).parsebytes(bytes(raw))
        if not any(name.lower() in _ANY_HEADER for name in msg.keys()):
            raise UnreadableMessage("no RFC 5322 headers (From, To, Subject, Date, Message-ID …) found")
    except UnreadableMessage:
        raise
    # The email package raises many kinds of exception on malformed headers: any of them means "unreadable".
    except Exception as exc:
        raise UnreadableMessage(f"cannot parse the message ({type(exc).__name__}: {exc})") from exc
    return msg  # type: ignore[return-value]  # policy=default builds EmailMessage


def triage_raw(raw: bytes, **kw: Any) -> TriageResult:
    """``triage_message`` on a message given as bytes (``UnreadableMessage`` when it is not one)."""
    return triage_message(parse_raw(raw), **kw)
