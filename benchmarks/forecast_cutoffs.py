"""The companies backtest, in-process and with the imported ledgers kept: for tuning on dev.

`python -m khazna.evals.companies.backtest` imports each truncated bundle and runs the CLI at
every cut-off (minutes per company on a shared machine). Tuning the forecast changes none of
the imports, so this keeps one ledger per (company, cut-off) under ``--cache`` and calls
:func:`khazna.tools.forecast.forecast` on it; each cut-off is scored by the backtest's own
``score_cut`` and the table is the backtest's. Dev companies only: the held-out ones are for
the backtest, run once at the end. ``-v`` prints every cut-off (ratio to flat, the lowest
balance's error, the alert), the list to pick cut-offs to look into.

    python benchmarks/forecast_cutoffs.py [--cache DIR] [--cutoffs 24] [--every 2] [--only KEY] [-v]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from khazna.calendar_dz import WorkingCalendar
from khazna.evals.companies.backtest import (
    HORIZON,
    CutResult,
    cutoffs,
    print_table,
    score_cut,
)
from khazna.evals.companies.generator import PROFILES, Book, Profile, generate
from khazna.ledger.db import Ledger
from khazna.money import jsonable
from khazna.tools.forecast import forecast


def ledger_at(cache: Path, p: Profile, book: Book, cut: date) -> str:
    """The URL of the ledger holding ``p``'s books up to ``cut``, imported once."""
    db = cache / f"{p.key}_{cut}.db"
    done = cache / f"{p.key}_{cut}.ok"
    if not done.exists():
        bundle = cache / f"bundle_{p.key}"
        shutil.rmtree(bundle, ignore_errors=True)
        db.unlink(missing_ok=True)
        book.write(bundle, until=cut)
        khazna = str(Path(sys.executable).with_name("khazna"))
        subprocess.run(
            [khazna, "import", str(bundle), "--replace", "--yes", "--db", f"sqlite:///{db}"],
            env=dict(os.environ, KHAZNA_HOME=str(cache / "home")),
            check=True,
            capture_output=True,
        )
        done.touch()
    return f"sqlite:///{db}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/khazna-cutoffs"))
    ap.add_argument("--cutoffs", type=int, default=24)
    ap.add_argument("--every", type=int, default=1, help="keep one cut-off in N")
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("-v", action="store_true", help="print every cut-off")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    cal = WorkingCalendar.load()
    rows: list[CutResult] = []
    start = time.monotonic()
    for p in PROFILES:
        if p.held_out or (args.only and p.key not in args.only):
            continue
        book = generate(p)
        truth = book.balances()
        for cut in cutoffs(args.cutoffs)[:: args.every]:
            with Ledger(ledger_at(args.cache, p, book, cut)).read() as s:
                doc = jsonable(forecast(s, cut, HORIZON, cal=cal))
            r = score_cut(p, truth, book.threshold / 100, cut, doc)
            rows.append(r)
            if args.v:
                print(
                    f"  {p.key:12} {cut} ÷flat {r.mae / max(r.mae_flat, 1):5.2f} "
                    f"mae {r.mae / 1e6:6.2f}M flat {r.mae_flat / 1e6:6.2f}M "
                    f"low {r.low_err / 1e6:5.2f}M alert {r.alert:d} tension {r.tension:d} "
                    f"band {r.band_hits}/{r.band_days}",
                    flush=True,
                )
    print_table(rows)
    print(f"{time.monotonic() - start:.0f} s")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
