"""Sections that apps above replies add to the Inbox page (``/inbox/``), registered in their ``AppConfig.ready``.

The Inbox page cannot import the apps above it (meetings sits above replies): an app registers an ``InboxSection``
(``core.page_parts.PagePart``, as the dashboard's panels are) and the page includes each one above the replies, in
name order.
"""

from __future__ import annotations

from core.page_parts import PagePart as InboxSection
from core.page_parts import PageParts

__all__ = ["InboxSection", "register_section", "sections_for"]

_sections = PageParts("inbox section")
register_section = _sections.register
sections_for = _sections.for_organization
