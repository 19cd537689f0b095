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
from khazna.agents.routes import DEFAULT_ROUTE, figure_request, route_by_rules
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


# the specialists that list things (reports, anomalies): a figure question their words evoke
# is still the assistant's when it reads it whole
_LISTING = ("weekly_reporter", "anomaly_analyst")


def route_offline(ledger: Ledger, question: str, as_of: date) -> tuple[str, str, Any]:
    """The offline route of a request, its reason, and the assistant's answer when it takes
    it. A request for one figure that the rules send to a listing specialist goes to the
    assistant instead when its reader reads every word and names no unknown party: "combien
    de dépenses sans justificatif ce mois-ci ?" is a count, not the anomaly list."""
    route, reason = route_by_rules(question)
    if route == DEFAULT_ROUTE.name:
        return route, reason, None
    if route in _LISTING and figure_request(question):
        with ledger.read() as s:
            a = answer_offline(s, question, as_of)
        if a.value is not None and not a.unresolved:
            return DEFAULT_ROUTE.name, f"question chiffrée lue en entier ({reason})", a
    return route, reason, None


def ask_offline(
    ledger: Ledger, question: str, as_of: date, *, note: str = ""
) -> dict[str, Any] | None:
    """The answer of an offline request for the assistant; None when another route takes it.
    ``note``: why the offline reader answers (put before the reader's own note)."""
    route, reason, answer = route_offline(ledger, question, as_of)
    if route == "weekly_reporter":
        # loaded here: the forecast engine (numpy) stays off the path of a plain question
        from khazna.agents.reporter.what_if import answer_what_if, is_what_if
    if route == "weekly_reporter" and is_what_if(question):  # the graph would run the same
        result = dict(answer_what_if(ledger, question, as_of))
        if note:
            result["note"] = "; ".join(x for x in (note, str(result.get("note") or "")) if x)
        return request_answer(route, reason, result, OFFLINE_USAGE)
    if route != DEFAULT_ROUTE.name:
        return None
    if answer is None or note:
        with ledger.read() as s:
            answer = answer_offline(s, question, as_of, note=note)
    return request_answer(route, reason, answer.model_dump(mode="python"), OFFLINE_USAGE)
