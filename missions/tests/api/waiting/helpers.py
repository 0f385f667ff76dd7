"""A client for the waiting tests against the live web server: the answer's head and its body read separately.

A waiting answer's head (200) is sent as soon as the server has found some mission not final and starts to wait; its
body follows when they are all final or the wait is over. Reading the two apart lets a test know, without timing,
that the server is waiting before it finishes a mission.
"""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlparse


class StatusRequest:
    def __init__(self, base_url: str, token: str, ids: list, wait: float | None = None) -> None:
        url = urlparse(base_url)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
        query = "ids=" + ",".join(str(i) for i in ids) + (f"&wait={wait}" if wait is not None else "")
        self.connection.request("GET", f"/api/missions/status?{query}", headers={"Authorization": f"Token {token}"})
        self.response = self.connection.getresponse()  # returns once the head has arrived

    @property
    def status(self) -> int:
        return self.response.status

    def is_streamed(self) -> bool:
        """The server chose to wait: a streamed (chunked) body rather than one with a Content-Length."""
        return self.response.getheader("Transfer-Encoding") == "chunked"

    def body(self) -> dict:
        try:
            return json.loads(self.response.read())
        finally:
            self.connection.close()
