"""A scriptable OpenAI-compatible HTTP server for tests (stdlib only, 127.0.0.1, free port).

``ChatOpenAI(base_url=stub.base_url, api_key="sk-test", ...)`` talks to it over real HTTP.
Script the answers in order, then assert on what the client sent::

    def test_x(openai_stub):
        openai_stub.reply_text("Bonjour")
        openai_stub.reply_error(429, retry_after_ms=10)
        openai_stub.reply_tool_call("get_balance", {"account": "512"})
        openai_stub.reply_json({"status": "ok"})      # structured output
        openai_stub.reply_raw(b"{not json")            # a malformed answer
        openai_stub.reply_text("late", delay=2.0)      # force a client timeout
        ...
        body = openai_stub.bodies[0]                    # model, messages, tools, stream, ...

``POST /v1/chat/completions`` answers JSON, or Server-Sent Events when the body has
``"stream": true`` (``data: {chunk}`` lines, a usage chunk when ``stream_options.include_usage``,
then ``data: [DONE]``). ``GET /v1/models`` lists the stub's model. An answer with nothing
scripted is an HTTP 500 that says so, and every answer carries a ``usage`` object (recorded
in :attr:`OpenAIStub.sent_usage`).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    content: str | None = None
    tool_calls: list[dict[str, Any]] | None = None  # [{"name", "arguments": dict, "id"?}]
    raw: bytes | None = None  # sent as is, for malformed answers
    error: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    usage: dict[str, int] | None = None
    finish_reason: str | None = None


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any] | None


def _tokens(text: str) -> int:
    return max(1, len(text) // 4)


class OpenAIStub:
    def __init__(self, model: str = "stub-model") -> None:
        self.model = model
        self.requests: list[RecordedRequest] = []
        self.sent_usage: list[dict[str, int]] = []
        self._queue: deque[Reply | Callable[[dict[str, Any]], Reply]] = deque()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> OpenAIStub:
        stub = self

        class Handler(_Handler):
            owner = stub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping on a scripted delay
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the stub first"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- scripting ------------------------------------------------------------------------
    def reply(self, reply: Reply | Callable[[dict[str, Any]], Reply]) -> OpenAIStub:
        """Queue a :class:`Reply`, or a function of the request body returning one."""
        with self._lock:
            self._queue.append(reply)
        return self

    def reply_text(self, text: str, **kw: Any) -> OpenAIStub:
        return self.reply(Reply(content=text, **kw))

    def reply_json(self, obj: Any, **kw: Any) -> OpenAIStub:
        """Structured output: the content is the JSON text (json_schema / json_object modes)."""
        return self.reply(Reply(content=json.dumps(obj, ensure_ascii=False), **kw))

    def reply_tool_call(
        self, name: str, arguments: dict[str, Any], call_id: str | None = None, **kw: Any
    ) -> OpenAIStub:
        return self.reply_tool_calls([{"name": name, "arguments": arguments, "id": call_id}], **kw)

    def reply_tool_calls(self, calls: list[dict[str, Any]], **kw: Any) -> OpenAIStub:
        return self.reply(Reply(tool_calls=calls, **kw))

    def reply_error(
        self, status: int, message: str = "scripted error", retry_after_ms: int | None = None
    ) -> OpenAIStub:
        headers = {"retry-after-ms": str(retry_after_ms)} if retry_after_ms is not None else {}
        return self.reply(Reply(status=status, error=message, headers=headers))

    def reply_raw(self, body: bytes, status: int = 200, **kw: Any) -> OpenAIStub:
        return self.reply(Reply(status=status, raw=body, **kw))

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat completion requests, in order."""
        return [r.body for r in self.requests if r.path.endswith("/chat/completions") and r.body]

    # --- answering ------------------------------------------------------------------------
    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            item = self._queue.popleft() if self._queue else None
        if item is None:
            return Reply(status=500, error="openai stub: no answer scripted for this request")
        return item(body) if callable(item) else item

    def _usage(self, body: dict[str, Any], reply: Reply) -> dict[str, int]:
        if reply.usage is not None:
            usage = dict(reply.usage)
        else:
            prompt = _tokens(json.dumps(body.get("messages", []), ensure_ascii=False))
            out = reply.content or json.dumps(reply.tool_calls or [])
            usage = {"prompt_tokens": prompt, "completion_tokens": _tokens(out)}
        usage.setdefault("total_tokens", usage["prompt_tokens"] + usage["completion_tokens"])
        with self._lock:
            self.sent_usage.append(usage)
        return usage

    def _tool_calls(self, reply: Reply) -> list[dict[str, Any]]:
        return [
            {
                "id": c.get("id") or f"call_{i}_{c['name']}",
                "type": "function",
                "function": {"name": c["name"], "arguments": json.dumps(c["arguments"])},
            }
            for i, c in enumerate(reply.tool_calls or [])
        ]

    def completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        calls = self._tool_calls(reply)
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if calls:
            message["tool_calls"] = calls
        finish = reply.finish_reason or ("tool_calls" if calls else "stop")
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", self.model),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": self._usage(body, reply),
        }

    def chunks(self, body: dict[str, Any], reply: Reply) -> Iterator[dict[str, Any]]:
        base = {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", self.model),
        }

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

        yield chunk({"role": "assistant", "content": ""})
        text = reply.content or ""
        step = max(1, len(text) // 3)
        for i in range(0, len(text), step):
            yield chunk({"content": text[i : i + step]})
        for i, call in enumerate(self._tool_calls(reply)):
            yield chunk({"tool_calls": [{"index": i, **call}]})
        finish = reply.finish_reason or ("tool_calls" if reply.tool_calls else "stop")
        yield chunk({}, finish)
        if (body.get("stream_options") or {}).get("include_usage"):
            yield {**base, "choices": [], "usage": self._usage(body, reply)}


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAIStub

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def _record(self, body: dict[str, Any] | None) -> None:
        with self.owner._lock:
            self.owner.requests.append(
                RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )

    def _send(self, status: int, payload: bytes, ctype: str, headers: dict[str, str]) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(payload)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", headers or {})

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self._record(None)
        if self.path.rstrip("/").endswith("/models"):
            self._json(
                200, {"object": "list", "data": [{"id": self.owner.model, "object": "model"}]}
            )
        else:
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._record(None)
            self._json(400, {"error": {"message": "body is not JSON", "type": "invalid_request"}})
            return
        self._record(body)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
            return
        reply = self.owner._next(body)
        if reply.delay and self.owner._closing.wait(reply.delay):
            return
        try:
            self._answer(body, reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _answer(self, body: dict[str, Any], reply: Reply) -> None:
        if reply.raw is not None:
            self._send(reply.status, reply.raw, "application/json", reply.headers)
        elif reply.error is not None or reply.status >= 400:
            err = {"message": reply.error or "error", "type": "server_error", "code": reply.status}
            self._json(reply.status, {"error": err}, reply.headers)
        elif body.get("stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            for chunk in self.owner.chunks(body, reply):
                self.wfile.write(b"data: " + json.dumps(chunk).encode() + b"\n\n")
                self.wfile.flush()
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
        else:
            self._json(200, self.owner.completion(body, reply), reply.headers)


@pytest.fixture
def openai_stub() -> Iterator[OpenAIStub]:
    """A started stub; closed after the test."""
    stub = OpenAIStub().start()
    try:
        yield stub
    finally:
        stub.close()
