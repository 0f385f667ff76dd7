"""The words a person wrote in a reply: the body as text (HTML-only mail included), cut to its new part.

The IMAP poller stores a reply's new text cut by ``mail-parser-reply`` (``replies.parsing``), and the pipeline passes
it in. ``new_text_of`` is the cut used when a message comes without one (``manage.py rex_triage``, raw bytes): it
removes the quoted thread (``>`` lines, the "On … wrote:" attribution of Gmail, Apple Mail and Outlook in
English, German, French, Spanish and Dutch, Outlook's header block and separator lines), the signature ("-- ",
"Sent from my iPhone" and its translations, a sign-off line such as "Best," or "Viele Grüße") and everything
below them. Our outbound e-mail is quoted below nearly every reply, and its words ("interested?", "book a call",
"reply STOP to unsubscribe") must never decide the reply's category.
"""

from __future__ import annotations

import re
from email.message import Message
from html.parser import HTMLParser

# "On Tue, Mar 3, 2026 at 10:02 AM Alex <a@x> wrote:", "Am 3. März 2026 um 10:02 schrieb …:", "Le … a écrit :",
# "El … escribió:", "Op … schreef …:". A digit is required (the date) so "On Monday I wrote to her" is not cut.
ATTRIBUTION = re.compile(
    r"^\s*(on|am|le|el|op)\b(?=.*\d).{0,250}\b(wrote|schrieb|a\s+[ée]crit|escribi[óo]|schreef)\b.{0,120}:?\s*$",
    re.IGNORECASE,
)
SEPARATOR = re.compile(
    r"^\s*(-{3,}\s*(original message|urspr[üu]ngliche nachricht|message d'origine|mensaje original|"
    r"oorspronkelijk bericht|forwarded message|weitergeleitete nachricht)\s*-{3,}|_{10,}|-{10,})\s*$",
    re.IGNORECASE,
)
# Outlook's quoted header block starts with the sender: "From: Alex <a@x>", "Von: …", "De : …", "Van: …".
OUTLOOK_FROM = re.compile(r"^\s*\**(from|von|de|van)\s?:\**\s.*(@|<|\[mailto:)", re.IGNORECASE)
SIGNATURE = re.compile(
    r"^\s*(--|-- |sent from my|sent from outlook|get outlook for|von meinem|gesendet von|envoy[ée] de mon|"
    r"enviado desde mi|verstuurd vanaf mijn|verzonden vanaf mijn)\b.*$|^--\s*$",
    re.IGNORECASE,
)
# A line that is only a sign-off: what follows is the signature (name, title, phone, the sender's own address).
SIGN_OFF = re.compile(
    r"^\s*(best|best regards|kind regards|regards|warm regards|many thanks|thanks|thank you|cheers|all the best|"
    r"br|viele gr[üu](ß|ss)e|beste gr[üu](ß|ss)e|liebe gr[üu](ß|ss)e|freundliche gr[üu](ß|ss)e|"
    r"mit freundlichen gr[üu](ß|ss)en|mfg|lg|vg|gru(ß|ss)|cordialement|bien [àa] vous|bien cordialement|"
    r"bonne journ[ée]e|salutations|saludos|un saludo|atentamente|saludos cordiales|un abrazo|"
    r"met vriendelijke groet(en)?|vriendelijke groet(en)?|groet(en)?|mvg)\s*[,.!]?\s*$",
    re.IGNORECASE,
)


def new_text_of(text: str) -> str:
    """The reply's own words: everything above the first quote, attribution, separator or signature."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith(">") or SEPARATOR.match(line) or OUTLOOK_FROM.match(line):
            break
        # Gmail wraps a long attribution over two lines ("… Alex Morgan <" / "alex@x> wrote:").
        joined = line + " " + lines[i + 1] if i + 1 < len(lines) else line
        if ATTRIBUTION.match(line) or (line.strip() and ATTRIBUTION.match(joined)):
            break
        if SIGNATURE.match(line):
            break
        if SIGN_OFF.match(line) and any(k.strip() for k in kept):
            break
        kept.append(line)
    return "\n".join(kept).strip()


class _HTMLText(HTMLParser):
    """Visible text with line breaks where blocks end; styles and scripts dropped, and quoted blocks
    (``<blockquote>``) too unless ``keep_quotes``."""

    HIDDEN = frozenset({"style", "script", "head", "title"})
    BLOCK = frozenset({"br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table"})

    def __init__(self, *, keep_quotes: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.SKIP = self.HIDDEN if keep_quotes else self.HIDDEN | {"blockquote"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "hr":
            # Outlook puts its quoted header block after a rule: keep it a separator new_text_of cuts at.
            self.parts.append("\n" + "_" * 32 + "\n")
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.SKIP:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in self.BLOCK and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str, *, keep_quotes: bool = False) -> str:
    """Readable text of an HTML body: blocks on their own lines, blank-line runs collapsed, styles and scripts
    left out; the quoted thread (``<blockquote>``) is left out too unless ``keep_quotes`` (a stored body, a
    delivery report that quotes the returned message)."""
    parser = _HTMLText(keep_quotes=keep_quotes)
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    return re.sub(r"\n[ \t]*(\n[ \t]*)+", "\n\n", "\n".join(line.strip() for line in text.split("\n"))).strip()


def _decoded(part: Message) -> str:
    """A leaf part's text. Decoded by hand rather than with ``get_content``: the email package re-parses the
    Content-Type header on every look-up, and that, not the rules, was most of triage's time."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return str(part.get_payload())
    charset = part.get_content_charset() or "utf-8"
    try:
        return payload.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8, mojibake beats nothing
        return payload.decode("utf-8", errors="replace")


def body_text(msg: Message) -> str:
    """The message's text: its first text/plain part, else its first text/html part as text; "" when neither."""
    plain = html = None
    for part in msg.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        if kind == "text/plain" and plain is None and not _is_attachment(part):
            plain = part
            break
        if kind == "text/html" and html is None and not _is_attachment(part):
            html = part
    if plain is not None:
        return _decoded(plain)
    return html_to_text(_decoded(html)) if html is not None else ""


def _is_attachment(part: Message) -> bool:
    return str(part.get("Content-Disposition", "")).lower().startswith("attachment")
