"""Counting model calls and tokens, for ``khazna run --json`` and the eval runner.

:class:`UsageCounter` is a LangChain callback handler: pass it in ``callbacks=[counter]`` (to
``build_chat_model`` or a run config) and read :meth:`UsageCounter.snapshot` at the end.
Tokens come from each answer's ``usage_metadata`` (the server's ``usage`` object); an answer
without one counts as a call with unknown tokens.
"""

from __future__ import annotations

import threading
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, LLMResult
from pydantic import BaseModel


class ModelUsage(BaseModel):
    calls: int = 0
    failed_calls: int = 0
    calls_without_usage: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class Usage(ModelUsage):
    """Totals, and the same figures per model name."""

    by_model: dict[str, ModelUsage] = {}


class UsageCounter(BaseCallbackHandler):
    """Thread-safe tally of chat model calls (LangChain calls; HTTP retries inside one count once)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._total = ModelUsage()
        self._by_model: dict[str, ModelUsage] = {}

    def on_llm_end(self, response: LLMResult, **kwargs: Any) -> None:
        for generations in response.generations:
            for gen in generations[:1]:
                self._record(gen)

    def on_llm_error(self, error: BaseException, **kwargs: Any) -> None:
        with self._lock:
            self._total.failed_calls += 1

    def _record(self, gen: Any) -> None:
        usage = None
        model = "unknown"
        if isinstance(gen, ChatGeneration) and isinstance(gen.message, AIMessage):
            usage = gen.message.usage_metadata
            model = gen.message.response_metadata.get("model_name") or model
        with self._lock:
            per = self._by_model.setdefault(model, ModelUsage())
            for bucket in (self._total, per):
                bucket.calls += 1
                if not usage:
                    bucket.calls_without_usage += 1
                    continue
                bucket.prompt_tokens += int(usage.get("input_tokens", 0))
                bucket.completion_tokens += int(usage.get("output_tokens", 0))
                bucket.total_tokens += int(usage.get("total_tokens", 0))

    @property
    def calls(self) -> int:
        return self._total.calls

    @property
    def total_tokens(self) -> int:
        return self._total.total_tokens

    def snapshot(self) -> Usage:
        """A copy of the figures so far (safe to serialise while calls go on)."""
        with self._lock:
            return Usage(
                **self._total.model_dump(),
                by_model={k: v.model_copy() for k, v in self._by_model.items()},
            )
