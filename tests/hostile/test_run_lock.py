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


def test_a_second_run_while_another_process_runs_is_told_not_crashed(tmp_path, db_url):
    """On SQLite and on PostgreSQL (``KHAZNA_TEST_PG_URL``): the lock is a row of the
    ledger database, so it holds across processes and machines."""
    db = db_url
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


def test_two_khazna_run_started_at_once_one_runs_the_other_is_told(tmp_path, db_url):
    """The attack as a user makes it: two ``khazna run`` programs started together on one
    ledger. Each either ran or said "un passage est déjà en cours" (exit 1); none raised."""
    import_bundle(Ledger(db_url), write_bundle(tmp_path / "b"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]),
           "KHAZNA_HOME": str(tmp_path / "home")}  # fmt: skip
    env.pop("OPENAI_API_KEY", None)
    khazna = str(Path(sys.executable).parent / "khazna")
    args = [khazna, "run", "--no-send", "--as-of", "2026-03-31", "--db", db_url]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]  # fmt: skip
    outs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outs, strict=True):
        assert "Traceback" not in err and "IntegrityError" not in err, err
        assert proc.returncode == 0 or (
            proc.returncode == 1 and "un passage est déjà en cours" in err
        ), (proc.returncode, err)
    assert 0 in [p.returncode for p in procs]
