"""The weekly reporter as the supervisor calls it: the report in the cycle; for a request
('pourquoi la trésorerie est en tension le 26 ?'), the day's projected flows and balance."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from langchain_core.runnables import RunnableConfig
from sqlalchemy import select

from khazna.agents.deps import AgentDeps
from khazna.agents.reporter.graph import build_reporter_graph
from khazna.agents.reporter.what_if import answer_what_if, is_what_if
from khazna.agents.supervisor.state import ReportResult, SupervisorState
from khazna.ledger.models import Commitment
from khazna.money import format_dzd
from khazna.tools.forecast import forecast

STATUS_FR = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}


def weekly_report(deps: AgentDeps, state: SupervisorState, config: RunnableConfig) -> ReportResult:
    if state.get("mode") == "request":
        if is_what_if(state.get("request", "")):
            return what_if(deps, state)
        return explain_cash(deps, state)
    out = build_reporter_graph().invoke(
        {"as_of": state["as_of"], "send": bool(state.get("send_report", True))}, config
    )
    return {
        "id": out["report_id"],
        "forecast_status": out["facts"]["forecast_status"],
        "sent_to": out.get("sent_to", []),
        "delivery": out.get("delivery"),
        "delivery_note": out.get("delivery_note", ""),
        "writer": out.get("writer"),
        "writer_note": out.get("writer_note", ""),
        "already_sent": bool(out.get("already_sent")),
    }


def what_if(deps: AgentDeps, state: SupervisorState) -> ReportResult:
    """'Et si le client X paie 15 jours plus tard ?' (:mod:`khazna.agents.reporter.what_if`)."""
    return answer_what_if(deps.ledger, state.get("request", ""), state["as_of"])  # type: ignore[return-value]


def explain_cash(deps: AgentDeps, state: SupervisorState) -> ReportResult:
    """'Pourquoi la trésorerie est en tension le 26 ?': the day's projected flows and balance."""
    as_of: date = state["as_of"]
    with deps.ledger.read() as s:
        fc = forecast(s, as_of, 30, explain=True)
    day = parse_day(state.get("request", ""), as_of) or fc.min_balance_date
    row = next((d for d in fc.days if d.date == day), None)
    if row is None:
        return {
            "answer": f"Le {day:%d/%m/%Y} est hors de l'horizon de prévision ({fc.horizon_days} jours à partir du "
            f"{as_of:%d/%m/%Y}).",
            "items": [],
            "value": None,
            "tools": ["forecast"],
        }
    flows = [f for f in (fc.flows or []) if f.date <= day]
    that_day = [f for f in flows if f.date == day]
    outs = sorted((f for f in flows if f.amount < 0), key=lambda f: f.amount)[:5]
    lines = [
        f"Le {day:%d/%m/%Y}, le solde prévu est de {format_dzd(row.balance)} (statut {STATUS_FR[row.status]}, "
        f"seuil {format_dzd(fc.threshold)}), partant de {format_dzd(fc.opening_balance)} au {as_of:%d/%m/%Y}."
    ]
    labels = _commitment_labels(deps)
    if that_day:
        lines.append("Mouvements prévus ce jour-là :")
        lines += [f"- {format_dzd(f.amount)} : {_flow_fr(f, labels)}" for f in that_day]
    if outs:
        lines.append("Principales sorties jusqu'à cette date :")
        lines += [
            f"- {f.date:%d/%m/%Y} {format_dzd(f.amount)} : {_flow_fr(f, labels)}" for f in outs
        ]
    inflow = sum((f.amount for f in flows if f.amount > 0), Decimal(0))
    lines.append(f"Encaissements attendus d'ici là : {format_dzd(inflow)}.")
    return {
        "answer": "\n".join(lines),
        "value": row.balance,
        "items": sorted({f.source for f in that_day + outs}),
        "tools": ["forecast"],
    }


def _commitment_labels(deps: AgentDeps) -> dict[str, str]:
    with deps.ledger.read() as s:
        return {
            cid: label
            for cid, label in s.execute(select(Commitment.commitment_id, Commitment.label))
        }


def _flow_fr(flow, labels: dict[str, str]) -> str:
    """A projected flow in the owner's words (the tool's own detail stays in --explain)."""
    if flow.kind == "commitment":
        return f"échéance {flow.source} ({labels.get(flow.source, flow.source)})"
    if flow.kind == "invoice":
        return f"encaissement attendu de la facture {flow.source}"
    if flow.kind == "learned":
        return f"sortie récurrente apprise du relevé ({flow.source})"
    if flow.kind == "expense":
        return f"dépense prévue {flow.source}"
    if flow.kind == "background":
        return "dépenses courantes (médiane des dernières semaines)"
    if flow.kind == "takings":
        return "recettes courantes hors factures (médiane des dernières semaines)"
    return f"{flow.kind} {flow.source}"


def parse_day(text: str, as_of: date) -> date | None:
    """'le 26', '26/12', '26/12/2026', '2026-12-26' → the date meant, from ``as_of`` on."""
    if m := re.search(r"(\d{4})-(\d{2})-(\d{2})", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b", text):
        return date(int(m[3] or as_of.year), int(m[2]), int(m[1]))
    if m := re.search(r"\b(?:le|du|au|on|the)\s+(\d{1,2})\b", text, re.I):
        day = int(m[1])
        d = as_of
        for _ in range(62):
            d += timedelta(days=1)
            if d.day == day:
                return d
    return None
