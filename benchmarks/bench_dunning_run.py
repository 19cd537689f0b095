"""The run's dunning writer alone, on a copy of a ledger, by CPU time (issue 16.6).

    .venv/bin/python benchmarks/bench_dunning_run.py LEDGER.db [--as-of 2026-10-29] [--profile OUT]

Copies ``LEDGER.db`` (e.g. the one ``benchmarks/million.py --keep DIR`` leaves in DIR) to a
temporary folder, then runs the dunning writer's graph as ``khazna run`` does (offline, no
memory), every due reminder written and its approval thread started up to its interrupt;
prints the drafts written, the CPU seconds of this process (user + system: it moves less with
the machine's load than the wall clock) and the wall seconds, and per draft. ``--profile``
also writes a cProfile (by CPU) of the call.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("ledger", type=Path)
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 29))
    ap.add_argument("--profile", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="khazna-dunning-"))
    try:
        db = work / "khazna.db"
        shutil.copy(args.ledger, db)
        os.environ["KHAZNA_HOME"] = str(work / "home")
        from khazna.agents.deps import AgentDeps
        from khazna.agents.dunning.graph import build_dunning_graph
        from khazna.ledger.db import Ledger

        deps = AgentDeps(ledger=Ledger(f"sqlite:///{db}"))
        graph = build_dunning_graph()
        inputs = {"as_of": args.as_of, "run_id": "bench"}
        config = {"configurable": {"deps": deps}}
        prof = cProfile.Profile(time.process_time) if args.profile else None
        t0, c0 = time.perf_counter(), os.times()
        if prof:
            prof.enable()
        out = graph.invoke(inputs, config)
        if prof:
            prof.disable()
            prof.dump_stats(args.profile)
        c1, wall = os.times(), time.perf_counter() - t0
        cpu = (c1.user - c0.user) + (c1.system - c0.system)
        n = len(out.get("drafts", []))
        print(f"{n} drafts: CPU {cpu:.2f} s (user {c1.user - c0.user:.2f}, system "
              f"{c1.system - c0.system:.2f}), wall {wall:.2f} s; "
              f"{1000 * cpu / max(n, 1):.1f} ms CPU a draft [load {os.getloadavg()[0]:.2f}]")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
