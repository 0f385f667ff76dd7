"""How bad a bounce is, from its status code and the receiving server's text: ``hard``, ``soft`` or ``infrastructure``.

Used wherever a bounce is learnt: DSNs read over IMAP (``replies.triage.bounces``), SendGrid events
(``inboxes.webhooks``) and the receiving server's refusal at send time (``campaigns.sequencer``), so the three agree.

The class decides what REX does, so the three are kept strictly apart:

- ``hard``: the address is dead (no such user, unknown domain, disabled mailbox); the contact is suppressed.
- ``soft``: the address is fine but this delivery failed or is still being retried (mailbox full, message too
  large, timeouts, greylisting, any 4xx); nobody is blamed.
- ``infrastructure``: the problem is the SENDER (SPF/DKIM/DMARC, a blocklist, reputation, content or policy
  filters, rate limits, TLS); it must never be blamed on the contact, it opens a sending incident instead.

``classify`` is also used for REX's own SMTP-time answers and SendGrid events, so it works from a status and a
text alone. Its precedence, first match wins (each step exists because of a real collision):

1. infrastructure wording (SPF/DKIM/DMARC, blocklists, spam/content/reputation, rate, TLS, rDNS, sender rejected):
   servers put these under any code, 5.7.1 and 5.1.1 and 4.7.0 alike, and blaming the contact for them is the
   costliest mistake;
2. infrastructure status codes (5.7.23/25/26/27/28, Microsoft's 5.7.5xx/6xx/7xx, TLS 5.7.10/4.7.5, …);
3. relaying denied (soft: the receiving host will not take mail for that domain: neither surely the contact's
   fault nor ours);
4. any temporary answer (4.x.x status, or a 4xx code without one) is soft: a 4xx "user unknown" is retried by the
   server itself, the address is not known to be dead;
5. soft wording on a permanent answer: mailbox full/quota, message too large, timeouts;
6. hard status codes (5.1.x except the sender's 5.1.7/5.1.8, 5.2.1, 5.4.4) and hard wording (user unknown, …);
7. any other 5.7.x is a policy refusal of the sender: infrastructure;
8. anything else permanent is soft "not recognised": a wrong hard suppresses a live contact for good, a wrong soft
   costs one more attempt.
"""

from __future__ import annotations

import re

HARD, SOFT, INFRASTRUCTURE = "hard", "soft", "infrastructure"
UNRECOGNISED = "permanent failure, cause not recognised"


# --- classify ---------------------------------------------------------------------------------------------------

_Rule = tuple[re.Pattern[str], str]


def _rules(*pairs: tuple[str, str]) -> list[_Rule]:
    return [(re.compile(pattern, re.IGNORECASE), reason) for pattern, reason in pairs]


INFRASTRUCTURE_WORDING = _rules(
    (r"\bdmarc\b", "DMARC failure"),
    (r"\bdkim\b", "DKIM failure"),
    (r"\bspf\b|sender policy framework|does not designate .{0,80} as permitted sender", "SPF failure"),
    (r"\bunauthenticated\b|sender is not authenticated|requires all senders to authenticate", "sender not authenticated"),
    (r"\bptr record|reverse dns|\brdns\b|reverse (?:lookup|mapping)", "no reverse DNS for the sending IP"),
    (r"spamhaus|barracuda|spamcop|\bsorbs\b|uceprotect|\bpsbl\b|cloudmark|ipcheck\.proofpoint", "sender on a blocklist"),
    (r"blocked using|\b(?:black|block|deny)[ -]?list(?:ed)?\b|\b(?:rbl|dnsbl)\b", "sender on a blocklist"),
    (r"(?<!not )\blisted (?:at|on|in|by) ", "sender on a blocklist"),
    (r"banned send(?:er|ing)|traffic not accepted from this ip|access denied, spam abuse", "sending IP banned"),
    (r"sending (?:quota|limit)|daily user sending|sending rate", "sender's own sending limit reached"),
    (r"unusual rate|rate[ -]?limit|too many (?:messages|connections|recipients|emails)|unexpected volume"
     r"|\[tss\d\d\]|frequency or volume", "rate limited"),
    (r"user complaints|\breputation\b", "sender reputation"),
    (r"\bspam\b|unsolicited|\bjunk\b|suspicious|content (?:filter|restriction)|rejected due to content"
     r"|content presents|phish", "rejected as spam or by content"),
    (r"\btls\b|starttls|encryption (?:is )?required|requires? encryption", "TLS required"),
    (r"sender address rejected|sender (?:domain|address) (?:not found|must exist|unknown)", "sender address rejected"),
    (r"\bpolicy\b|not accepted for policy", "refused by the receiving server's policy"),
)
# Checked against the status alone (the text may be empty, e.g. a SendGrid event without a reason).
INFRASTRUCTURE_STATUSES = {
    "5.7.23": "SPF failure", "4.7.23": "SPF failure", "5.7.24": "SPF failure", "4.7.24": "rate limited",
    "5.7.25": "no reverse DNS for the sending IP", "4.7.25": "no reverse DNS for the sending IP",
    "5.7.26": "DMARC / authentication failure", "4.7.26": "sender not authenticated",
    "5.7.27": "sender domain has no mail receiving (null MX)", "4.7.27": "SPF failure",
    "5.7.28": "rate limited (unsolicited mail)", "4.7.28": "rate limited (unsolicited mail)",
    "5.7.10": "TLS required", "5.7.11": "TLS required", "4.7.5": "TLS failure", "5.7.5": "TLS failure",
    "5.7.7": "message integrity failure", "5.7.9": "refused by the receiving server's policy",
    "5.1.7": "sender address rejected", "5.1.8": "sender address rejected", "4.1.8": "sender address rejected",
}
# Microsoft 365: 5.7.500-5.7.519 (spam, DMARC/DKIM), 5.7.600-5.7.649 (banned IP), 5.7.700-5.7.750 (tenant/IP blocks).
MICROSOFT_INFRASTRUCTURE = [(500, 519), (600, 649), (700, 750)]

RELAY_DENIED = re.compile(r"relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited)|unable to relay|"
                          r"relay access denied", re.IGNORECASE)

SOFT_WORDING = _rules(
    (r"quota|mailbox (?:is )?full|inbox is full|out of storage|storage (?:space|allocation)|insufficient storage"
     r"|over ?quota|mailbox size limit", "mailbox full"),
    (r"too large|too big|size (?:limit|exceeds)|message size|exceeds .{0,30}(?:size|bytes)", "message too large"),
    (r"greylist|graylist", "greylisted, retried later"),
    (r"timed? ?out|connection (?:refused|dropped|reset)|no answer|not accept our requests to connect",
     "the receiving server did not answer"),
    (r"try again later|temporar(?:y|ily)", "temporary failure"),
)
SOFT_STATUSES = {"5.2.2": "mailbox full", "5.2.3": "message too large", "5.3.4": "message too large",
                 "5.4.7": "delivery expired", "5.4.6": "mail routing loop", "5.2.0": "mailbox unavailable for now"}

HARD_WORDING = _rules(
    (r"disabled|inactive|suspended|deactivated|account (?:has been )?(?:closed|deleted)", "mailbox disabled"),
    (r"nxdomain|domain (?:name )?(?:not found|does not exist|doesn't exist)|host or domain name not found|"
     r"no mx\b|unrouteable|unroutable|couldn't be found, or is unable|domain .{0,40}couldn't be found",
     "the domain does not exist"),
    (r"user unknown|unknown user|unknown (?:recipient|local[ -]part|mailbox|address)|no such (?:user|mailbox|recipient|"
     r"address|account)|no mailbox here|mailbox (?:unavailable|not found|does not exist|doesn't exist|not available)"
     r"|does not exist|doesn't exist|doesn't have a .{1,30} account|recipient(?:s)? not found|recipientnotfound|"
     r"exrecipnotfound|not found in (?:the )?directory|not listed in|address (?:rejected|not found|couldn't be found)|"
     r"invalid (?:recipient|mailbox|address)|unknown or illegal alias|no longer (?:valid|in use|available)|"
     r"undeliverable address", "the address does not exist"),
    (r"resolver\.rst\.|not authori[sz]ed to send|accepts mail only from|authentication required to send to",
     "the recipient accepts mail only from authorised senders"),
)
HARD_STATUSES = {"5.1.1": "the address does not exist", "5.1.10": "the address does not exist",
                 "5.1.2": "the domain does not exist", "5.1.3": "the address is malformed",
                 "5.1.6": "the mailbox has moved", "5.2.1": "mailbox disabled", "5.4.4": "the domain has no mail server",
                 "5.1.0": "the address was rejected", "5.1.4": "the address is ambiguous"}

STATUS_PATTERN = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)")
_SMTP_CODE = re.compile(r"(?:^|[\s;#'\"(])([245]\d\d)(?=[\s\-:]|$)")


def find_status(text: str) -> str:
    match = STATUS_PATTERN.search(text)
    return ".".join(match.groups()) if match else ""


def find_smtp_code(text: str) -> int | None:
    match = _SMTP_CODE.search(text)
    return int(match.group(1)) if match else None


def _first(rules: list[_Rule], text: str) -> str | None:
    for pattern, reason in rules:
        if pattern.search(text):
            return reason
    return None


def _microsoft_infrastructure(status: str) -> bool:
    parts = status.split(".")
    if len(parts) != 3 or parts[:2] != ["5", "7"] or not parts[2].isdigit():
        return False
    return any(low <= int(parts[2]) <= high for low, high in MICROSOFT_INFRASTRUCTURE)


def classify(status: str, diagnostic: str, smtp_code: int | None = None) -> tuple[str, str]:
    """(klass, reason) for one failed delivery; see the module's docstring for the precedence."""
    text = " ".join((diagnostic or "").split())
    status = (status or "").strip() or find_status(text)
    code = smtp_code if smtp_code is not None else find_smtp_code(text)
    detail = f" ({status})" if status else (f" ({code})" if code else "")

    if reason := _first(INFRASTRUCTURE_WORDING[:-1], text):   # "policy" is kept for step 7, after hard wording
        return INFRASTRUCTURE, reason + detail
    if status in INFRASTRUCTURE_STATUSES:
        return INFRASTRUCTURE, INFRASTRUCTURE_STATUSES[status] + detail
    if _microsoft_infrastructure(status):
        return INFRASTRUCTURE, "refused by the receiving server's policy" + detail
    if RELAY_DENIED.search(text):
        return SOFT, "relaying denied by the receiving server" + detail
    temporary = status.startswith("4.") or (not status.startswith("5.") and code is not None and 400 <= code < 500)
    if temporary:
        if status == "4.4.7" or re.search(r"expired|giving up|too long", text, re.IGNORECASE):
            return SOFT, "delivery expired after retries" + detail
        return SOFT, (_first(SOFT_WORDING, text) or "temporary failure") + detail
    if reason := _first(SOFT_WORDING[:3], text):     # full, too large, greylisted: even under a 5xx
        return SOFT, reason + detail
    if status in SOFT_STATUSES:
        return SOFT, SOFT_STATUSES[status] + detail
    if status in HARD_STATUSES:
        # The wording is more specific than the code (a 5.1.1 "account disabled" is still hard, but says so).
        return HARD, (_first(HARD_WORDING, text) or HARD_STATUSES[status]) + detail
    if reason := _first(HARD_WORDING, text):
        return HARD, reason + detail
    if status.startswith("5.1.") and status not in INFRASTRUCTURE_STATUSES:
        return HARD, "the address was rejected" + detail
    if status.startswith("5.7.") or INFRASTRUCTURE_WORDING[-1][0].search(text):
        return INFRASTRUCTURE, "refused by the receiving server's policy" + detail
    if reason := _first(SOFT_WORDING[3:], text):
        return SOFT, reason + detail
    return SOFT, UNRECOGNISED + detail


# SendGrid "dropped" events: SendGrid never tried; its reason says whether the address or our account is the cause.
SENDGRID_DROPPED = [
    (re.compile(r"bounced address", re.I), HARD, "dropped: the address bounced before (SendGrid suppression)"),
    (re.compile(r"invalid(?! smtpapi)", re.I), HARD, "dropped: invalid address"),
    (re.compile(r"unsubscribed", re.I), HARD, "dropped: the address unsubscribed (SendGrid suppression)"),
    (re.compile(r"spam reporting", re.I), HARD, "dropped: the address reported us as spam (SendGrid suppression)"),
    (re.compile(r"spam content", re.I), INFRASTRUCTURE, "dropped: SendGrid's spam check refused the content"),
]
SENDGRID_CLASSIFICATION = {"invalid address": HARD, "mailbox unavailable": SOFT, "technical": SOFT,
                           "reputation": INFRASTRUCTURE, "content": INFRASTRUCTURE,
                           "frequency or volume too high": INFRASTRUCTURE}


def classify_sendgrid_event(event: dict) -> tuple[str, str]:
    """(klass, reason) for a SendGrid ``bounce`` (``type`` "bounce" or "blocked"), ``blocked`` or ``dropped`` event."""
    kind = str(event.get("event", "")).lower()
    reason_text = str(event.get("reason") or event.get("response") or "")
    if kind == "dropped":
        for pattern, klass, reason in SENDGRID_DROPPED:
            if pattern.search(reason_text):
                return klass, reason
        # Invalid SMTPAPI header, over the plan's quota, anything new: SendGrid refused our request, not the address.
        return INFRASTRUCTURE, f"dropped by SendGrid: {reason_text or 'no reason given'}"
    klass, reason = classify(str(event.get("status") or ""), reason_text)
    if reason.startswith(UNRECOGNISED):
        fallback = SENDGRID_CLASSIFICATION.get(str(event.get("bounce_classification", "")).lower())
        if fallback:
            klass, reason = fallback, f"{reason} (SendGrid: {event['bounce_classification']})"
    blocked = kind == "blocked" or str(event.get("type", "")).lower() == "blocked"
    if blocked and klass == HARD:
        # SendGrid calls "blocked" a refusal it will not count against the address (see inboxes.webhooks).
        return SOFT, f"blocked: {reason}"
    return klass, reason


