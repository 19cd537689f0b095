"""The chat model client, built from a :class:`Configuration` when a run starts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from khazna.agents.configuration import Configuration

if TYPE_CHECKING:  # pragma: no cover
    from langchain_openai import ChatOpenAI


def build_chat_model(
    cfg: Configuration,
    *,
    callbacks: Sequence[Any] | None = None,
    timeout: float | None = None,
    max_retries: int | None = None,
) -> ChatOpenAI | None:
    """A ``ChatOpenAI`` for ``cfg``, or None for the offline writer.

    The Chat Completions API is forced (``use_responses_api=False``): it is the protocol that
    Ollama, vLLM and llama.cpp speak. ``stream_usage`` is on so a streamed answer still
    reports its tokens.
    """
    if cfg.offline:
        return None
    # lazy: langchain_openai costs 1.5 s at import; only a configured model needs it
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=cfg.model,
        base_url=cfg.base_url,
        api_key=cfg.api_key,
        temperature=cfg.temperature,
        timeout=cfg.timeout if timeout is None else timeout,
        max_retries=cfg.max_retries if max_retries is None else max_retries,
        use_responses_api=False,
        stream_usage=True,
        callbacks=list(callbacks) if callbacks else None,
    )


class PingResult(BaseModel):
    ok: bool
    latency_ms: int
    answer: str | None = None
    error: str | None = None


def ping(cfg: Configuration, *, timeout: float = 10.0) -> PingResult:
    """One tiny call with a short timeout and no retry: does the configured model answer?"""
    model = build_chat_model(cfg, timeout=min(timeout, cfg.timeout), max_retries=0)
    if model is None:
        return PingResult(ok=True, latency_ms=0, answer=None)
    start = time.perf_counter()
    try:
        msg = model.invoke("Reply with the single word OK.")
    except Exception as err:  # any failure is the answer to "does it answer?"
        ms = int((time.perf_counter() - start) * 1000)
        return PingResult(ok=False, latency_ms=ms, error=describe_error(err))
    ms = int((time.perf_counter() - start) * 1000)
    return PingResult(ok=True, latency_ms=ms, answer=str(msg.text).strip()[:80])


def describe_error(err: BaseException) -> str:
    """A one-line account of a client error: its class, HTTP status if any, and message."""
    status = getattr(err, "status_code", None)
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    head = type(err).__name__ + (f" (HTTP {status})" if status else "")
    return f"{head}: {text}" if text else head
