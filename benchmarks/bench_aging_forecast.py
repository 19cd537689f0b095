"""Aging, forecast and riskiest on a large ledger: median of 3 runs per step, peak RSS, load.

    .venv/bin/python benchmarks/bench_aging_forecast.py [--keep DIR] [--runs 3]
        [--lines 1000000] [--invoices 200000] [--clients 5000] [--steps aging,forecast,...]

The ledger is the one of ``bench_engine.py`` (same generator, same seed): SQLite, 5,000
clients, 200,000 invoices, ~180,000 payments, 1,000,000 bank lines. With ``--keep DIR`` it
is built once in DIR and reused. Each step runs ``--runs`` times in one fresh subprocess,
each time in a new read session; the median wall time is printed with the process's peak
RSS and ``os.getloadavg()`` (2 cores shared: a load well above 2 inflates every figure).
Steps: ``aging`` (aging_report), ``forecast`` (30 days), ``riskiest`` (top 10), and
``shared`` (the three in a row on one session with one :class:`EngineCache`, as a report
that shows all three would call them). ``--url`` measures a ledger that already holds this
data elsewhere (a PostgreSQL copy, say) instead of building one.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_engine import AS_OF, build  # noqa: E402

STEPS = ("aging", "forecast", "riskiest", "shared")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def measure(url: str, runs: int, steps: list[str]) -> None:
    """Runs in the child process."""
    import gc

    from khazna.ledger.db import Ledger
    from khazna.tools.forecast import forecast
    from khazna.tools.payment_profiles import riskiest
    from khazna.tools.receivables import aging_report

    try:
        from khazna.tools.receivables import EngineCache
    except ImportError:  # before the cache existed
        EngineCache = None  # noqa: N806

    def shared(s):
        cache = EngineCache() if EngineCache else None
        kw = {"cache": cache} if cache else {}
        a = aging_report(s, AS_OF, **kw)
        f = forecast(s, AS_OF, days=30, **kw)
        r = riskiest(s, AS_OF, 10, **kw)
        return len(a.clients) + len(f.days) + len(r)

    fns = {
        "aging": lambda s: len(aging_report(s, AS_OF).clients),
        "forecast": lambda s: len(forecast(s, AS_OF, days=30).days),
        "riskiest": lambda s: len(riskiest(s, AS_OF, 10)),
        "shared": shared,
    }
    ledger = Ledger(url, migrate=False)
    print(f"after imports: peak RSS {_peak_mib():.0f} MiB, {_load()}", flush=True)
    for name in steps:
        times, cpu = [], []
        for _ in range(runs):
            with ledger.read() as s:
                t0, c0 = time.perf_counter(), time.process_time()
                n = fns[name](s)
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
            gc.collect()
        runs_s = " ".join(f"{t:.2f}" for t in times)
        print(
            f"{name:<9} median {statistics.median(times):6.2f} s wall, "
            f"{statistics.median(cpu):5.2f} s CPU  (wall runs {runs_s})  {n:>6} rows  "
            f"peak RSS {_peak_mib():5.0f} MiB  {_load()}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--invoices", type=int, default=200_000)
    ap.add_argument("--clients", type=int, default=5_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--steps", default=",".join(STEPS), help="comma-separated: " + ",".join(STEPS))
    ap.add_argument("--keep", type=Path, help="build (or reuse) the ledger in this folder")
    ap.add_argument("--url", help="measure this existing ledger (database URL) instead")
    ap.add_argument("--measure", help=argparse.SUPPRESS)
    args = ap.parse_args()
    steps = [s for s in args.steps.split(",") if s]
    if bad := [s for s in steps if s not in STEPS]:
        ap.error(f"unknown step(s) {bad}; choose from {', '.join(STEPS)}")
    if args.measure:
        measure(args.measure, args.runs, steps)
        return
    runs = ["--runs", str(args.runs), "--steps", ",".join(steps)]
    if args.url:
        subprocess.run([sys.executable, __file__, "--measure", args.url, *runs], check=True)
        return
    tmp = None
    folder = args.keep or Path(tmp := tempfile.mkdtemp(prefix="khazna-bench-"))
    db = folder / "bench.db"
    if not db.exists():
        t0 = time.perf_counter()
        counts = build(db, args.lines, args.invoices, args.clients)
        print(f"built {db} in {time.perf_counter() - t0:.1f} s: {counts}")
    else:
        # a ledger kept from an older schema gets the newer migrations (indexes)
        from khazna.ledger.db import Ledger

        Ledger(f"sqlite:///{db}").dispose()
    subprocess.run([sys.executable, __file__, "--measure", f"sqlite:///{db}", *runs], check=True)
    if tmp:
        import shutil

        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
