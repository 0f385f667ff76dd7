"""Whole messages for the triage tests, built as a mail client sends them (our e-mail quoted below the reply)."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP

OUR_EMAIL = ("Hi Jane,\n\nWould you be interested in a quick call? Book a call here.\n\nBest,\nAlex\n\n"
             "Not interested? Reply STOP to unsubscribe.")


def reply(text: str, *, sender: str = "Jane Doe <jane.doe@globex.example>", subject: str = "Re: Quick question",
          html_only: bool = False) -> bytes:
    """A reply whose new text is ``text``, with our e-mail quoted below it (Gmail's way)."""
    quoted = "\n".join(f"> {line}" if line else ">" for line in OUR_EMAIL.splitlines())
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = "Alex Morgan <alex@outreach.rex-demo.example>"
    msg["Subject"] = subject
    msg["Date"] = "Wed, 04 Mar 2026 09:15:00 +0000"
    msg["Message-ID"] = "<reply-1@globex.example>"
    if html_only:
        body = text.replace("\n", "<br>")
        msg.set_content(f'<div dir="ltr">{body}</div><div class="gmail_quote"><div class="gmail_attr">On Tue, Mar 3, '
                        f'2026 at 10:02 AM Alex Morgan &lt;alex@outreach.rex-demo.example&gt; wrote:<br></div>'
                        f'<blockquote class="gmail_quote">{OUR_EMAIL.replace(chr(10), "<br>")}</blockquote></div>',
                        subtype="html")
    else:
        msg.set_content(f"{text}\n\nOn Tue, Mar 3, 2026 at 10:02 AM Alex Morgan <alex@outreach.rex-demo.example> "
                        f"wrote:\n\n{quoted}\n")
    return bytes(msg)
