"""The chat model client, built from a :class:`Configuration` when a run starts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
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

    from khazna.agents.http_total import model_http_client

    seconds = cfg.timeout if timeout is None else timeout
    return ChatOpenAI(
        model=cfg.model,
        base_url=cfg.base_url,
        api_key=cfg.api_key,
        temperature=cfg.temperature,
        # connect, write, pool and each read bounded: a server that accepts and never
        # answers fails after ``seconds`` (not the client's 600 s default)
        timeout=request_timeout(seconds),
        # and each request within ``seconds`` in all: one byte every few seconds keeps
        # every read within its timeout, never the request (agents/http_total.py)
        http_client=model_http_client(cfg.base_url),
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
SILENT_NOTE = (
    "le modèle n'a pas répondu ({n} appels de suite) : texte standard pour la suite du passage"
)
SILENT_IN_A_ROW = 2  # timeouts in a row after which a run asks the model nothing more
RUN_MARGIN_S = 5.0  # of a run's budget, kept for what the templates write after its deadline


def run_deadline(started: float, budget: float) -> float:
    """When the model calls of a run started at ``started`` must all have ended: its budget
    less a margin (at most a tenth of a small budget) for the texts written after it."""
    return started + budget - min(RUN_MARGIN_S, budget / 10)


@dataclass
class ModelClock:
    """The model path of one ``khazna run``: its ``budget_s``, the ``deadline`` every call
    ends by (:func:`run_deadline`), the time waited on the model, its calls and timeouts.
    After :data:`SILENT_IN_A_ROW` timeouts in a row the model is taken as not answering
    and asked nothing more in this run (a silent server would otherwise cost every text
    its full request time, until the budget)."""

    budget_s: float
    deadline: float
    waited_s: float = 0.0
    calls: int = 0
    timeouts: int = 0
    in_a_row: int = 0

    def silent(self) -> bool:
        return self.in_a_row >= SILENT_IN_A_ROW

    def note(self) -> str:
        """Why a text was not asked of the model."""
        return SILENT_NOTE.format(n=self.in_a_row) if self.silent() else BUDGET_NOTE

    def record(self, seconds: float, *, timed_out: bool) -> None:
        self.waited_s += seconds
        self.calls += 1
        self.timeouts += timed_out
        self.in_a_row = self.in_a_row + 1 if timed_out else 0


class Deadlined:
    """``model`` whose every ``invoke`` ends by ``deadline`` as it stands *at that call*
    (a second attempt gets what the first left, not the first's timeout), timed on
    ``clock``. Raises :class:`BudgetSpent` when too little is left or the model stopped
    answering."""

    def __init__(self, model: Any, deadline: float, clock: ModelClock | None = None) -> None:
        self.model, self.deadline, self.clock = model, deadline, clock

    def invoke(self, messages: Any, config: Any = None, **kwargs: Any) -> Any:
        if self.clock is not None and self.clock.silent():
            raise BudgetSpent(self.clock.note())
        call = bounded(self.model, self.deadline)
        start = time.monotonic()
        try:
            out = call.invoke(messages, config=config, **kwargs)
        except Exception as err:
            if self.clock is not None:
                self.clock.record(time.monotonic() - start, timed_out=is_timeout(err))
            raise
        if self.clock is not None:
            self.clock.record(time.monotonic() - start, timed_out=False)
        return out


def within_budget(
    model: Any, deadline: float | None, clock: ModelClock | None = None
) -> Any | None:
    """``model`` bounded by ``deadline`` at each of its calls (:class:`Deadlined`), or None
    when the budget is spent or the run's model stopped answering (the caller's template
    writes, with :func:`fallback_note`)."""
    if deadline is None:
        return model
    if clock is not None and clock.silent():
        return None
    try:
        bounded(model, deadline)
    except BudgetSpent:
        return None
    return Deadlined(model, deadline, clock)


def fallback_note(clock: ModelClock | None) -> str:
    """The note of a text the templates wrote because the model was not asked."""
    return clock.note() if clock is not None else BUDGET_NOTE


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
