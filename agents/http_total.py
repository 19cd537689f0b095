"""The HTTP client of the model path, with a bound on the *total* time of one request.

httpx bounds each network operation (connect, each read, each write) but not their sum: a
server that answers one byte every few seconds keeps a request alive for ever, each read
well within its timeout (issue 15: ``khazna ask`` against such a server waited more than
9 minutes). This client gives every request a deadline, its read timeout counted from
the moment it is sent (the client's retries each get theirs): every connect, TLS
handshake, read and write of it waits at most what is left until then, and none starts
once it has passed (``httpx.ReadTimeout``, which the OpenAI client reports as a timeout).

The deadline is kept per thread (a request's reads, headers and body, happen in the thread
that sent it) and the sockets come from httpcore's own network backend, wrapped."""

from __future__ import annotations

import functools
import importlib
import threading
import time
import urllib.parse
import urllib.request
from typing import Any

_local = threading.local()


def _left(timeout: float | None, late: type[Exception]) -> float | None:
    """``timeout`` cut to what is left of the current request's total time (``late``
    raised when nothing is left)."""
    deadline: float | None = getattr(_local, "deadline", None)
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise late("the request's total time is spent")
    return left if timeout is None else min(timeout, left)


class _Stream:
    """An httpcore network stream whose every operation waits at most what is left."""

    def __init__(self, inner: Any, late: type[Exception]) -> None:
        self._inner, self._late = inner, late

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _left(timeout, self._late))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _left(timeout, self._late))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> _Stream:  # fmt: skip
        tls = self._inner.start_tls(ssl_context, server_hostname, _left(timeout, self._late))
        return _Stream(tls, self._late)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _Backend:
    """An httpcore network backend whose connections are :class:`_Stream`."""

    def __init__(self, inner: Any, late: type[Exception]) -> None:
        self._inner, self._late = inner, late

    def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                    local_address: str | None = None, socket_options: Any = None) -> _Stream:  # fmt: skip
        left = _left(timeout, self._late)
        return _Stream(self._inner.connect_tcp(host, port, left, local_address, socket_options),
                       self._late)  # fmt: skip

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Any = None) -> _Stream:  # fmt: skip
        left = _left(timeout, self._late)
        return _Stream(self._inner.connect_unix_socket(path, left, socket_options), self._late)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


@functools.cache
def _transport_class() -> type:
    """``HTTPTransport`` of the httpx the OpenAI client is built on (``httpx`` or its
    successor ``httpx2``, each with its httpcore), with the total time of each request."""
    import openai

    client = next(c for c in openai.DefaultHttpxClient.__mro__ if c.__name__ == "Client")
    httpx_mod = importlib.import_module(client.__module__.partition(".")[0])
    core = importlib.import_module(httpx_mod.__name__.replace("httpx", "httpcore", 1))

    class TotalTimeTransport(httpx_mod.HTTPTransport):  # type: ignore[misc,name-defined]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            pool = self._pool  # httpcore's ConnectionPool or proxy pool: its sockets, wrapped
            pool._network_backend = _Backend(pool._network_backend, core.ReadTimeout)

        def handle_request(self, request: Any) -> Any:
            total = (request.extensions.get("timeout") or {}).get("read")
            _local.deadline = None if total is None else time.monotonic() + float(total)
            return super().handle_request(request)

    return TotalTimeTransport


def model_http_client(base_url: str | None) -> Any:
    """The sync client for the model's server: the OpenAI client's defaults (redirects
    followed, its connection limits) with a transport that ends each request within its
    read timeout in all; the environment's proxy (``HTTPS_PROXY``..., ``NO_PROXY``) still
    applies."""
    import openai

    url = urllib.parse.urlsplit(base_url or "https://api.openai.com/v1")
    proxy = None
    if not urllib.request.proxy_bypass(url.hostname or ""):
        proxies = urllib.request.getproxies()
        proxy = proxies.get(url.scheme) or proxies.get("all")
    return openai.DefaultHttpxClient(transport=_transport_class()(proxy=proxy))
