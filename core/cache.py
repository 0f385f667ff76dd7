"""Django's Redis cache with one connection pool, and one client on it, per process.

Django keeps a cache object per async context, and under ASGI every request is a context of its own: each request
built a new redis-py pool, opened a new TCP connection for the API throttle's two commands and dropped it, and every
cache call constructed a new ``redis.Redis`` (a few hundred response callbacks each; it showed in the web worker's
profile, docs/performance.md). Here every cache object of a process shares the pool and the client for the same
server and options. redis-py pools and clients are thread-safe, and a pool resets itself in a forked child, so each
gunicorn and Celery worker process still gets connections of its own.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

_clients: dict[tuple[str, str], Any] = {}
_lock = threading.Lock()


class SharedRedisCacheClient(RedisCacheClient):
    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        server = self._servers[self._get_connection_pool_index(write)]
        identity = (server, repr(sorted(self._pool_options.items(), key=lambda item: item[0])))
        client = _clients.get(identity)
        if client is None:
            with _lock:
                client = _clients.get(identity)
                if client is None:
                    pool = self._pool_class.from_url(server, **self._pool_options)
                    client = _clients[identity] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedRedisCacheClient
