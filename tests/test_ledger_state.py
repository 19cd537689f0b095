"""The ledger-state key and the dashboard's cache of forecast, risks and anomalies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Setting
from khazna.ledger.state import StateCache, state_key
from khazna.web.app import create_app
from tests.bundles import write_bundle
from tests.web_helpers import AS_OF, OWNER, ledger_with_draft, login


def test_key_changes_on_import_row_and_setting_not_on_reading(db_url, tmp_path):
    ledger = Ledger(db_url)
    bundle = write_bundle(tmp_path / "bundle")
    import_bundle(ledger, bundle)
    with ledger.read() as s:
        first = state_key(s)
        assert state_key(s) == first  # reading changes nothing
    import_bundle(ledger, bundle)  # idempotent re-import: an import run is still recorded
    with ledger.read() as s:
        second = state_key(s)
    assert second != first
    with ledger.session() as s:
        s.add(Setting(key="confirmed_not_duplicates", value={"pairs": [["E1", "E2"]]}))
    with ledger.read() as s:
        assert state_key(s) != second
    ledger.dispose()


def test_cache_computes_once_per_state(db_url, tmp_path):
    ledger = Ledger(db_url)
    import_bundle(ledger, write_bundle(tmp_path / "bundle"))
    cache, calls = StateCache(size=2), []
    with ledger.read() as s:
        assert cache.get(s, "x", 1, lambda: calls.append(1) or 10) == 10
        assert cache.get(s, "x", 1, lambda: calls.append(1) or 11) == 10
        assert cache.get(s, "x", 2, lambda: calls.append(1) or 12) == 12  # other arguments
    import_bundle(ledger, write_bundle(tmp_path / "bundle"))
    with ledger.read() as s:
        assert cache.get(s, "x", 1, lambda: calls.append(1) or 13) == 13  # a new state
    assert len(calls) == 3
    ledger.dispose()


def test_dashboard_reuses_its_figures_until_an_import(tmp_path):
    url, ledger = ledger_with_draft(tmp_path)
    app = create_app(url, secret="s" * 40)
    with TestClient(app) as web:
        login(web, OWNER)
        page = web.get(f"/dashboard?as_of={AS_OF}").text
        memo = app.state.results
        # forecast, risky invoices, anomalies, where the day stands against the books
        assert (memo.misses, memo.hits) == (4, 0)
        assert web.get(f"/dashboard?as_of={AS_OF}").text == page
        assert (memo.misses, memo.hits) == (4, 4)
        import_bundle(ledger, write_bundle(tmp_path / "bundle2"))
        web.get(f"/dashboard?as_of={AS_OF}")
        assert memo.misses == 8
    ledger.dispose()
    app.state.ledger.dispose()
