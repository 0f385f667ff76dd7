"""Names as REX stores and compares them."""

from __future__ import annotations


def normalize_domain_name(name: object) -> str:
    """A domain name as stored: no surrounding spaces, lower case, no trailing root dot ("Acme.COM. " → "acme.com").

    DNS names are case-insensitive and "acme.com." is the fully qualified spelling of "acme.com"; comparing any
    other spelling would let one domain in twice, or miss it.
    """
    return str(name).strip().lower().rstrip(".")
