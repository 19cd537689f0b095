"""Where the forecast's error comes from, by flow family, on the generated companies.

For each company (dev by default: the held-out ones are for measuring, not for looking into)
and each cut-off of `khazna.evals.companies.backtest`, the bundle truncated at the cut-off is
imported (`khazna import`), the forecast is computed with its flows (`forecast(explain=True)`)
and each flow family's cumulative path over the 30 days is set against what the bank then
showed for the same family (the generator's own labels say which line is which):

- ``invoices``: receipts of invoices (bank lines a payment row names) vs kind ``invoice``;
- ``recurring``: salaries, social contributions, taxes, rent, insurance, loans, energy,
  telecom, bank fees, the quarterly sweeps to a term account vs kinds ``learned`` and
  ``commitment``;
- ``everyday``: counter takings, weekly supplier purchases, small spends vs kinds
  ``takings`` and ``background``;
- ``one_offs``: an equipment purchase, a credit drawn (nothing forecasts them).

Per family: the mean over the 30 days of |forecast cumulative − realised cumulative| (DA),
and the signed mean (bias). ``expected`` is the sum of the families (the balance as the
expected flows give it); ``p50`` is the forecast's own balance (the median of the draws);
their gap is what the median adds. Printed per company and in total, with the worst cut-offs.

    python benchmarks/forecast_families.py [--cutoffs 24] [--only KEY] [--split dev]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from statistics import mean

from khazna.calendar_dz import WorkingCalendar
from khazna.evals.companies.backtest import HORIZON, cutoffs
from khazna.evals.companies.generator import PROFILES, Book, generate
from khazna.ledger.db import Ledger
from khazna.tools.forecast import forecast

FAMILIES = ("invoices", "recurring", "everyday", "one_offs")
RECURRING_WORDS = (
    "SALAIRE",
    "CNAS",
    "G50",
    "IMPOT",
    "LOYER",
    "ASSURANCE",
    "SAA",
    "PRET",
    "SONELGAZ",
    "TELECOM",
    "FRAIS TENUE",
    "COMPTE A TERME",
    "APPORT ASSOCIE",
)
ONE_OFF_WORDS = ("EQUIPEMENT", "DEBLOCAGE")


def real_family(line: dict[str, str], paid_refs: set[str]) -> str:
    label = line["label"].upper()
    if line["reference"] in paid_refs:
        return "invoices"
    if any(w in label for w in ONE_OFF_WORDS):
        return "one_offs"
    if any(w in label for w in RECURRING_WORDS):
        return "recurring"
    return "everyday"


def forecast_family(kind: str) -> str:
    return {
        "invoice": "invoices",
        "learned": "recurring",
        "commitment": "recurring",
        "takings": "everyday",
        "background": "everyday",
    }.get(kind, "one_offs")


def decompose(book: Book, cut: date, db: str, cal: WorkingCalendar) -> dict[str, float]:
    paid = {p["reference"] for p in book.payments}
    days = [cut + timedelta(days=i) for i in range(1, HORIZON + 1)]
    real: dict[str, dict[date, float]] = {f: defaultdict(float) for f in FAMILIES}
    for line in book.bank_lines:
        d = date.fromisoformat(line["date"])
        if cut < d <= days[-1]:
            real[real_family(line, paid)][d] += float(line["amount"])
    with Ledger(db).read() as s:
        fc = forecast(s, cut, HORIZON, explain=True, cal=cal)
    fcd: dict[str, dict[date, float]] = {f: defaultdict(float) for f in FAMILIES}
    for f in fc.flows or []:
        fcd[forecast_family(f.kind)][f.date] += float(f.amount)
    truth = book.balances()
    b0 = truth[cut] / 100
    out: dict[str, float] = {}
    expected = [0.0] * HORIZON
    for fam in FAMILIES:
        cf = cr = 0.0
        errs = []
        for i, d in enumerate(days):
            cf += fcd[fam][d]
            cr += real[fam][d]
            errs.append(cf - cr)
            expected[i] += cf
        out[fam] = mean(abs(e) for e in errs)
        out[fam + "_bias"] = mean(errs)
    real_path = [truth[d] / 100 for d in days]
    p50 = [float(x.balance) for x in fc.days]
    out["expected"] = mean(abs(b0 + e - r) for e, r in zip(expected, real_path, strict=True))
    out["p50"] = mean(abs(p - r) for p, r in zip(p50, real_path, strict=True))
    out["flat"] = mean(abs(b0 - r) for r in real_path)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cutoffs", type=int, default=24)
    ap.add_argument("--only", action="append", default=[])
    ap.add_argument("--split", choices=["dev", "held-out"], default="dev")
    ap.add_argument("--worst", type=int, default=8)
    args = ap.parse_args(argv)
    khazna = str(Path(sys.executable).with_name("khazna"))
    cal = WorkingCalendar.load()
    cols = ["p50", "expected", "flat", *FAMILIES]
    rows: list[tuple[str, date, dict[str, float]]] = []
    with tempfile.TemporaryDirectory(prefix="khazna-families-") as tmp:
        for p in PROFILES:
            if (args.only and p.key not in args.only) or p.held_out != (args.split == "held-out"):
                continue
            book = generate(p)
            folder = Path(tmp) / p.key
            env = dict(os.environ, KHAZNA_HOME=str(folder / "home"))
            db = f"sqlite:///{folder / 'ledger.db'}"
            for cut in cutoffs(args.cutoffs):
                bundle = folder / "bundle"
                book.write(bundle, until=cut)
                subprocess.run(
                    [khazna, "import", str(bundle), "--replace", "--db", db, "--json"],
                    env=env,
                    check=True,
                    capture_output=True,
                )
                rows.append((p.key, cut, decompose(book, cut, db, cal)))
            part = [r for k, _, r in rows if k == p.key]
            print(
                f"{p.key:12} "
                + " ".join(f"{c} {mean(r[c] for r in part) / 1e6:6.2f}M" for c in cols)
                + "  bias "
                + " ".join(
                    f"{f} {mean(r[f + '_bias'] for r in part) / 1e6:+.2f}M" for f in FAMILIES
                ),
                flush=True,
            )
    allr = [r for _, _, r in rows]
    print(f"{'= all':12} " + " ".join(f"{c} {mean(r[c] for r in allr) / 1e6:6.2f}M" for c in cols))
    print("worst cut-offs (p50 / flat):")
    for key, cut, r in sorted(rows, key=lambda x: -x[2]["p50"] / max(x[2]["flat"], 1))[
        : args.worst
    ]:
        print(
            f"  {key:12} {cut} p50/flat {r['p50'] / max(r['flat'], 1):5.2f} "
            + " ".join(f"{f} {r[f] / 1e6:5.2f}M ({r[f + '_bias'] / 1e6:+.2f})" for f in FAMILIES)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
