"""The dashboard websocket: every stream of the user's organizations, live, on one socket per page.

``/ws/live/`` (and ``/ws/missions/``, its first name, kept for pages and clients that use it). A page may ask for
some streams only: ``?streams=missions,domains``; an undeclared stream name closes the socket with 4400.

A refused socket is accepted first and then closed with its code: closing before ``accept()`` answers the
handshake with HTTP 403, and a browser then only ever sees 1006, so ``live.js`` could not tell "log in again"
from a network blip and would retry forever.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from live.broadcast import organization_group
from live.streams import is_stream, streams
from tenants.models import Membership

# Close codes in the 4000 range are ours (RFC 6455 leaves them to applications).
CLOSE_BAD_REQUEST = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NO_ORGANIZATION = 4403


class LiveConsumer(AsyncJsonWebsocketConsumer):
    groups: list[str]
    wanted: frozenset[str] | None = None  # None: every stream

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        asked = parse_qs(self.scope.get("query_string", b"").decode()).get("streams")
        if asked:
            names = frozenset(name for value in asked for name in value.split(",") if name)
            if not all(is_stream(name) for name in names):
                await self.refuse(CLOSE_BAD_REQUEST)
                return
            self.wanted = names
        org_ids = await database_sync_to_async(Membership.organization_ids)(user.pk)
        if not org_ids:
            await self.refuse(CLOSE_NO_ORGANIZATION)
            return
        self.groups = [organization_group(org_id) for org_id in org_ids]
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "organizations": org_ids,
                              "streams": sorted(self.wanted or streams())})

    async def refuse(self, code: int) -> None:
        # Accept first so the close frame (and its code) reaches the client; no group was joined, so nothing is
        # ever sent on the socket before it closes.
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The socket is one-way; a ping keeps proxies from closing an idle connection.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def live_frames(self, message: dict) -> None:
        # Frames committed together travel as one channel-layer message (live.outbox); the browser still gets one
        # websocket frame each, in order.
        for frame in message["frames"]:
            if self.wanted is None or frame.get("stream") in self.wanted:
                await self.send_json(frame)
