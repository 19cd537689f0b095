"""The forecast's everyday streams (takings no payment explains, spending no pattern explains)
projected by the hand-written model (tools/forecast_background.py: a per-working-day rate,
seasons learned from the holiday table, the carry of days off) and by statsforecast's models,
on the dev companies of evals/companies/generator.py (12 cut-offs each, 30 days).

Score: mean over (company, cut-off, stream) of the mean absolute error of the cumulative
30-day path, over the mean absolute realised cumulative path. statsforecast is not a
dependency of khazna: ``pip install statsforecast`` to run this.

    .venv/bin/python benchmarks/bench_everyday_models.py

Measured 2026-12-07 (branch s27c, 120 series): hand-written 0.312 (1.3 s), AutoETS(7) 0.545
(41 s), SeasonalNaive(7) 0.517, AutoTheta(7) 0.464 (55 s), MSTL(7, 365) 0.630 — the
calendar-blind models do not know Ramadan, the Aïds or the Friday-Saturday carry, so the
hand-written model stays.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import timedelta
from pathlib import Path
from statistics import mean

import numpy as np


def main() -> int:
    try:  # lazy and optional: the comparison only
        from statsforecast.models import MSTL, AutoETS, AutoTheta, SeasonalNaive
    except ImportError:
        print("statsforecast is not installed: pip install statsforecast", file=sys.stderr)
        return 2
    from sqlalchemy import select

    import khazna.tools.forecast as F
    from khazna.calendar_dz import WorkingCalendar
    from khazna.evals.companies import backtest as bt
    from khazna.evals.companies.generator import PROFILES, generate
    from khazna.ledger.db import Ledger
    from khazna.ledger.models import Commitment
    from khazna.tools.forecast_background import Seasons, learn_everyday, project
    from khazna.tools.recurring import learn_patterns, match_commitments

    warnings.filterwarnings("ignore")
    cal = WorkingCalendar.load()
    seasons = Seasons.of(cal)
    horizon = 30
    names = ["hand", "ets7", "snaive7", "theta7", "mstl"]
    err: dict[str, list[float]] = {k: [] for k in names}
    spent = dict.fromkeys(names, 0.0)
    khazna = str(Path(sys.executable).with_name("khazna"))
    with tempfile.TemporaryDirectory() as tmp:
        for p in PROFILES:
            if p.held_out:
                continue  # never measured on the held-out companies
            bundle, db = Path(tmp) / p.key, f"sqlite:///{tmp}/{p.key}.db"
            generate(p).write(bundle)
            env = dict(os.environ, KHAZNA_HOME=f"{tmp}/home")
            subprocess.run(
                [khazna, "import", str(bundle), "--db", db, "--json"],
                check=True,
                capture_output=True,
                env=env,
            )
            led = Ledger(db)
            with led.session() as s:
                comm = s.execute(select(Commitment)).scalars().all()
                for cut in bt.cutoffs(12):
                    end = cut + timedelta(days=horizon)
                    pats, later = learn_patterns(s, cut), learn_patterns(s, end)
                    match_commitments(pats, comm)
                    match_commitments(later, comm)
                    streams = [
                        (F._unexplained_credits(s, cut), F._unexplained_credits(s, end)),
                        (
                            F._unexplained_debits(s, cut, pats, comm),
                            F._unexplained_debits(s, end, later, comm),
                        ),
                    ]
                    for hist, fut in streams:
                        days = [cut + timedelta(days=i) for i in range(1, horizon + 1)]
                        truth = np.cumsum([fut.get(d, 0) for d in days], dtype=float)
                        first = min((d for d, c in hist.items() if c), default=None)
                        if first is None or not truth.any():
                            continue
                        start = max(first, cut - timedelta(days=400))
                        y = np.array(
                            [
                                hist.get(start + timedelta(days=i), 0)
                                for i in range((cut - start).days + 1)
                            ],
                            dtype=float,
                        )
                        scale = float(np.mean(np.abs(truth)))
                        t = time.time()
                        hand = np.zeros(horizon)
                        model = learn_everyday(hist, cut, cal, seasons)
                        if model is not None:
                            for d, c in project(model, cut, end, cal, seasons):
                                hand[(d - cut).days - 1] = c
                        spent["hand"] += time.time() - t
                        preds = {"hand": hand}
                        season = [7, 365] if len(y) > 730 else [7]
                        for k, m in [
                            ("ets7", AutoETS(season_length=7)),
                            ("snaive7", SeasonalNaive(7)),
                            ("theta7", AutoTheta(season_length=7)),
                            ("mstl", MSTL(season_length=season)),
                        ]:
                            t = time.time()
                            try:
                                preds[k] = np.maximum(m.forecast(y=y, h=horizon)["mean"], 0)
                            except Exception:  # a model that cannot fit this series: zeros
                                preds[k] = np.zeros(horizon)
                            spent[k] += time.time() - t
                        for k, v in preds.items():
                            err[k].append(float(np.mean(np.abs(np.cumsum(v) - truth))) / scale)
            led.dispose()
    for k in names:
        print(
            f"{k:8} relative error of the 30-day path {mean(err[k]):.3f}  ({len(err[k])} series, {spent[k]:.1f} s)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
