"""The chat model client, built from a :class:`Configuration` when a run starts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from khazna.agents.configuration import Configuration
from khazna.config import MODEL_CONNECT_S, MODEL_RETRY_PAUSE_S

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

    seconds = cfg.timeout if timeout is None else timeout
    return ChatOpenAI(
        model=cfg.model,
        base_url=cfg.base_url,
        api_key=cfg.api_key,
        temperature=cfg.temperature,
        # connect, write, pool and each read bounded: a server that accepts and never
        # answers fails after ``seconds`` (not the client's 600 s default)
        timeout=request_timeout(seconds),
        max_retries=cfg.max_retries if max_retries is None else max_retries,
        use_responses_api=False,
        stream_usage=True,
        callbacks=list(callbacks) if callbacks else None,
    )


def request_timeout(seconds: float) -> Any:
    """The httpx timeout of one request: ``seconds`` to read, write or wait for the pool,
    at most :data:`~khazna.config.MODEL_CONNECT_S` of them to connect."""
    from openai import Timeout  # the client's own httpx Timeout class, whichever httpx it uses

    return Timeout(seconds, connect=min(seconds, MODEL_CONNECT_S))


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


def is_timeout(err: BaseException) -> bool:
    """Whether ``err`` (or what caused it) is a client timeout: the model did not answer."""
    seen: BaseException | None = err
    while seen is not None:
        name = type(seen).__name__
        if isinstance(seen, TimeoutError) or name in ("APITimeoutError", "TimeoutException") \
                or name.endswith("Timeout"):  # fmt: skip
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class BudgetSpent(TimeoutError):
    """Too little of the model path's time budget is left for one more call."""


MIN_REQUEST_S = 0.5  # less budget than this left for a call: none is made


def bounded(model: Any, deadline: float | None) -> Any:
    """``model`` with a per-request timeout such that the call and its retries end by
    ``deadline`` (a ``time.monotonic()``; None: ``model`` as built). Raises
    :class:`BudgetSpent` when too little is left. A model without an HTTP timeout (a test
    double) is returned as it is once the budget is checked."""
    if deadline is None:
        return model
    retries = int(getattr(model, "max_retries", 0) or 0)
    left = deadline - time.monotonic()
    each = (left - retries * MODEL_RETRY_PAUSE_S) / (retries + 1)
    if each < MIN_REQUEST_S:
        raise BudgetSpent(f"no time left in the budget ({max(left, 0):.1f} s)")
    per_request = request_seconds(model)
    if per_request is None:
        return model
    return model.bind(timeout=request_timeout(min(per_request, each)))


BUDGET_NOTE = "budget de temps du modèle épuisé pour ce passage : texte standard"


def within_budget(model: Any, deadline: float | None) -> Any | None:
    """:func:`bounded`, or None when the budget is spent (the caller's template writes)."""
    try:
        return bounded(model, deadline)
    except BudgetSpent:
        return None


def request_seconds(model: Any) -> float | None:
    """The read timeout ``model`` was built with (None: not a client that has one)."""
    rt = getattr(model, "request_timeout", None)
    if rt is None:
        return None
    read = getattr(rt, "read", rt)
    return float(read) if isinstance(read, int | float) else None


def describe_error(err: BaseException) -> str:
    """A one-line account of a client error: its class, HTTP status if any, and message."""
    status = getattr(err, "status_code", None)
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    head = type(err).__name__ + (f" (HTTP {status})" if status else "")
    return f"{head}: {text}" if text else head
