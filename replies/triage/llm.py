"""The LLM fallback for replies the rules could not place, through the project's LLM gateway (``agents.llm``).

Only the reply's new text and its subject go out (never the quoted thread), and only through ``complete``: the
gateway pseudonymises them first (the sender's and the contact's names, addresses and company are known values,
so "Olivia" alone becomes ``<PERSON_1>``; any other address or phone number is found by the detector), audits the
call, and restores real values in the answer (a referral's address comes back as the real one).

Consent: the caller asks only when the sender's contact consented (``llm_consent``). What goes out may name other
contacts too (a referral, a colleague in copy, a phone number): each of them must have consented as well
(``agents.llm.contacts_named_in`` on exactly the text that would be sent), or nothing is sent
(``LLMConsentMissing``, and a person triages the reply). The gateway gets the resulting flag and checks it again.

The answer must fit :class:`TriageAnswer` (the gateway's structured output); its confidence is the model's own,
and the orchestrator acts on it only at or above ``REX_TRIAGE_LLM_THRESHOLD``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

import pydantic

if TYPE_CHECKING:
    from campaigns.models import Contact
    from tenants.models import Organization

LLMCategory = Literal["unsubscribe", "not_interested", "interested", "referral", "question", "other"]

SYSTEM_PROMPT = (
    "You triage replies to a B2B sales e-mail. The reply may be in any language. Choose exactly one category:\n"
    "- unsubscribe: asks to be removed, to stop being contacted, or to have their data deleted;\n"
    "- not_interested: declines (no need, already has a solution, not now) without asking to be removed;\n"
    "- interested: wants to talk, meet, see a demo, or proposes times;\n"
    "- referral: points to another person to contact instead (give that person's e-mail in referral_email);\n"
    "- question: asks something (price, features, integrations) without a clearer signal above;\n"
    "- other: anything else (acknowledgements, 'will get back to you').\n"
    "confidence is your probability (0 to 1) that the category is right; be honest when the reply is ambiguous."
)


class TriageAnswer(pydantic.BaseModel):
    category: LLMCategory
    confidence: float = pydantic.Field(ge=0.0, le=1.0)
    referral_email: str | None = None
    referral_name: str | None = None


@dataclass(frozen=True)
class LLMVerdict:
    category: str
    confidence: float
    referral: dict | None
    reason: str


class LLMClassifier(Protocol):
    """Anything that can place a reply the rules could not: the gateway below, or a test double."""

    def classify(self, text: str, *, subject: str = "",
                 known_values: dict[str, list[str]] | None = None) -> LLMVerdict: ...


class GatewayClassifier:
    """Asks the model through ``agents.llm.complete`` (pseudonymised, retried, audited under ``organization``).

    ``contact``: the contact the reply was matched to, whose name, e-mail and company are pseudonymised wherever
    they appear (with the sender's own, which the orchestrator passes per message). ``consent`` defaults to the
    contact's ``llm_consent`` (False without a contact); ``classify`` adds the consent of every contact the text
    names, and the gateway refuses the call without it, a second check behind the orchestrator's own.
    """

    agent = "reply_triage"

    def __init__(self, organization: Organization, *, contact: Contact | None = None,
                 consent: bool | None = None) -> None:
        self.organization = organization
        self.contact = contact
        self.consent = consent if consent is not None else bool(contact is not None and contact.llm_consent)

    def _known(self, *sources: dict[str, list[str]] | None) -> dict[str, list[str]]:
        known: dict[str, list[str]] = {}
        for source in (*sources, self.contact.llm_known_values() if self.contact is not None else None):
            for typ, values in (source or {}).items():
                known.setdefault(typ, []).extend(values)
        return {k: sorted(set(v)) for k, v in known.items() if v}

    def classify(self, text: str, *, subject: str = "",
                 known_values: dict[str, list[str]] | None = None) -> LLMVerdict:
        """Raises the gateway's errors, and ``LLMConsentMissing`` (nothing sent) when the sender's contact or any
        contact the text names has not consented."""
        from agents import llm
        from agents.pii import LLMConsentMissing

        user = f"Subject: {subject}\n\n{text}" if subject else text
        named = llm.contacts_named_in(self.organization, user)
        if self.consent and not named.consent:
            raise LLMConsentMissing(f"the reply names a contact without LLM consent ({named.refused_as()})")
        answer = llm.complete(
            [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": user}],
            organization=self.organization, agent=self.agent, action="llm.triage_reply", schema=TriageAnswer,
            known_values=self._known(known_values, named.known_values()), consent=self.consent and named.consent,
        )
        parsed: TriageAnswer = answer.parsed
        referral = None
        if parsed.category == "referral" and (parsed.referral_email or parsed.referral_name):
            referral = {"email": (parsed.referral_email or "").strip().lower() or None,
                        "name": parsed.referral_name or None}
        return LLMVerdict(category=parsed.category, confidence=parsed.confidence, referral=referral,
                          reason=f"llm ({answer.model}): {parsed.category} at {parsed.confidence:.2f}")
