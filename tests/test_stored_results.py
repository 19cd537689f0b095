"""Results kept in the ledger per ledger state (``tools/stored.py``) read back equal, byte for
byte in JSON, to what the engines compute on the demo books; a new state computes again."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from khazna.demo.generator import generate
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Setting
from khazna.ledger.state import stored
from khazna.ledger.tables_cache import ResultCache
from khazna.tools import stored as kept
from khazna.tools.anomalies import AnomaliesInput, detect_anomalies, open_anomalies
from khazna.tools.forecast import Forecast, forecast
from khazna.tools.payment_profiles import riskiest

AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("stored")
    generate(root / "bundle", seed=7, as_of=AS_OF)
    ledger = Ledger(f"sqlite:///{root / 'k.db'}")
    import_bundle(ledger, root / "bundle", replace=True)
    yield ledger
    ledger.dispose()


def _json(value) -> str:
    if isinstance(value, list):
        return "[" + ",".join(v.model_dump_json() for v in value) + "]"
    return value.model_dump_json()


LAST30 = AnomaliesInput(date_from=AS_OF - timedelta(days=30), date_to=AS_OF)
CASES = {
    "forecast": (lambda s: forecast(s, AS_OF, 30), lambda s: kept.forecast_of(s, AS_OF, 30)),
    "forecast_explain": (
        lambda s: forecast(s, AS_OF, 45, explain=True),
        lambda s: kept.forecast_of(s, AS_OF, 45, explain=True),
    ),
    "riskiest": (lambda s: riskiest(s, AS_OF, n=10), lambda s: kept.riskiest_of(s, AS_OF, 10)),
    "open_anomalies": (
        lambda s: open_anomalies(s, AS_OF),
        lambda s: kept.open_anomalies_of(s, AS_OF),
    ),
    "anomalies": (lambda s: detect_anomalies(s, LAST30), lambda s: kept.anomalies_of(s, LAST30)),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_stored_result_reads_back_equal_to_the_engine(demo, case):
    engine, cached = CASES[case]
    with demo.read() as s:
        direct = engine(s)
    with demo.read() as s:
        first = cached(s)  # computed, and stored
    with demo.read() as s:
        rows = s.query(ResultCache).count()
        again = cached(s)  # read from the table
        assert s.query(ResultCache).count() == rows
    assert again == direct and first == direct
    assert _json(again) == _json(direct)
    assert again is not first


def test_stored_is_computed_once_per_state_and_again_after_a_change(demo):
    calls: list[int] = []

    def make():
        calls.append(1)
        with demo.read() as s:
            return forecast(s, AS_OF, 10)

    for _ in range(2):
        with demo.read() as s:
            stored(s, "forecast-test", [AS_OF, 10], make, Forecast)
    assert len(calls) == 1
    with demo.session() as s:  # a changed setting is a new state
        s.add(Setting(key="stored-test", value={"x": 1}))
    with demo.read() as s:
        stored(s, "forecast-test", [AS_OF, 10], make, Forecast)
        # one row per (what, args): the new state replaced the old one
        assert s.query(ResultCache).filter_by(what="forecast-test").count() == 1
    assert len(calls) == 2


def test_the_agents_own_settings_do_not_change_the_state(demo):
    from khazna.agents import alerts, schedule
    from khazna.ledger.state import AGENTS_OWN, state_key

    assert {alerts.STATE_KEY, schedule.STATE_KEY} == AGENTS_OWN
    with demo.read() as s:
        before = state_key(s)
    with demo.session() as s:
        s.merge(Setting(key=alerts.STATE_KEY, value={"checked": "2026-11-26"}))
    with demo.read() as s:
        assert state_key(s) == before


def test_a_result_kept_by_other_code_is_not_read_back(demo, monkeypatch):
    """What an older version of Khazna kept (its figures, its words: "paid on …, 1 year(s)
    before" in ``forecast --explain``) is recomputed after an upgrade, not shown again."""
    from khazna.ledger import state as ledger_state

    calls: list[int] = []

    def make():
        calls.append(1)
        with demo.read() as s:
            return forecast(s, AS_OF, 9)

    with demo.read() as s:
        stored(s, "forecast-code", [AS_OF, 9], make, Forecast)
        stored(s, "forecast-code", [AS_OF, 9], make, Forecast)
    assert len(calls) == 1
    monkeypatch.setattr(ledger_state, "code_key", lambda: "another-version")
    with demo.read() as s:
        stored(s, "forecast-code", [AS_OF, 9], make, Forecast)
    assert len(calls) == 2
