"""Issue 15 part 6: two ``khazna run`` at once. The second says "un passage est déjà en cours"
(a lock row in the ledger database, held across processes), never IntegrityError; a lock left
by a dead process is taken over once stale."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

from khazna.agents.deps import AgentDeps
from khazna.agents.run import run_cycle
from khazna.agents.run_lock import RunBusy, run_lock
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from tests.bundles import write_bundle

AS_OF = date(2026, 3, 31)


def test_a_second_run_while_another_process_runs_is_told_not_crashed(tmp_path):
    db = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(db)
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    script = textwrap.dedent(f"""
        import sys, time
        from khazna.agents.run_lock import run_lock
        from khazna.ledger.db import Ledger
        with run_lock(Ledger({db!r}), "other"):
            print("held", flush=True)
            sys.stdin.readline()
    """)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    holder = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=env)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        deps = AgentDeps(ledger=ledger)
        with pytest.raises(RunBusy, match="un passage est déjà en cours"):
            run_cycle(deps, AS_OF, send_report=False)
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    out = run_cycle(AgentDeps(ledger=ledger), AS_OF, send_report=False)  # released: runs
    assert out["changes"].get("since") in (None, "")  # the lock row is not a past run
    with run_lock(ledger, "after"):  # and the run released it too
        pass


def test_a_lock_left_by_a_dead_process_is_taken_over_when_stale(tmp_path, monkeypatch):
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    import_bundle(ledger, write_bundle(tmp_path / "b"))
    cm = run_lock(ledger, "dead")
    cm.__enter__()  # never left: as if the process had been killed
    with pytest.raises(RunBusy):
        with run_lock(ledger, "second"):
            pass
    monkeypatch.setenv("KHAZNA_RUN_LOCK_HOURS", "0")
    with run_lock(ledger, "third"):
        pass
