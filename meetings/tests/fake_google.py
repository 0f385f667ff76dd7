"""A fake Google Calendar API v3 on 127.0.0.1, at the HTTP boundary: ``POST /calendar/v3/freeBusy`` answers the
busy periods a test gives it, and ``/calendars/{id}/events`` (list by iCalUID, import, update, delete) keeps
events in memory. It checks the bearer token and records every request, as Google would see them."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


class FakeGoogleCalendar:
    def __init__(self, token: str) -> None:
        self.token = token
        self.busy: list[dict[str, str]] = []
        self.events: dict[str, dict[str, Any]] = {}
        self.requests: list[tuple[str, str, dict[str, Any] | None]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                url = urlsplit(self.path)
                fake.requests.append((method, url.path, body))
                if self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self._answer(401, {"error": {"code": 401, "message": "Invalid Credentials"}})
                parts = [unquote(p) for p in url.path.split("/") if p]
                if parts[:2] != ["calendar", "v3"]:
                    return self._answer(404, {"error": {"code": 404}})
                parts = parts[2:]
                if parts == ["freeBusy"] and method == "POST":
                    calendar = body["items"][0]["id"]
                    return self._answer(200, {"kind": "calendar#freeBusy", "timeMin": body["timeMin"],
                                              "timeMax": body["timeMax"],
                                              "calendars": {calendar: {"busy": fake.busy}}})
                if len(parts) >= 3 and parts[0] == "calendars" and parts[2] == "events":
                    rest = parts[3:]
                    if not rest and method == "GET":
                        uid = parse_qs(url.query).get("iCalUID", [""])[0]
                        items = [e for e in fake.events.values() if e["iCalUID"] == uid]
                        return self._answer(200, {"kind": "calendar#events", "items": items})
                    if rest == ["import"] and method == "POST":
                        event = {**body, "id": uuid.uuid4().hex}
                        fake.events[event["id"]] = event
                        return self._answer(200, event)
                    if len(rest) == 1 and rest[0] in fake.events:
                        if method == "PUT":
                            fake.events[rest[0]] = {**body, "id": rest[0]}
                            return self._answer(200, fake.events[rest[0]])
                        if method == "DELETE":
                            del fake.events[rest[0]]
                            return self._answer(204)
                return self._answer(404, {"error": {"code": 404, "message": "Not Found"}})

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

            def do_PUT(self) -> None:
                self._handle("PUT")

            def do_DELETE(self) -> None:
                self._handle("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGoogleCalendar:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
