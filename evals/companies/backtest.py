"""Backtest of `khazna forecast` on the generated companies, through the CLI/JSON contract only.

For each company of `generator.PROFILES` and each cut-off: the bundle truncated at the cut-off is
imported into a temporary ledger (`khazna import DIR --replace`), `khazna forecast --as-of CUT
--days 30 --json` is run, and its days are compared with the realised end-of-day balances of the
full books. Nothing of the forecast's code is imported here.

Per cut-off (30 days after it):
- MAE of the forecast balance, of "balance held flat" (the cut-off's balance every day) and of
  "last 30 days repeated" (the cut-off's balance plus the realised movements of the 30 days
  before it, replayed day by day); the ratios model/flat and model/repeat;
- the lowest balance of the 30 days: error on its amount (DA) and on its day (days apart);
- the alert: the forecast says the balance goes under the company's threshold within 30 days
  (`min_balance` < threshold); the truth: the realised balance does;
- when the forecast gives `p10`/`p90` per day: whether the realised balance lies in the band
  (calibration), and `prob_below_threshold` against what happened (Brier score).

Printed per company and per split (dev / held-out): mean of per-cut-off MAE ratios, the share
of cut-offs where the forecast is worse than flat, the lowest-balance errors (with the two
baselines' in the same run, for scale), alert recall and precision.

    python -m khazna.evals.companies.backtest [--cutoffs 24] [--jobs 2] [--only KEY]
        [--khazna PATH] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import mean

from khazna.evals.companies.generator import BOOKS_END, PROFILES, Book, Profile, generate

HORIZON = 30
FIRST_CUTOFF = date(2025, 11, 1)


def cutoffs(n: int) -> list[date]:
    """n cut-offs evenly spread over the last year whose next 30 days are in the books."""
    last = BOOKS_END - timedelta(days=HORIZON)
    span = (last - FIRST_CUTOFF).days
    return [FIRST_CUTOFF + timedelta(days=round(i * span / (n - 1))) for i in range(n)]


@dataclass
class CutResult:
    company: str
    held_out: bool
    cutoff: str
    mae: float
    mae_flat: float
    mae_repeat: float
    low_err: float  # |forecast lowest balance - realised lowest balance|, DA
    low_err_flat: float
    low_err_repeat: float
    low_day_err: int  # days between the forecast's lowest day and the realised one
    low_day_err_repeat: int
    alert: bool  # forecast: some day under the threshold
    tension: bool  # realised: some day under the threshold
    opening_mismatch: float  # forecast opening_balance - realised balance at the cut-off
    band_hits: int | None  # days whose realised balance is within [p10, p90]
    band_days: int | None
    prob_below: float | None


def _lowest(values: list[tuple[date, float]]) -> tuple[date, float]:
    return min(values, key=lambda x: (x[1], x[0]))


def score_cut(
    p: Profile, book_path: dict[date, int], threshold: float, cut: date, doc: dict
) -> CutResult:
    """Compare one forecast document with the realised balances (DA)."""
    real = {d: c / 100 for d, c in book_path.items()}
    b0 = real[cut]
    days = [
        (date.fromisoformat(day["date"]), float(day["balance"]))
        for day in doc["days"]
        if date.fromisoformat(day["date"]) in real
    ][:HORIZON]
    truth = [(d, real[d]) for d, _ in days]
    base = real[cut - timedelta(days=HORIZON)]
    repeat = [(d, b0 + real[d - timedelta(days=HORIZON)] - base) for d, _ in days]
    mae = mean(abs(f - r) for (_, f), (_, r) in zip(days, truth, strict=True))
    mae_flat = mean(abs(b0 - r) for _, r in truth)
    mae_rep = mean(abs(f - r) for (_, f), (_, r) in zip(repeat, truth, strict=True))
    t_day, t_low = _lowest(truth)
    f_day = date.fromisoformat(doc["min_balance_date"])
    f_low = float(doc["min_balance"])
    r_day, r_low = _lowest(repeat)
    hits = n_band = None
    if days and all("p10" in d and "p90" in d for d in doc["days"][:HORIZON]):
        band = {
            date.fromisoformat(d["date"]): (float(d["p10"]), float(d["p90"])) for d in doc["days"]
        }
        n_band = len(truth)
        hits = sum(1 for d, r in truth if band[d][0] <= r <= band[d][1])
    prob = doc.get("prob_below_threshold")
    return CutResult(
        company=p.key,
        held_out=p.held_out,
        cutoff=cut.isoformat(),
        mae=mae,
        mae_flat=mae_flat,
        mae_repeat=mae_rep,
        low_err=abs(f_low - t_low),
        low_err_flat=abs(b0 - t_low),
        low_err_repeat=abs(r_low - t_low),
        low_day_err=abs((f_day - t_day).days),
        low_day_err_repeat=abs((r_day - t_day).days),
        alert=f_low < threshold,
        tension=t_low < threshold,
        opening_mismatch=float(doc["opening_balance"]) - b0,
        band_hits=hits,
        band_days=n_band,
        # 0-1 (cli.md); forecasts before issue 12's calibration gave a per cent
        prob_below=None if prob is None else float(prob) / (100 if float(prob) > 1 else 1),
    )


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def backtest_company(p: Profile, cuts: list[date], khazna: str, work: Path) -> list[CutResult]:
    book: Book = generate(p)
    path = book.balances()
    threshold = book.threshold / 100
    folder = work / p.key
    folder.mkdir(parents=True)
    env = dict(os.environ, KHAZNA_HOME=str(folder / "home"))
    db = f"sqlite:///{folder / 'ledger.db'}"
    results = []
    for cut in cuts:
        bundle = folder / "bundle"
        shutil.rmtree(bundle, ignore_errors=True)
        book.write(bundle, until=cut)
        _run([khazna, "import", str(bundle), "--replace", "--yes", "--db", db, "--json"], env)
        out = _run(
            [
                khazna,
                "forecast",
                "--as-of",
                cut.isoformat(),
                "--days",
                str(HORIZON),
                "--json",
                "--db",
                db,
            ],
            env,
        )
        doc = json.loads(out)
        if float(doc["threshold"]) != threshold:
            print(
                f"  {p.key} {cut}: forecast threshold {doc['threshold']} != {threshold}",
                file=sys.stderr,
            )
        results.append(score_cut(p, path, threshold, cut, doc))
    return results


def summarise(rows: list[CutResult]) -> dict[str, float | int | None]:
    """One line of figures for a set of cut-offs (a company or a split)."""
    alerts = [r for r in rows if r.alert]
    tensions = [r for r in rows if r.tension]
    hit = [r for r in rows if r.alert and r.tension]
    band_days = sum(r.band_days or 0 for r in rows)
    probs = [r for r in rows if r.prob_below is not None]
    return {
        "cutoffs": len(rows),
        "ratio_flat": mean(r.mae / r.mae_flat for r in rows if r.mae_flat > 0),
        "ratio_repeat": mean(r.mae / r.mae_repeat for r in rows if r.mae_repeat > 0),
        "worse_than_flat": sum(r.mae > r.mae_flat for r in rows) / len(rows),
        "mae": mean(r.mae for r in rows),
        "low_err": mean(r.low_err for r in rows),
        "low_err_flat": mean(r.low_err_flat for r in rows),
        "low_err_repeat": mean(r.low_err_repeat for r in rows),
        "low_day_err": mean(r.low_day_err for r in rows),
        "low_day_err_repeat": mean(r.low_day_err_repeat for r in rows),
        "tensions": len(tensions),
        "alerts": len(alerts),
        "recall": len(hit) / len(tensions) if tensions else None,
        "precision": len(hit) / len(alerts) if alerts else None,
        "band_coverage": (sum(r.band_hits or 0 for r in rows) / band_days if band_days else None),
        "brier": (
            mean(((r.prob_below or 0.0) - float(r.tension)) ** 2 for r in probs) if probs else None
        ),
        "opening_mismatches": sum(abs(r.opening_mismatch) > 0.01 for r in rows),
    }


def _fmt(v: float | int | None, kind: str) -> str:
    if v is None:
        return "—"
    if kind == "ratio":
        return f"{v:.2f}"
    if kind == "pct":
        return f"{100 * v:.0f}%"
    if kind == "da":
        return f"{v / 1e6:.2f}M"
    if kind == "days":
        return f"{v:.1f}"
    return str(v)


COLUMNS = [
    ("cutoffs", "n", "int"),
    ("ratio_flat", "÷flat", "ratio"),
    ("ratio_repeat", "÷rep", "ratio"),
    ("worse_than_flat", ">flat", "pct"),
    ("low_err", "low err", "da"),
    ("low_err_flat", "flat", "da"),
    ("low_err_repeat", "rep", "da"),
    ("low_day_err", "day err", "days"),
    ("low_day_err_repeat", "rep", "days"),
    ("tensions", "tens", "int"),
    ("alerts", "alrt", "int"),
    ("recall", "recall", "ratio"),
    ("precision", "prec", "ratio"),
    ("band_coverage", "P10-90", "pct"),
    ("brier", "brier", "ratio"),
]


def print_table(rows: list[CutResult]) -> None:
    head = f"{'company':14} {'split':8} " + " ".join(f"{h:>7}" for _, h, _ in COLUMNS)
    print(head)
    for split, held in (("dev", False), ("held-out", True)):
        part = [r for r in rows if r.held_out == held]
        if not part:
            continue
        for key in dict.fromkeys(r.company for r in part):
            s = summarise([r for r in part if r.company == key])
            print(f"{key:14} {split:8} " + " ".join(f"{_fmt(s[c], k):>7}" for c, _, k in COLUMNS))
        s = summarise(part)
        print(f"{'= ' + split:14} {'':8} " + " ".join(f"{_fmt(s[c], k):>7}" for c, _, k in COLUMNS))
        mism = s["opening_mismatches"]
        if mism:
            print(f"  ({mism} cut-offs where the forecast's opening balance is not the books')")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cutoffs", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", action="append", default=[], help="company key (repeatable)")
    parser.add_argument("--split", choices=["dev", "held-out", "all"], default="all")
    parser.add_argument("--khazna", default=str(Path(sys.executable).with_name("khazna")))
    parser.add_argument("--json", type=Path, help="write every cut-off's figures there")
    args = parser.parse_args(argv)
    profiles = [
        p
        for p in PROFILES
        if (not args.only or p.key in args.only)
        and (args.split == "all" or p.held_out == (args.split == "held-out"))
    ]
    cuts = cutoffs(args.cutoffs)
    print(
        f"{len(profiles)} companies x {len(cuts)} cut-offs ({cuts[0]} .. {cuts[-1]}), "
        f"horizon {HORIZON} days, via {args.khazna}"
    )
    with tempfile.TemporaryDirectory(prefix="khazna-companies-") as tmp:
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            parts = pool.map(lambda p: backtest_company(p, cuts, args.khazna, Path(tmp)), profiles)
            rows = [r for part in parts for r in part]
    print_table(rows)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
