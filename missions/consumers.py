"""The dashboard websocket: one organization's mission events, live."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from missions.events import organization_group
from missions.models import Membership

# Close codes in the 4000 range are ours (RFC 6455 leaves them to applications).
CLOSE_UNAUTHENTICATED = 4401
CLOSE_NO_ORGANIZATION = 4403


class MissionEventsConsumer(AsyncJsonWebsocketConsumer):
    groups: list[str]

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        org_ids = await self._organization_ids(user.pk)
        if not org_ids:
            await self.close(code=CLOSE_NO_ORGANIZATION)
            return
        self.groups = [organization_group(org_id) for org_id in org_ids]
        for group in self.groups:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "organizations": org_ids})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The socket is one-way; a ping keeps proxies from closing an idle connection.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def mission_event(self, message: dict) -> None:
        await self.send_json({"type": "mission.event", "mission": message["mission"], "event": message["event"]})

    async def mission_events(self, message: dict) -> None:
        # Events committed together travel as one channel-layer message (missions.outbox); browsers still get one
        # frame per event, in order.
        for item in message["events"]:
            await self.send_json({"type": "mission.event", "mission": item["mission"], "event": item["event"]})

    async def domain_event(self, message: dict) -> None:
        # From domains.events: the committed rows of domains that changed (one for a single move).
        body = {"type": "domain.event", "domains": message["domains"]}
        if len(message["domains"]) == 1:
            body["domain"] = message["domains"][0]
        await self.send_json(body)

    @database_sync_to_async
    def _organization_ids(self, user_id: int) -> list[int]:
        return list(Membership.objects.filter(user_id=user_id).values_list("organization_id", flat=True))
