"""The named streams a dashboard socket carries; each app declares its own in its ``AppConfig.ready``.

A frame belongs to one stream (``frame["stream"]``); a page may ask for only the streams it draws
(``/ws/live/?streams=missions,domains``). Declaring them keeps a typo in a publisher or a page from silently
sending or waiting for nothing: publishing to, or asking for, an undeclared stream is an error.
"""

from __future__ import annotations

from core.registry import Registry

# name → what its frames carry
_streams: Registry[str] = Registry("live stream")


def register_stream(name: str, description: str) -> None:
    _streams.register(name, description)


def is_stream(name: str) -> bool:
    return name in _streams


def streams() -> dict[str, str]:
    """Every declared stream with what it carries (for the docs and the API)."""
    return {name: _streams[name] for name in _streams}
