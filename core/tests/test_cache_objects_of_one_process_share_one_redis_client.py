"""Every cache object of a process uses the same Redis client and pool (core/cache.py).

Under ASGI Django creates a cache object per request; each used to open its own pool and connection. Two objects
created apart, as two requests would, get the same client, and values one writes the other reads.
"""

from django.core.cache import caches


def test_two_cache_objects_share_the_client_and_see_each_others_values():
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert first is not second
    assert first._cache.get_client() is second._cache.get_client()
    assert first._cache.get_client(write=True).connection_pool is second._cache.get_client().connection_pool

    first.set("shared-pool-probe", {"n": 1}, timeout=30)
    assert second.get("shared-pool-probe") == {"n": 1}
    second.delete("shared-pool-probe")
    assert first.get("shared-pool-probe") is None
