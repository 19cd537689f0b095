"""The supervisor offline: the weekly cycle's shape (spec/cli.md) and free requests routed
to the right specialist, each answer resting on ids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import get_args

from khazna.agents.deps import AgentDeps
from khazna.agents.registry import SPECIALISTS
from khazna.agents.run import ask, run_cycle
from khazna.agents.supervisor.graph import build_supervisor_graph
from khazna.agents.supervisor.nodes import Next
from khazna.agents.supervisor.state import Specialist, SupervisorState
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.mail.transport import FileOutbox
from khazna.tools.names import find_client, find_party
from tests.bundles import write_bundle


def _deps(tmp_path) -> AgentDeps:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    return AgentDeps(ledger=ledger, transport=FileOutbox(tmp_path / "outbox"))


def test_the_weekly_cycle_has_the_spec_shape_and_runs_once_a_day(tmp_path):
    deps = _deps(tmp_path)
    out = run_cycle(deps, date(2026, 3, 26), send_report=False)  # a Thursday: the report is due
    assert {"as_of", "run_id", "drafts", "report", "anomalies", "invoice_findings"} <= set(out)
    assert out["report"]["id"] == "R20260326" and out["report"]["forecast_status"] in (
        "ok",
        "a_surveiller",
        "tension",
    )
    assert [(d["client_id"], d["level"], d["status"]) for d in out["drafts"]] == [
        ("C01", 3, "pending_approval")
    ]
    assert out["model_calls"] == 0 and out["model"] == "offline"
    # how long each specialist that ran took, and the run's own steps (issue 16)
    t = out["timings"]
    assert {"dunning_writer", "weekly_reporter", "replies", "open_anomalies", "total"} <= set(t)
    assert all(v >= 0 for v in t.values()) and t["total"] >= t["dunning_writer"]
    cpu = out["cpu"]  # the CPU of each specialist's thread, and of the whole run
    assert {"dunning_writer", "weekly_reporter", "total"} <= set(cpu)
    assert all(v >= 0 for v in cpu.values()) and cpu["total"] >= cpu["dunning_writer"]
    again = run_cycle(deps, date(2026, 3, 26), send_report=False)
    assert again["drafts"] == []
    midweek = run_cycle(deps, date(2026, 3, 24), send_report=False)  # a Tuesday: no report
    assert midweek["report"] is None


def test_free_requests_reach_the_right_specialist(tmp_path):
    deps = _deps(tmp_path)
    as_of = date(2026, 2, 20)
    cash = ask(deps, "pourquoi la trésorerie est en tension le 25/02 ?", as_of)
    assert cash["route"] == "weekly_reporter"
    # 4 309 500 on 20/02 − salaries 1 200 000 on 25/02, counted once although E001 books them ahead
    assert "échéance K01 (Salaires)" in cash["answer"] and cash["value"] == Decimal("3109500.00")
    assert "E001" not in cash["answer"]
    check = ask(deps, "vérifie la facture F2026-0002", as_of)
    assert check["route"] == "invoice_checker" and check["items"] == ["F2026-0002"]
    remind = ask(deps, "prépare une relance pour Sonatel", as_of)
    assert remind["route"] == "dunning_writer" and remind["items"][0] == "D20260220-C01-L2"
    question = ask(deps, "total des créances de plus de 5 jours ?", as_of)
    # F2026-0001 is 11 days late, F2026-0002 6 days (its cheque came back): both over 5
    assert question["route"] == "assistant" and sorted(question["items"]) == [
        "F2026-0001",
        "F2026-0002",
    ]


def test_registry_is_the_one_list_of_specialists():
    """The supervisor's node names, its Command destinations and the state's literal are
    the registry's: a specialist added to the registry and not there fails here."""
    names = [s.name for s in SPECIALISTS]
    assert set(get_args(Specialist)) == set(names)
    assert set(get_args(Next)) == {*names, "finalize"}
    assert {s.key for s in SPECIALISTS} <= set(SupervisorState.__annotations__)
    assert set(build_supervisor_graph().get_graph().nodes) >= set(names)
    assert [s.name for s in SPECIALISTS if s.rule is None] == ["assistant"]


def test_one_resolver_names_the_same_client_in_a_reminder_and_in_a_question(tmp_path):
    deps = _deps(tmp_path)
    with deps.ledger.read() as s:
        for text, cid in [
            ("prépare une relance pour Sonatel", "C01"),
            ("relance C02", "C02"),
            ("relance la laiterie tell", "C02"),
            ("relance Sonatell", "C01"),  # misspelt: the question's resolver accepts it too
            ("relance les clients en retard", None),
        ]:
            found = find_client(s, text)
            party = find_party(s, text, ("client",)).party
            assert (found[0] if found else None) == cid
            assert (party.party_id if party else None) == cid
