"""The anomaly analyst as the supervisor calls it: the spends since the last run (or the
last 30 days), counted for the cycle, listed for a request."""

from __future__ import annotations

from datetime import date, timedelta

from langchain_core.runnables import RunnableConfig

from khazna.agents.deps import AgentDeps
from khazna.agents.supervisor.state import AnalystResult, SupervisorState
from khazna.text import count
from khazna.tools.anomalies import AnomaliesInput
from khazna.tools.stored import anomalies_of


def analyse_anomalies(
    deps: AgentDeps, state: SupervisorState, config: RunnableConfig
) -> AnalystResult:
    as_of: date = state["as_of"]
    since = changes["since"] if (changes := state.get("changes")) else None
    lo = date.fromisoformat(since) + timedelta(days=1) if since else as_of - timedelta(days=30)
    with deps.ledger.read() as s:
        out = anomalies_of(s, AnomaliesInput(date_from=lo, date_to=as_of))
    found = out.anomalies
    if state.get("mode") == "request":
        if not found:
            return {
                "answer": f"Aucune anomalie entre le {lo:%d/%m/%Y} et le {as_of:%d/%m/%Y}.",
                "items": [],
                "value": 0,
                "tools": ["anomalies"],
            }
        lines = [
            f"{count(len(found), 'anomalie', 'anomalies')} entre le {lo:%d/%m/%Y} et le {as_of:%d/%m/%Y} :"
        ]
        lines += [f"- {a.reason}" for a in found[:20]]
        return {
            "answer": "\n".join(lines),
            "items": [r for a in found for r in a.refs],
            "value": len(found),
            "tools": ["anomalies"],
        }
    return {
        "count": len(found),
        "counts": out.counts,
        "duplicates": [a.refs for a in found if a.kind == "duplicate_payment"],
    }
