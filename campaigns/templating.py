"""Personalisation of email sequence templates: variables with fallbacks, custom fields and spintax.

Syntax
------

``{{first_name}}``
    A variable: the contact's value, or nothing when the contact has none. Names are letters, digits and ``_``,
    in any case (``{{First_Name}}`` is ``first_name``).

``{{first_name|there}}``
    A variable with a fallback: ``there`` is written when the contact's value is empty or missing. Spaces around
    the name and the fallback are ignored (``{{ first_name | there }}``); a fallback may be empty
    (``{{first_name|}}``). A fallback is plain text: it may contain spaces and ``|`` but no braces, and
    ``{{first_name|company}}`` writes the word "company", not the company.

``{{industry}}``, ``{{custom.industry}}``
    A custom field (a column of the imported CSV) by its key; both forms mean the same. Keys are lowercase
    snake_case: the column "Job Title" is ``{{job_title}}`` (see ``normalize_field_name``).

``{Hi|Hello|Hey}``
    Spintax: one option is written, chosen from the contact, the step and the variant, so that a re-render gives
    the same text and different contacts get different wordings. Each group chooses on its own. Options may be
    empty (``{really |}``), may hold variables (``{Hi {{first_name}}|Hello}``) and other groups
    (``{Hi|Hello {there|friend}}``).

Braces are reserved. A single-brace name such as ``{first_name}`` (the old style) is refused: write
``{{first_name}}``. A group with one option (``{hello}``), an unclosed ``{{`` or ``{``, and a ``}}`` or ``}``
without its opening brace are errors, reported by ``validate_template`` when the sequence is saved, with their
position, so that nothing fails at send time. ``{{`` always opens a variable: a group whose first option starts
with a group is written with that option elsewhere (``{x|{a|b}}``, not ``{{a|b}|x}``).

The unsubscribe link is not a variable: the sender adds it to every email's footer.

API
---

- ``validate_template(text, known_variables) -> list[TemplateIssue]``: every problem; an empty list means fine.
- ``render(text, values, *, seed) -> str``: the text for one contact; ``TemplateError`` for a malformed template.
- ``template_variables(text) -> set[str]``: the variable names the template uses.
- ``contact_values(contact, *, sender_name="") -> dict[str, str]``: the values of a contact.
- ``normalize_field_name(name) -> str``: "Job Title" -> "job_title" (CSV import uses it too).
- ``BUILTIN_VARIABLES``: the names every contact has.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "BUILTIN_VARIABLES",
    "TemplateError",
    "TemplateIssue",
    "contact_values",
    "normalize_field_name",
    "render",
    "template_variables",
    "validate_template",
]

BUILTIN_VARIABLES: frozenset[str] = frozenset({
    "first_name", "last_name", "full_name", "company", "email", "phone", "title", "sender_name",
    "sender_first_name",
    # Who passed this contact on to us (a referral reply): empty for everyone else.
    "referred_by",
})

CUSTOM_PREFIX = "custom."
MAX_NESTING = 20  # spintax groups inside groups; deeper is refused rather than risking the recursion limit
_NAME = re.compile(r"[a-z0-9_]+", re.IGNORECASE)
_LITERAL_TOP = re.compile(r"[^{}]+")
_LITERAL_IN_GROUP = re.compile(r"[^{}|]+")
_UNCLOSED_REST = re.compile(r"[^{}]*\}?")


@dataclass(frozen=True, slots=True)
class TemplateIssue:
    """One problem in a template; ``position`` is the offset (0-based) of the character where it starts."""

    message: str
    position: int


class TemplateError(ValueError):
    """A template that cannot be rendered; the message is that of its first issue."""

    def __init__(self, issues: list[TemplateIssue]) -> None:
        super().__init__(issues[0].message)
        self.issues = issues
        self.position = issues[0].position


# --- the tree -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Variable:
    key: str  # the lookup key: lowercase, without "custom."
    fallback: str
    position: int
    written: str  # the name as written, for messages


@dataclass(frozen=True, slots=True)
class _Spin:
    options: tuple[tuple[_Node, ...], ...]
    index: int  # the group's rank in the template (order of opening braces): its own choice for one seed


_Node = str | _Variable | _Spin


@dataclass(frozen=True, slots=True)
class _Parsed:
    nodes: tuple[_Node, ...]
    issues: tuple[TemplateIssue, ...]  # syntax only; unknown names depend on the organization's fields
    variables: tuple[_Variable, ...]
    groups: int


class _Parser:
    """Recursive descent over the text; records every issue and carries on, so that one pass reports them all."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.issues: list[TemplateIssue] = []
        self.variables: list[_Variable] = []
        self.groups = 0

    def issue(self, message: str, position: int) -> None:
        self.issues.append(TemplateIssue(message, position))

    def sequence(self, i: int, depth: int) -> tuple[list[_Node], int, str]:
        """Nodes from ``i`` up to the end, or (inside a group) up to its ``|`` or ``}``; returns where it stopped."""
        text, nodes = self.text, []
        literal = _LITERAL_IN_GROUP if depth else _LITERAL_TOP
        while i < len(text):
            char = text[i]
            if text.startswith("{{", i):
                i = self.variable(i, nodes)
            elif char == "{":
                node, i = self.group(i, depth + 1)
                nodes.append(node)
            elif char == "}" and depth:
                return nodes, i, "}"
            elif char == "}":
                if text.startswith("}}", i):
                    self.issue("}} without an opening {{", i)
                    nodes.append("}}")
                    i += 2
                else:
                    self.issue("} without an opening { (unbalanced spintax braces)", i)
                    nodes.append("}")
                    i += 1
            elif char == "|" and depth:
                return nodes, i, "|"
            else:
                match = literal.match(text, i)
                assert match is not None
                _append_text(nodes, match.group())
                i = match.end()
        return nodes, i, ""

    def variable(self, start: int, nodes: list[_Node]) -> int:
        text = self.text
        end = text.find("}}", start + 2)
        inner_open = text.find("{{", start + 2)
        if end < 0 or 0 <= inner_open < end:
            self.issue("unclosed {{ (a variable ends with }})", start)
            # Carry on after what was meant as the name (and a lone "}", as in "{{first_name}"), not inside it.
            rest = _UNCLOSED_REST.match(text, start + 2)
            assert rest is not None
            _append_text(nodes, text[start:rest.end()])
            return rest.end()
        content = text[start + 2:end]
        name, bar, fallback = content.partition("|")
        name = name.strip()
        if "{" in content or "}" in content:
            # Swallow the "}" that close braces opened inside, so that "{{a|{b|c}}}" is one issue, not two.
            extra = max(0, content.count("{") - content.count("}"))
            while extra and text.startswith("}", end + 2):
                end, extra = end + 1, extra - 1
            content = text[start + 2:end]
            self.issue(f"braces inside {{{{{content}}}}}: a variable's fallback is plain text", start)
        elif not name:
            self.issue("empty variable name in {{" + content + "}}", start)
        else:
            key = name.lower()
            if key.startswith(CUSTOM_PREFIX):
                key = key[len(CUSTOM_PREFIX):]
            if _NAME.fullmatch(key):
                variable = _Variable(key, fallback.strip() if bar else "", start, name)
                nodes.append(variable)
                self.variables.append(variable)
            else:
                suggestion = normalize_field_name(key)
                hint = f"; did you mean {{{{{suggestion}}}}}?" if suggestion else ""
                self.issue(f"invalid variable name {{{{{name}}}}}: names use letters, digits and _{hint}", start)
        return end + 2

    def group(self, start: int, depth: int) -> tuple[_Node, int]:
        if depth > MAX_NESTING:  # skip to the matching brace without recursing: the recursion limit is not for users
            self.issue(f"spintax nested more than {MAX_NESTING} levels deep", start)
            balance, i = 0, start
            while i < len(self.text):
                balance += {"{": 1, "}": -1}.get(self.text[i], 0)
                i += 1
                if not balance:
                    break
            return self.text[start:i], i
        index = self.groups
        self.groups += 1
        options: list[tuple[_Node, ...]] = []
        i = start + 1
        while True:
            nodes, i, stop = self.sequence(i, depth)
            options.append(tuple(nodes))
            if stop == "|":
                i += 1
                continue
            if stop == "}":
                i += 1
            else:
                self.issue("unclosed { (unbalanced spintax braces)", start)
            break
        if stop and len(options) == 1:
            self.one_option(start, i)
        return _Spin(tuple(options), index), i

    def one_option(self, start: int, end: int) -> None:
        written = self.text[start + 1:end - 1]
        name = written.strip()
        key = name.lower().removeprefix(CUSTOM_PREFIX)
        if _NAME.fullmatch(key):
            self.issue(f"{{{written}}} has single braces: use {{{{{name}}}}} for a variable", start)
        else:
            self.issue(f"{{{written}}} is a spintax group with one option: write {{a|b}}, or {{{{name}}}} for a variable",
                       start)


def _append_text(nodes: list[_Node], text: str) -> None:
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] += text
    else:
        nodes.append(text)


@functools.lru_cache(maxsize=2048)
def _parse(text: str) -> _Parsed:
    if "{" not in text and "}" not in text:
        return _Parsed((text,) if text else (), (), (), 0)
    parser = _Parser(text)
    nodes, _, _ = parser.sequence(0, 0)
    return _Parsed(tuple(nodes), tuple(parser.issues), tuple(parser.variables), parser.groups)


# --- public API -----------------------------------------------------------------------------------------------------


def validate_template(text: str, known_variables: Collection[str]) -> list[TemplateIssue]:
    """Every problem in ``text``, in order of position; an empty list means it renders for every contact.

    ``known_variables`` are the names a contact may have: ``BUILTIN_VARIABLES`` and the organization's custom
    field keys. A name that is not among them is reported, with the closest known name when there is one.
    """
    parsed = _parse(text)
    issues = list(parsed.issues)
    known = {normalize_field_name(name) for name in known_variables}
    for variable in parsed.variables:
        if variable.key not in known:
            issues.append(TemplateIssue(_unknown_message(variable, known), variable.position))
    return sorted(issues, key=lambda issue: issue.position)


def _unknown_message(variable: _Variable, known: set[str]) -> str:
    message = f"unknown variable {{{{{variable.written}}}}}"
    if variable.key in ("unsubscribe_url", "unsubscribe_link", "unsubscribe"):
        return message + ": the unsubscribe link is added to every email's footer by itself"
    close = difflib.get_close_matches(variable.key, sorted(known), n=1, cutoff=0.6)
    return message + (f"; did you mean {close[0]}?" if close else "")


def render(text: str, values: Mapping[str, str], *, seed: str) -> str:
    """``text`` for one contact: its ``values`` (keys normalized, e.g. from ``contact_values``) and spintax chosen
    from ``seed`` (e.g. ``f"{contact_id}:{step_id}:{variant}"``); the same seed always gives the same text.

    A variable without a value (missing, empty or blank) writes its fallback. Raises ``TemplateError`` for a
    malformed template; unknown names are not checked here (``validate_template`` does that).
    """
    parsed = _parse(text)
    if parsed.issues:
        raise TemplateError(list(parsed.issues))
    if not parsed.groups and not parsed.variables:
        return text
    choices = _choices(seed, parsed.groups)
    out: list[str] = []
    _render_nodes(parsed.nodes, values, choices, out)
    return "".join(out)


def _choices(seed: str, groups: int) -> list[int]:
    """One number per spintax group, from the seed and the group's rank (never ``hash()``: salted per process)."""
    return [int.from_bytes(hashlib.blake2b(f"{seed}\x1f{index}".encode(), digest_size=8).digest(), "big")
            for index in range(groups)]


def _render_nodes(nodes: tuple[_Node, ...], values: Mapping[str, str], choices: list[int], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, _Variable):
            value = values.get(node.key)
            value = str(value).strip() if value is not None else ""
            out.append(value or node.fallback)
        else:
            options = node.options
            _render_nodes(options[choices[node.index] % len(options)], values, choices, out)


def template_variables(text: str) -> set[str]:
    """The variable names ``text`` uses (in every spintax option), as lookup keys: ``{{custom.industry}}`` is
    ``industry``. A malformed part contributes nothing; it does not raise."""
    return {variable.key for variable in _parse(text).variables}


def normalize_field_name(name: str) -> str:
    """A field name as a variable key: lowercase snake_case of letters, digits and ``_``.

    "Job Title" -> "job_title", "Industry " -> "industry", "FirstName" -> "first_name", "Société" -> "societe";
    "" when nothing is left. camelCase is split only in a name of one word: a name people spaced themselves keeps
    its words whole ("LinkedIn URL" -> "linkedin_url", not "linked_in_url").
    """
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    if not re.search(r"[^A-Za-z0-9]", name.strip()):
        name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def contact_values(contact: Any, *, sender_name: str = "") -> dict[str, str]:
    """The values of ``contact`` (any object with first_name, last_name, company, email, phone and, optionally,
    a ``custom_fields`` dict) for ``render``.

    Custom fields come in by their normalized key; a built-in attribute that has a value wins over a custom field of
    the same name. ``title`` is the contact's ``title`` attribute, else the ``title`` or ``job_title`` field.
    """
    values: dict[str, str] = {}
    for key, value in (getattr(contact, "custom_fields", None) or {}).items():
        key = normalize_field_name(str(key))
        if key and not values.get(key):
            values[key] = _text(value)

    def put(key: str, value: str) -> None:
        if value or key not in values:
            values[key] = value

    first, last = _text(getattr(contact, "first_name", "")), _text(getattr(contact, "last_name", ""))
    put("first_name", first)
    put("last_name", last)
    put("full_name", f"{first} {last}".strip())
    for key in ("company", "email", "phone"):
        put(key, _text(getattr(contact, key, "")))
    put("title", _text(getattr(contact, "title", "")) or values.get("title", "") or values.get("job_title", ""))
    sender = " ".join(sender_name.split())
    put("sender_name", sender)
    put("sender_first_name", sender.split(" ", 1)[0] if sender else "")
    return values


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()
