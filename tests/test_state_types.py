"""The graph states' TypedDicts say what the nodes really write: a weekly cycle and one
request per specialist, on the test ledger, conform to SupervisorState member by member;
the TypedDicts that mirror a pydantic model's dump have that model's fields."""

from __future__ import annotations

import types
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

from pydantic import BaseModel

from khazna.agents.approval.state import Decision, DecisionData
from khazna.agents.assistant import Answer
from khazna.agents.deps import AgentDeps
from khazna.agents.dunning.state import DunningState, SkippedReminder
from khazna.agents.reporter.facts import OutOfNorm, ReportFacts, RiskyInvoice, build_report_facts
from khazna.agents.reporter.state import OutOfNormData, ReportFactsData, RiskyInvoiceData
from khazna.agents.supervisor.graph import RECURSION_LIMIT, build_supervisor_graph
from khazna.agents.supervisor.state import AssistantAnswer, SupervisorState
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.mail.transport import FileOutbox
from khazna.tools.dunning import Skipped, select_reminders
from tests.bundles import write_bundle


def problems(value: Any, tp: Any, where: str = "$") -> list[str]:
    """Where ``value`` does not conform to the type ``tp`` (TypedDicts, lists, dicts,
    literals, unions and classes: what the states use)."""
    if tp is Any or tp is object:
        return []
    if is_typeddict(tp):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a {tp.__name__}"]
        hints = get_type_hints(tp)
        out = [f"{where}.{k}: not a key of {tp.__name__}" for k in value if k not in hints]
        out += [f"{where}.{k}: missing" for k in tp.__required_keys__ if k not in value]
        for k, v in value.items():
            if k in hints:
                out += problems(v, hints[k], f"{where}.{k}")
        return out
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        alternatives = [problems(value, a, where) for a in get_args(tp)]
        return [] if any(not p for p in alternatives) else min(alternatives, key=len)
    if origin is Literal:
        return [] if value in get_args(tp) else [f"{where}: {value!r} not in {get_args(tp)}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {type(value).__name__}, not a list"]
        (item,) = get_args(tp)
        return [p for i, v in enumerate(value) for p in problems(v, item, f"{where}[{i}]")]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not a dict"]
        kt, vt = get_args(tp)
        return [
            p
            for k, v in value.items()
            for p in problems(k, kt, where) + problems(v, vt, f"{where}.{k}")
        ]
    if tp is int and isinstance(value, bool):
        return [f"{where}: a bool, not an int"]
    if tp is float and isinstance(value, int):
        return []
    return [] if isinstance(value, tp) else [f"{where}: {type(value).__name__}, not {tp.__name__}"]


def _ledger(tmp_path) -> Ledger:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    return ledger


def _run(deps: AgentDeps, state: SupervisorState) -> dict[str, Any]:
    return build_supervisor_graph().invoke(
        state, {"configurable": {"deps": deps}, "recursion_limit": RECURSION_LIMIT}
    )


def test_the_supervisor_state_holds_what_the_specialists_write(tmp_path):
    deps = AgentDeps(ledger=_ledger(tmp_path), transport=FileOutbox(tmp_path / "outbox"))
    cycle = _run(
        deps,
        {"mode": "cycle", "as_of": date(2026, 3, 26), "run_id": "t", "send_report": False},
    )
    assert {"changes", "dunning", "report"} <= set(cycle)
    assert cycle["dunning"]["drafts"] and problems(cycle, SupervisorState) == []
    requests = {
        "weekly_reporter": "pourquoi la trésorerie est en tension le 25/02 ?",
        "invoice_checker": "vérifie la facture F2026-0002",
        "dunning_writer": "prépare une relance pour Sonatel",
        "anomaly_analyst": "des paiements en double ?",
        "assistant": "total des créances de plus de 5 jours ?",
    }
    for route, request in requests.items():
        out = _run(
            deps,
            {"mode": "request", "as_of": date(2026, 2, 20), "request": request, "run_id": "ask"},
        )
        assert out["route"] == route and problems(out, SupervisorState) == [], request
    report = _run(
        deps,
        {"mode": "request", "as_of": date(2026, 2, 20), "request": requests["weekly_reporter"]},
    )
    assert isinstance(report["report"]["value"], Decimal)


def test_the_plain_data_typeddicts_have_their_models_fields(tmp_path):
    pairs: list[tuple[type, type[BaseModel]]] = [
        (DecisionData, Decision),
        (SkippedReminder, Skipped),
        (ReportFactsData, ReportFacts),
        (RiskyInvoiceData, RiskyInvoice),
        (OutOfNormData, OutOfNorm),
        (AssistantAnswer, Answer),
    ]
    for typed, model in pairs:
        assert set(get_type_hints(typed)) == set(model.model_fields), typed.__name__
    ledger = _ledger(tmp_path)
    with ledger.read() as s:
        facts = build_report_facts(s, date(2026, 2, 26))
        selection = select_reminders(s, date(2026, 3, 26))
    dumped = facts.model_dump(mode="json")
    assert dumped["riskiest"] and dumped["forecast_days"]
    assert problems(dumped, ReportFactsData) == []
    assert selection.plans and problems({"plans": selection.plans}, DunningState) == []
    for k in selection.skipped:
        assert problems(k.model_dump(), SkippedReminder) == []
    for d in (Decision(action="approve"), Decision(action="edit", subject="s", detailed="d")):
        assert problems(d.model_dump(), DecisionData) == []
