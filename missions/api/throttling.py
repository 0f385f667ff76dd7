"""A batch of commands is throttled like that many single commands: it charges the caller's "user" rate once per
command it carries, so a batch endpoint is no way around ``REX_API_THROTTLE_USER``."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import UserRateThrottle


class PerCommandUserRateThrottle(UserRateThrottle):
    """DRF's user throttle (same scope, same count in the cache), each request costing its number of commands.

    DRF keeps a list of request times per caller; a batch of n commands adds n entries, and is refused when they
    would not all fit within the rate. A body that is not a list of commands costs one request (the view refuses
    it with 400).
    """

    def allow_request(self, request: Any, view: Any) -> bool:
        commands = request.data.get("commands") if isinstance(request.data, dict) else None
        self.cost = max(len(commands), 1) if isinstance(commands, list) else 1
        return super().allow_request(request, view)

    def throttle_success(self) -> bool:
        # ``super().allow_request`` refused only when the list was already full; a batch needs room for all of it.
        if len(self.history) + self.cost > self.num_requests:
            return self.throttle_failure()
        self.history[:0] = [self.now] * self.cost
        self.cache.set(self.key, self.history, self.duration)
        return True
