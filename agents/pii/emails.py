"""E-mail addresses, plain and written against scrapers ("jane [at] acme [dot] de").

Both finders start from cheap literal seeds ('@', "(at)", " dot ") so their cost follows the number of
candidates, not the length of the text.
"""

from __future__ import annotations

import re

# Searched backwards from each '@' (the local part must end right before it) and forwards for the domain, so the
# cost is proportional to the number of '@' signs, not to the length of the text.
# Accented Latin letters are accepted in the local part and the domain labels ("jürgen@münchen.de"): better the
# whole address than a placeholder for its ASCII tail with "jü" left in clear. CJK is not, since CJK text runs
# right up to an address without a space.
_EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9_%+\-\u00c0-\u024f]+(?:['.][A-Za-z0-9_%+\-\u00c0-\u024f]+)*")
_EMAIL_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\-\u00c0-\u024f]{0,61}[A-Za-z0-9\u00c0-\u024f])?\.)+"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9\-@_\u00c0-\u024f]|\.[A-Za-z0-9])"
)
_EMAIL_MAX_LOCAL = 64


def _find_emails(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    at = text.find("@")
    last_end = 0
    while at != -1:
        lo = max(last_end, at - _EMAIL_MAX_LOCAL)
        # The local part is read backwards from the '@' (one anchored match on the reversed window; its pattern
        # is its own mirror image).
        local = _EMAIL_LOCAL_RE.match(text[lo:at][::-1])
        if local is not None:
            dom = _EMAIL_DOMAIN_RE.match(text, at + 1)
            if dom is not None:
                out.append((at - local.end(), dom.end(), "EMAIL"))
                last_end = dom.end()
                at = text.find("@", last_end)
                continue
        at = text.find("@", at + 1)
    return out


# Addresses written against scrapers: "jane.doe [at] acme [dot] de", "jane(at)acme.de". The spelled-out form
# "jane at acme dot de" is only taken with a known top-level domain at its end, since "at" is an ordinary word.
_OBF_HINTS = ("at]", "at)", " dot ")
_OBF_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9_%+\-.])[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
    r"\s?[\[(]at[\])]\s?"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.|\s?[\[(]dot[\])]\s?))+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9_%+\-.])[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)* at "
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])? dot )+"
    r"(?:com|org|net|edu|gov|io|co|info|biz|eu|de|fr|uk|nl|es|it|br|au|jp|in|ch|at|be|us|ca|se|dk|no|pl|pt|ie|nz)"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _find_obfuscated_emails(text: str, low: str | None = None) -> list[tuple[int, int, str]]:
    low = text.lower() if low is None else low
    out: dict[tuple[int, int, str], None] = {}
    n = len(text)
    for hint in _OBF_HINTS:
        # A hint's bracket is one character, looked for with memchr: far faster than the three-character search,
        # and most texts have no ']' (nor, often, ')').
        if hint[-1] != " " and hint[-1] not in low:
            continue
        i = low.find(hint)
        while i != -1:
            # Only around the "(at)" / " dot " itself: the full pattern is too costly to run over all the text.
            for m in _OBF_EMAIL_RE.finditer(text, max(0, i - 80), min(n, i + 200)):
                if m.start() <= i < m.end():
                    out[(m.start(), m.end(), "EMAIL")] = None
            i = low.find(hint, i + 1)
    return list(out)
