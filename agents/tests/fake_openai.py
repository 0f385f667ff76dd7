"""A small OpenAI-compatible HTTP server for tests: the real OpenAI SDK and CrewAI talk to it over 127.0.0.1.

It answers ``POST /v1/chat/completions`` (also streamed, as CrewAI may ask), ``POST /v1/responses`` (background
requests come back ``queued``) and ``GET /v1/responses/{id}`` (by then ``completed``), records every request it
received (so a test can assert that no raw personal data reached "the LLM"), and replies from a script the test
sets: ``reply(...)`` and ``fail(...)`` queue answers for the next calls, in order; with nothing queued it echoes the
last user message, deterministically. ``signed_webhook`` builds a webhook delivery signed the way OpenAI signs
them (Standard Webhooks), for the ``/webhook/llm`` endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    def text(self) -> str:
        """The whole body as one string, for "does this value appear anywhere" assertions."""
        return json.dumps(self.body, ensure_ascii=False) if self.body is not None else ""


@dataclass
class _Reply:
    content: str
    prompt_tokens: int
    completion_tokens: int


@dataclass
class _Failure:
    status: int
    headers: dict[str, str]
    message: str


@dataclass
class StoredResponse:
    """A Responses API object the fake holds for a later ``GET /v1/responses/{id}``."""

    id: str
    model: str
    content: str
    prompt_tokens: int
    completion_tokens: int
    status: str = "completed"
    created_at: int = field(default_factory=lambda: int(time.time()))


def sign_webhook(body: bytes, secret: str, *, webhook_id: str, timestamp: int) -> str:
    """The ``webhook-signature`` header value per the Standard Webhooks spec, as OpenAI sends it."""
    key = base64.b64decode(secret.removeprefix("whsec_")) if secret.startswith("whsec_") else secret.encode()
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.responses: dict[str, StoredResponse] = {}
        self.webhook_secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
        # False: behave like a compatible server without background mode (answers POST /responses at once).
        self.supports_background = True
        self._script: deque[_Reply | _Failure] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)

    # --- lifecycle ---------------------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # --- the script --------------------------------------------------------------------------------------------

    def reply(self, content: str, *, prompt_tokens: int = 10, completion_tokens: int = 5) -> None:
        """The next call is answered with ``content`` and this usage."""
        with self._lock:
            self._script.append(_Reply(content, prompt_tokens, completion_tokens))

    def fail(self, status: int = 429, *, retry_after: str | None = None, retry_after_ms: str | None = None,
             message: str = "") -> None:
        """The next call is answered with an HTTP error (and ``Retry-After`` / ``retry-after-ms`` if given)."""
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        if retry_after_ms is not None:
            headers["retry-after-ms"] = retry_after_ms
        with self._lock:
            self._script.append(_Failure(status, headers, message or f"fake error {status}"))

    def _next(self, body: dict[str, Any]) -> _Reply | _Failure:
        with self._lock:
            if self._script:
                return self._script.popleft()
        return _Reply(f"echo: {_last_user_text(body)}", prompt_tokens=10, completion_tokens=5)

    # --- what was received -------------------------------------------------------------------------------------

    def received(self, path_suffix: str = "", method: str | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests
                    if r.path.endswith(path_suffix) and (method is None or r.method == method)]

    def received_text(self) -> str:
        """Every request body received so far, concatenated."""
        return "\n".join(r.text() for r in self.received())

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    # --- webhooks ----------------------------------------------------------------------------------------------

    def signed_webhook(self, event: dict[str, Any], secret: str | None = None, *, webhook_id: str | None = None,
                       timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        """A webhook delivery (body, headers) signed with ``secret`` (default: this fake's ``webhook_secret``)."""
        body = json.dumps(event).encode()
        webhook_id = webhook_id or f"wh_{uuid.uuid4().hex}"
        timestamp = int(time.time()) if timestamp is None else timestamp
        signature = sign_webhook(body, secret or self.webhook_secret, webhook_id=webhook_id, timestamp=timestamp)
        return body, {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp), "webhook-signature": signature}

    def response_event(self, response_id: str, event_type: str = "response.completed") -> dict[str, Any]:
        """The event OpenAI posts when a background response finishes (it carries only the response id)."""
        return {"id": f"evt_{uuid.uuid4().hex}", "object": "event", "created_at": int(time.time()),
                "type": event_type, "data": {"id": response_id}}


def _last_user_text(body: dict[str, Any]) -> str:
    messages = body.get("messages") or body.get("input") or []
    if isinstance(messages, str):
        return messages
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):  # content parts
                return " ".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
            return str(content)
    return ""


def _chat_completion(model: str, reply: _Reply) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply.content},
                     "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                  "total_tokens": reply.prompt_tokens + reply.completion_tokens},
    }


def _response_object(stored: StoredResponse, *, background: bool) -> dict[str, Any]:
    done = stored.status == "completed"
    return {
        "id": stored.id,
        "object": "response",
        "created_at": stored.created_at,
        "status": stored.status,
        "background": background,
        "model": stored.model,
        "output": [{"type": "message", "id": f"msg_{stored.id}", "status": "completed", "role": "assistant",
                    "content": [{"type": "output_text", "text": stored.content, "annotations": []}]}] if done else [],
        "usage": {"input_tokens": stored.prompt_tokens, "input_tokens_details": {"cached_tokens": 0},
                  "output_tokens": stored.completion_tokens, "output_tokens_details": {"reasoning_tokens": 0},
                  "total_tokens": stored.prompt_tokens + stored.completion_tokens} if done else None,
        "error": {"code": "server_error", "message": "fake failure"} if stored.status == "failed" else None,
        "incomplete_details": None,
        "instructions": None,
        "metadata": {},
        "parallel_tool_calls": True,
        "temperature": 0,
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1,
        "store": True,
    }


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # One response per connection (HTTP/1.0): no keep-alive bookkeeping, and streamed bodies end at close.
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep test output clean

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            if not raw:
                return None
            try:
                return json.loads(raw)
            except ValueError:
                return raw.decode("utf-8", "replace")

        def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _send_failure(self, failure: _Failure) -> None:
            kind = "rate_limit_exceeded" if failure.status == 429 else "server_error" if failure.status >= 500 \
                else "invalid_request_error"
            self._send_json(failure.status, {"error": {"message": failure.message, "type": kind, "param": None,
                                                       "code": kind}}, failure.headers)

        def _record(self, body: Any) -> None:
            fake._record(RecordedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                         body))

        def do_POST(self) -> None:
            body = self._body()
            self._record(body)
            path = self.path.split("?", 1)[0].rstrip("/")
            if path.endswith("/chat/completions"):
                self._chat(body or {})
            elif path.endswith("/responses"):
                self._create_response(body or {})
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_GET(self) -> None:
            self._record(None)
            path = self.path.split("?", 1)[0].rstrip("/")
            prefix = "/v1/responses/"
            if path.startswith(prefix) and path[len(prefix):] in fake.responses:
                self._send_json(200, _response_object(fake.responses[path[len(prefix):]], background=True))
            else:
                self._send_json(404, {"error": {"message": f"no such response {self.path}", "type": "not_found"}})

        def _chat(self, body: dict[str, Any]) -> None:
            step = fake._next(body)
            if isinstance(step, _Failure):
                self._send_failure(step)
                return
            model = body.get("model", "gpt-4o-mini")
            if body.get("stream"):
                self._stream_chat(model, step, include_usage=bool((body.get("stream_options") or {})
                                                                   .get("include_usage")))
                return
            self._send_json(200, _chat_completion(model, step))

        def _stream_chat(self, model: str, reply: _Reply, *, include_usage: bool) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk",
                    "created": int(time.time()), "model": model}
            chunks = [
                {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": reply.content},
                                      "finish_reason": None}]},
                {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]},
            ]
            if include_usage:
                chunks.append({**base, "choices": [], "usage": {
                    "prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens,
                    "total_tokens": reply.prompt_tokens + reply.completion_tokens}})
            for chunk in chunks:
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
            self.wfile.write(b"data: [DONE]\n\n")

        def _create_response(self, body: dict[str, Any]) -> None:
            step = fake._next(body)
            if isinstance(step, _Failure):
                self._send_failure(step)
                return
            stored = StoredResponse(id=f"resp_{uuid.uuid4().hex}", model=body.get("model", "gpt-4o-mini"),
                                    content=step.content, prompt_tokens=step.prompt_tokens,
                                    completion_tokens=step.completion_tokens)
            with fake._lock:
                fake.responses[stored.id] = stored
            background = bool(body.get("background")) and fake.supports_background
            # A background response is accepted now and finished later: the caller hears "queued" and learns
            # the outcome from the webhook (or a GET), which by then reports the stored (completed) object.
            shown = StoredResponse(**{**stored.__dict__, "status": "queued"}) if background else stored
            self._send_json(200, _response_object(shown, background=background))

    return Handler
