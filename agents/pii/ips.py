"""IP addresses: IPv4 with octets <= 255, IPv6 validated by ``ipaddress``, not versions, times or OIDs.

Both are found from literal seeds (the first dot of an IPv4 address, a ":hhhh:" of an IPv6 one) and the full
pattern runs only in a small window around each seed.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from agents.pii.context import _AN, _DIGIT_RE, _PHONE_PREFIX_BEFORE_RE, _neg_context

_IPV4_RE = re.compile(
    rf"(?<![{_AN}.])(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?![{_AN}]|\.\d)"
)
_IPV6_RE = re.compile(
    rf"(?<![{_AN}:.])[0-9A-Fa-f]{{0,4}}:[0-9A-Fa-f:.]*[0-9A-Fa-f](?:%[0-9A-Za-z]+)?(?![{_AN}:]|\.\d)"
)
_VERSION_CONTEXT_RE = re.compile(
    r"(?<![A-Za-z])(?:version|ver|v|build|release|firmware|fw|rev|revision|section|chapter|clause|§|oid|isbn|ean|"
    r"release notes for|update|patch|kb)[\s.:#]*$",
    re.IGNORECASE,
)
_HEX_DIGIT_RE = re.compile(r"[0-9A-Fa-f]")


# IPv4 is looked for from its first dot, IPv6 from a ":hhhh:" or "::" inside it: literal-first seeds, then the
# full pattern in a small window around each seed.
_IPV4_SEED_RE = re.compile(r"\.(?=\d{1,3}\.\d{1,3}\.\d)")
_IPV6_SEED_RE = re.compile(r":[0-9A-Fa-f]{0,4}:")


def _ipv4_candidates(text: str, n: int) -> Iterator[re.Match[str]]:
    for seed in _IPV4_SEED_RE.finditer(text):
        i = seed.start()
        m = _IPV4_RE.search(text, max(0, i - 3), min(n, i + 17))
        if m is not None and m.start() < i < m.end():
            yield m


_HEX_COLON_DOT = frozenset("0123456789abcdefABCDEF:.")
_AN_CHARS = frozenset("0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      + "".join(map(chr, range(0xC0, 0x250))))


def _ipv6_candidates(text: str, n: int) -> Iterator[re.Match[str]]:
    end = -1
    for seed in _IPV6_SEED_RE.finditer(text):
        i = seed.start()
        if i < end:
            continue
        # An address holding the seed starts where the run of hex digits, ':' and '.' around it starts, and only
        # if no letter or digit comes right before that run ("T10:52:51Z" of a log's timestamp): when it cannot,
        # the seed is dropped before the window is scanned. A run reaching past the window's start (i - 45) can
        # never start inside the window either.
        lo = i - 45 if i > 45 else 0
        j = i
        while j > lo and text[j - 1] in _HEX_COLON_DOT:
            j -= 1
        if j > 0 and (text[j - 1] in _AN_CHARS or text[j - 1] in _HEX_COLON_DOT):
            continue
        for m in _IPV6_RE.finditer(text, max(0, i - 45), min(n, i + 64)):
            if m.start() <= i < m.end():
                end = m.end()
                yield m
                break


def _find_ips(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    n = len(text)
    if "." in text:
        last = -1
        for m in _ipv4_candidates(text, n):
            if m.start() < last:
                continue
            last = m.end()
            if any(int(o) > 255 for o in m.group().split(".")):
                continue
            s = m.start()
            if _VERSION_CONTEXT_RE.search(text, max(0, s - 24), s) or _neg_context(text, s, None) \
                    or _PHONE_PREFIX_BEFORE_RE.search(text, max(0, s - 8), s):
                continue
            out.append((s, m.end(), "IP_ADDRESS"))
    if ":" in text:
        for m in _ipv6_candidates(text, n):
            cand = m.group()
            addr = cand.split("%", 1)[0]
            # "12:30:00", "Note::" and a bare "::1" are not worth a placeholder; a real address has at least
            # four hex digits and a digit somewhere.
            if addr.count(":") < 2 or len(_HEX_DIGIT_RE.findall(addr)) < 4 or not _DIGIT_RE.search(addr):
                continue
            try:
                ipaddress.IPv6Address(addr)
            except ValueError:
                continue
            # A zone ("%eth0") names the local interface: not part of the address, not personal.
            out.append((m.start(), m.start() + len(addr), "IP_ADDRESS"))
    return out
