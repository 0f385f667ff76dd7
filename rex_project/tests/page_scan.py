"""What a rendered page would need from the Content-Security-Policy: inline scripts and <style> elements,
event-handler attributes, ``javascript:`` URLs and style attributes, found with the standard library's HTML parser."""

from __future__ import annotations

from html.parser import HTMLParser

# <script> elements with one of these types are data blocks: the browser never runs them (json_script writes them).
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class _InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not values.get("src") and values.get("type") not in DATA_SCRIPT_TYPES:
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        elif tag == "style":
            self.found.append(f"inline <style> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            elif name == "style":
                self.found.append(f"<{tag} style=…> at line {self.getpos()[0]}")
            elif name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def inline_code(html: str) -> list[str]:
    """Everything in ``html`` that a CSP without 'unsafe-inline' would refuse to run or apply."""
    finder = _InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.found
