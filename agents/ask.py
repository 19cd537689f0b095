"""A free request (``khazna ask``) as one dict, and its offline fast path.

Offline, a request the rules route to the assistant is answered without building the
supervisor graph, the model client or the memory: the same answer (the assistant's offline
reader is what the graph would run), in a fraction of the start-up time (langgraph and
chromadb stay unloaded; benchmarks/bench_ask.py). Any other route goes through the graph.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from khazna.agents.assistant import answer_offline
from khazna.agents.routes import DEFAULT_ROUTE, route_by_rules
from khazna.ledger.db import Ledger

_HEAD = ("answer", "value", "items", "tools")


def request_answer(
    route: str, reason: str, result: Mapping[str, Any], usage: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``ask --json`` document: answer, value, items, tools, route, then the rest."""
    return {
        "answer": result.get("answer", ""),
        "value": result.get("value"),
        "items": result.get("items", []),
        "tools": result.get("tools", [route]),
        "route": route,
        "route_reason": reason,
        **{k: v for k, v in result.items() if k not in _HEAD},
        **usage,
    }


OFFLINE_USAGE = {"model_calls": 0, "tokens": 0, "model": "offline"}


def ask_offline(ledger: Ledger, question: str, as_of: date) -> dict[str, Any] | None:
    """The answer of an offline request for the assistant; None when another route takes it."""
    route, reason = route_by_rules(question)
    if route != DEFAULT_ROUTE.name:
        return None
    with ledger.read() as s:
        result = answer_offline(s, question, as_of).model_dump(mode="python")
    return request_answer(route, reason, result, OFFLINE_USAGE)
