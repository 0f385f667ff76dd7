"""Panels that apps above missions add to the dashboard (``/``), registered in their ``AppConfig.ready``.

The dashboard knows no sales vocabulary: an app registers a ``DashboardPanel`` (``core.page_parts.PagePart``) and
the page includes each one after the missions list, in name order.
"""

from __future__ import annotations

from core.page_parts import PagePart as DashboardPanel
from core.page_parts import PageParts

__all__ = ["DashboardPanel", "panels_for", "register_panel"]

_panels = PageParts("dashboard panel")
register_panel = _panels.register
panels_for = _panels.for_organization
