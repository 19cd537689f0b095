"""The specialists as the supervisor calls them, in the weekly cycle and for a request.

Each returns a small dict for the run's JSON and, for a request, an ``answer`` text with
the ids it rests on. Figures come from the tools; words from templates or a checked model.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from khazna.money import format_dzd

INVOICE_RX = re.compile(r"\b[A-Z]{1,4}\d{4}-\d{2,6}\b", re.I)


def check_invoices(deps, state) -> dict:
    from khazna.ledger.models import Invoice
    from khazna.tools.invoice_check.ledger_check import check_ledger, check_number
    from khazna.tools.invoice_check.models import InvoiceReadError

    as_of: date = state["as_of"]
    with deps.ledger.read() as s:
        if state.get("mode") == "request":
            numbers = [n.upper() for n in INVOICE_RX.findall(state.get("request", ""))]
            if not numbers:
                return {
                    "answer": "Quelle facture ? Donnez son numéro, par exemple F2026-0142.",
                    "items": [],
                    "value": None,
                }
            lines, items, errors = [], [], 0
            for n in numbers:
                try:
                    r = check_number(s, n, as_of)
                except InvoiceReadError as err:
                    lines.append(f"{n} : {err}")
                    continue
                items.append(n)
                errs = [f for f in r.findings if f.severity == "error"]
                errors += len(errs)
                if not r.findings:
                    lines.append(f"{n} : conforme, aucune remarque.")
                else:
                    lines.append(
                        f"{n} : {len(errs)} erreur(s), {len(r.findings) - len(errs)} avertissement(s)."
                    )
                    lines += [f"  - {f.code} : {f.message}" for f in r.findings]
            return {
                "answer": "\n".join(lines),
                "items": items,
                "value": errors,
                "tools": ["check_invoice"],
            }
        since = (state.get("changes") or {}).get("since")
        result = check_ledger(s, as_of)
        new = (
            {
                n
                for n in s.scalars(
                    select(Invoice.number).where(Invoice.issue_date > date.fromisoformat(since))
                )
            }
            if since
            else None
        )
    concerned = [r for r in result.invoices if new is None or (r.number in new)]
    findings = sum(len([f for f in r.findings if f.severity == "error"]) for r in concerned)
    findings += len([f for f in result.ledger_findings if f.severity == "error"])
    return {
        "invoices_checked": len(concerned),
        "findings": findings,
        "with_errors": [r.number for r in concerned if not r.ok][:50],
    }


def analyse_anomalies(deps, state) -> dict:
    from khazna.tools.anomalies import AnomaliesInput, detect_anomalies

    as_of: date = state["as_of"]
    since = (state.get("changes") or {}).get("since")
    lo = date.fromisoformat(since) + timedelta(days=1) if since else as_of - timedelta(days=30)
    with deps.ledger.read() as s:
        out = detect_anomalies(s, AnomaliesInput(date_from=lo, date_to=as_of))
    found = out.anomalies
    if state.get("mode") == "request":
        if not found:
            return {
                "answer": f"Aucune anomalie entre le {lo:%d/%m/%Y} et le {as_of:%d/%m/%Y}.",
                "items": [],
                "value": 0,
                "tools": ["anomalies"],
            }
        lines = [f"{len(found)} anomalie(s) entre le {lo:%d/%m/%Y} et le {as_of:%d/%m/%Y} :"]
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


def write_reminders(deps, state, config) -> dict:
    from khazna.agents.dunning.graph import build_dunning_graph

    inputs = {"as_of": state["as_of"], "run_id": state.get("run_id", "")}
    if state.get("mode") == "request":
        client = find_client(deps, state.get("request", ""))
        if client is None:
            return {
                "answer": "Pour quel client ? Je n'ai reconnu aucun client dans la demande.",
                "items": [],
                "value": None,
                "drafts": [],
            }
        inputs["client_id"] = client[0]
    else:
        client = ("", "")
    out = build_dunning_graph().invoke(inputs, config)
    if state.get("mode") != "request":
        return out
    drafts, skipped = out.get("drafts", []), out.get("skipped", [])
    if drafts:
        d = drafts[0]
        text = (
            f"Relance de niveau {d['level']} préparée pour {client[1]} ({', '.join(d['invoice_numbers'])}) : "
            f"elle attend votre approbation (khazna inbox show {d['draft_id']})."
        )
        return {
            **out,
            "answer": text,
            "items": [d["draft_id"], *d["invoice_numbers"]],
            "value": len(drafts),
        }
    if skipped:
        why = {
            "dispute": "un litige est ouvert",
            "promise": "une promesse de paiement court encore",
            "pending_draft": "une relance attend déjà votre approbation",
            "already_reminded": "une relance de ce niveau a déjà été envoyée",
        }
        lines = [f"Pas de nouvelle relance pour {client[1]} :"]
        lines += [
            f"- {k['number']} : {why.get(k['reason'], k['reason'])} ({k['ref']})" for k in skipped
        ]
        return {
            **out,
            "answer": "\n".join(lines),
            "items": [k["number"] for k in skipped],
            "value": 0,
        }
    return {
        **out,
        "answer": f"{client[1]} n'a aucune facture en retard à relancer au {state['as_of']:%d/%m/%Y}.",
        "items": [client[0]],
        "value": 0,
    }


def find_client(deps, text: str) -> tuple[str, str] | None:
    """The client named in a request (longest name or id found, accents and case ignored)."""
    import unicodedata

    from khazna.ledger.models import Client

    def norm(t: str) -> str:
        t = unicodedata.normalize("NFKD", t.lower())
        return " ".join("".join(c for c in t if not unicodedata.combining(c)).split())

    t = norm(text)
    best: tuple[int, str, str] | None = None
    with deps.ledger.read() as s:
        for cid, name in s.execute(select(Client.client_id, Client.name)):
            for cand in {
                norm(name),
                norm(cid),
                norm(re.sub(r"\b(sarl|spa|eurl|snc|epe|epic)\b", "", name, flags=re.I)),
            }:
                if cand and len(cand) >= 3 and re.search(rf"(?<!\w){re.escape(cand)}(?!\w)", t):
                    if best is None or len(cand) > best[0]:
                        best = (len(cand), cid, name)
    return (best[1], best[2]) if best else None


def weekly_report(deps, state, config) -> dict:
    if state.get("mode") == "request":
        return explain_cash(deps, state)
    from khazna.agents.reporter.graph import build_reporter_graph

    out = build_reporter_graph().invoke(
        {"as_of": state["as_of"], "send": bool(state.get("send_report", True))}, config
    )
    return {
        "id": out["report_id"],
        "forecast_status": out["facts"]["forecast_status"],
        "sent_to": out.get("sent_to", []),
        "writer": out.get("writer"),
        "writer_note": out.get("writer_note", ""),
    }


def explain_cash(deps, state) -> dict:
    """'Pourquoi la trésorerie est en tension le 26 ?': the day's projected flows and balance."""
    from khazna.agents.supervisor.nodes import parse_day
    from khazna.tools.forecast import forecast

    as_of: date = state["as_of"]
    with deps.ledger.read() as s:
        fc = forecast(s, as_of, 30, explain=True)
    day = parse_day(state.get("request", ""), as_of) or fc.min_balance_date
    row = next((d for d in fc.days if d.date == day), None)
    status_fr = {"ok": "OK", "a_surveiller": "à surveiller", "tension": "tension"}
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
        f"Le {day:%d/%m/%Y}, le solde prévu est de {format_dzd(row.balance)} (statut {status_fr[row.status]}, "
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


def _commitment_labels(deps) -> dict[str, str]:
    from khazna.ledger.models import Commitment

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
    return f"{flow.kind} {flow.source}"


def answer(deps, state) -> dict:
    from khazna.agents.assistant import answer_question

    with deps.ledger.read() as s:
        a = answer_question(
            s,
            state.get("request", ""),
            state["as_of"],
            model=deps.model,
            callbacks=[deps.usage] if deps.usage is not None else None,
        )
    return a.model_dump(mode="python")
