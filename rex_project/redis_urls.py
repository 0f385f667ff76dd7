"""Translate one REDIS_URL into the spellings each client wants.

redis-py (cache, channel layer) takes ``unix:///path`` as it is; kombu and Celery spell a unix socket
``redis+socket:///path``. Keeping the translation here lets every set-up configure a single variable.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def redis_client_url(url: str) -> str:
    """The URL redis-py understands (``redis://``, ``rediss://`` or ``unix://``)."""
    if url.startswith("redis+socket://"):
        return "unix://" + url[len("redis+socket://"):]
    return url


def celery_broker_url(url: str) -> str:
    """The URL kombu/Celery understand; non-Redis brokers (amqp://) pass through untouched."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return "redis+socket://" + url[len("unix://"):]
    return url
