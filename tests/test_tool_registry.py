"""The engine's LangChain tools give the same figures as the plain functions."""

from __future__ import annotations

from datetime import date

from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.tools.receivables import aging_report
from khazna.tools.registry import engine_tools
from tests.bundles import write_bundle


def test_tools_wrap_the_engine(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    tools = {t.name: t for t in engine_tools(ledger)}
    assert set(tools) == {
        "aging",
        "forecast",
        "riskiest_invoices",
        "categorize",
        "anomalies",
        "check_invoice",
    }
    assert "as_of" in tools["aging"].args
    out = tools["aging"].invoke({"as_of": "2026-03-31"})
    with ledger.read() as s:
        expected = aging_report(s, date(2026, 3, 31))
    assert out["totals"]["total"] == float(expected.totals["total"]) == 254600
    fc = tools["forecast"].invoke({"as_of": "2026-03-31", "days": 10})
    assert len(fc["days"]) == 10 and fc["status"] in ("ok", "a_surveiller", "tension")
    checked = tools["check_invoice"].invoke({"number": "F2026-0001", "as_of": "2026-03-31"})
    assert checked["number"] == "F2026-0001" and isinstance(checked["findings"], list)
