"""A real local HTTP server speaking the WhatsApp Business Cloud API's shapes (and a generic
SMS gateway's), for the channel tests: it records every request it is sent."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: dict | None = None
    form: dict[str, str] = field(default_factory=dict)
    files: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)


class CloudApi:
    """``POST /<version>/<phone-number-id>/messages`` → ``{"messages": [{"id": "wamid…"}]}``;
    ``POST …/media`` (multipart) → ``{"id": "<media id>"}``; ``POST /sms`` → ``{"id": …}``.
    ``fail_to`` maps a recipient to the (status, error body) to answer instead."""

    def __init__(self, token: str = "TEST-TOKEN") -> None:
        self.token = token
        self.seen: list[Seen] = []
        self.fail_to: dict[str, tuple[int, dict]] = {}
        self._n = 0
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                status, answer = api.answer(self.path, dict(self.headers), body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> CloudApi:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def answer(self, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict]:
        seen = Seen("POST", path, {k.lower(): v for k, v in headers.items()}, body)
        self.seen.append(seen)
        if seen.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": {"message": "Invalid OAuth access token.", "code": 190}}
        ctype = seen.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            msg = message_from_bytes(
                f"Content-Type: {ctype}\r\n\r\n".encode() + body, policy=policy.HTTP
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename():
                    seen.files[name] = (
                        part.get_filename(),
                        part.get_content_type(),
                        part.get_payload(decode=True),
                    )
                else:
                    seen.form[name] = part.get_payload(decode=True).decode()
        else:
            seen.json = json.loads(body or b"{}")
        self._n += 1
        if path.endswith("/media"):
            return 200, {"id": f"MEDIA{self._n}"}
        to = (seen.json or {}).get("to", "")
        if to in self.fail_to:
            return self.fail_to[to]
        if path.endswith("/messages"):
            return 200, {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.TEST{self._n}"}],
            }
        return 200, {"id": f"sms-{self._n}", "status": "queued"}

    def messages(self) -> list[dict]:
        return [s.json for s in self.seen if s.path.endswith("/messages") and s.json]
