"""The everyday streams: the forecast's own projection against statsmodels' Holt-Winters.

Issue 12 asks to compare a maintained library where it fits. The everyday takings and
spending (counter takings, weekly purchases, small spends: the family ``everyday`` of
`benchmarks/forecast_families.py`) are the one family a plain time-series model can take
on: a daily series with a weekly cycle. For each dev company and cut-off, the 30-day
cumulative path of that family is projected two ways and set against what the bank then
showed:

- ``khazna``: the forecast's flows of kinds ``takings`` and ``background``
  (:func:`khazna.tools.forecast.forecast`, on the ledger imported at the cut-off);
- ``hw``: `statsmodels.tsa.holtwinters.ExponentialSmoothing` (additive weekly season, no
  trend) fitted on the same family's daily net amounts of the 365 days before the cut-off.
  It is handed the generator's own labels of which line is everyday, which the forecast has
  to find for itself: an advantage to the library.

Printed: the mean over the cut-offs of the mean |cumulative error| (DA) per company and in
total. statsmodels is not a dependency of Khazna: ``pip install statsmodels`` to run this.

    python benchmarks/everyday_statsmodels.py [--cache DIR] [--every 1]
"""

from __future__ import annotations

import argparse
import warnings
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from statistics import mean

from forecast_cutoffs import ledger_at
from forecast_families import real_family

from khazna.calendar_dz import WorkingCalendar
from khazna.evals.companies.backtest import HORIZON, cutoffs
from khazna.evals.companies.generator import PROFILES
from khazna.evals.companies.generator import generate as make_book
from khazna.ledger.db import Ledger
from khazna.tools.forecast import forecast

HISTORY_DAYS = 365


def _cum_err(fc: list[float], real: list[float]) -> float:
    a = b = 0.0
    errs = []
    for x, y in zip(fc, real, strict=True):
        a, b = a + x, b + y
        errs.append(abs(a - b))
    return mean(errs)


def main(argv: list[str] | None = None) -> int:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/khazna-cutoffs"))
    ap.add_argument("--every", type=int, default=1)
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    cal = WorkingCalendar.load()
    rows: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for p in PROFILES:
        if p.held_out:
            continue
        book = make_book(p)
        paid = {x["reference"] for x in book.payments}
        daily: dict[date, float] = defaultdict(float)
        for line in book.bank_lines:
            if real_family(line, paid) == "everyday":
                daily[date.fromisoformat(line["date"])] += float(line["amount"])
        for cut in cutoffs(24)[:: args.every]:
            days = [cut + timedelta(days=i) for i in range(1, HORIZON + 1)]
            real = [daily[d] for d in days]
            with Ledger(ledger_at(args.cache, p, book, cut)).read() as s:
                fc = forecast(s, cut, HORIZON, explain=True, cal=cal)
            own: dict[date, float] = defaultdict(float)
            for f in fc.flows or []:
                if f.kind in ("takings", "background"):
                    own[f.date] += float(f.amount)
            hist = [daily[cut - timedelta(days=i)] for i in range(HISTORY_DAYS - 1, -1, -1)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = ExponentialSmoothing(
                    hist, trend=None, seasonal="add", seasonal_periods=7
                ).fit()
            hw = [float(x) for x in fit.forecast(HORIZON)]
            rows[p.key].append((_cum_err([own[d] for d in days], real), _cum_err(hw, real)))
        part = rows[p.key]
        print(
            f"{p.key:12} khazna {mean(a for a, _ in part) / 1e6:6.2f}M  "
            f"hw {mean(b for _, b in part) / 1e6:6.2f}M  "
            f"hw better at {sum(b < a for a, b in part)}/{len(part)} cut-offs",
            flush=True,
        )
    allr = [r for part in rows.values() for r in part]
    print(
        f"{'= all':12} khazna {mean(a for a, _ in allr) / 1e6:6.2f}M  "
        f"hw {mean(b for _, b in allr) / 1e6:6.2f}M  "
        f"hw better at {sum(b < a for a, b in allr)}/{len(allr)} cut-offs"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
