"""One Redis connection pool per process for Django's cache (the API throttles, the lockout, cached lookups).

Django keeps a cache object per async context, and under ASGI every request is a context of its own: each request
built a new redis-py pool and opened a new TCP connection (connect + handshake) for the throttle's two commands,
then dropped it. ``SharedConnectionPool`` hands every cache object of the process the same pool for the same URL
and options, so connections are opened once and reused. redis-py pools are thread-safe and reset themselves in a
forked child, so gunicorn and Celery workers each get their own.
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import redis


class SharedConnectionPool(redis.ConnectionPool):
    _shared: ClassVar[dict[tuple[str, str], redis.ConnectionPool]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> redis.ConnectionPool:
        key = (url, repr(sorted(kwargs.items(), key=lambda item: item[0])))
        with cls._lock:
            pool = cls._shared.get(key)
            if pool is None:
                pool = cls._shared[key] = super().from_url(url, **kwargs)
            return pool
