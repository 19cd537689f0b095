"""Backtest of the cash forecast, and timings of aging / forecast at scale.

    .venv/bin/python benchmarks/bench_forecast_backtest.py [--db URL] [--cutoffs 6]
    .venv/bin/python benchmarks/bench_forecast_backtest.py --scale 1000000   # timings

Without --db: the demo bundle (``khazna.demo.generate``) when it exists, else a synthetic
ledger (clients with their own payment habits, salaries, CNAS, G50, rent, card spending).
With --scale N: a synthetic ledger of N bank lines, N/5 invoices, 5 000 clients, then the
time and peak memory of ``aging_report``, ``forecast`` and ``riskiest`` on it.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

KINDS = ["grand_compte", "pme", "administration", "particulier"]
KIND_DELAY = {"grand_compte": 20, "pme": 10, "administration": 45, "particulier": 2}


def synthetic(url_path: Path, n_lines: int, n_clients: int, end: date, seed: int = 7) -> str:
    """Write a synthetic ledger (SQLite) with ``n_lines`` bank lines; returns its URL."""
    from khazna.ledger.db import Ledger

    url = f"sqlite:///{url_path}"
    Ledger(url).dispose()  # schema
    rng = np.random.default_rng(seed)
    start = end - timedelta(days=3 * 365)
    days = (end - start).days
    con = sqlite3.connect(url_path)
    con.execute(
        "INSERT INTO company (id, name, legal_form, address, rc, nif, nis, ai, rib, email, phone, language,"
        " opening_balance, opening_date, extra) VALUES (1,'Synth SARL','SARL','','','','','','','','','fr',"
        " 8000000.0, ?, '{}')",
        (start.isoformat(),),
    )
    kinds = rng.choice(KINDS, n_clients, p=[0.1, 0.5, 0.15, 0.25])
    habit = np.array([KIND_DELAY[k] for k in kinds]) + rng.normal(0, 8, n_clients)
    con.executemany(
        "INSERT INTO clients (client_id, name, kind, email, phone, language, payment_terms_days, nif, nis,"
        " rc, ai, address) VALUES (?,?,?,'','','fr',30,'','','','','')",
        [(f"C{i:05d}", f"Client {i}", str(kinds[i])) for i in range(n_clients)],
    )
    n_inv = max(n_lines // 5, 50)
    cl = rng.integers(0, n_clients, n_inv)
    issue = np.sort(rng.integers(0, days - 20, n_inv))
    amount = np.round(np.exp(rng.normal(11.0, 0.8, n_inv)), 2)
    delay = np.maximum(np.round(habit[cl] + rng.normal(0, 6, n_inv)), -25).astype(int)
    paid_day = issue + 30 + delay
    inv_rows, pay_rows, alloc_rows, bank_rows = [], [], [], []
    for i in range(n_inv):
        num, iss = f"F{i:07d}", start + timedelta(days=int(issue[i]))
        a = float(amount[i])
        inv_rows.append(
            (num, f"C{cl[i]:05d}", iss.isoformat(), (iss + timedelta(days=30)).isoformat(), a)
        )
        if paid_day[i] < days and rng.random() > 0.03:
            d = (start + timedelta(days=int(paid_day[i]))).isoformat()
            pay_rows.append((f"P{i:07d}", d, f"C{cl[i]:05d}", num, a))
            alloc_rows.append((f"P{i:07d}", num, a))
            bank_rows.append((f"BP{i:07d}", d, f"VIR RECU CLIENT {cl[i]:05d} FACT {num}", a))
    con.executemany(
        "INSERT INTO invoices (number, client_id, issue_date, due_date, payment_method, total_ht, total_tva,"
        " timbre, total_ttc, status, credited_invoice) VALUES (?,?,?,?,'virement',?,0,0,?,'issued','')",
        [(n, c, i, d, a, a) for n, c, i, d, a in inv_rows],
    )
    con.executemany(
        "INSERT INTO payments (payment_id, date, client_id, invoice_number, amount, method, reference,"
        " status) VALUES (?,?,?,?,?,'virement','','cleared')",
        pay_rows,
    )
    con.executemany(
        "INSERT INTO allocations (payment_id, invoice_number, amount) VALUES (?,?,?)", alloc_rows
    )
    scale = max(1.0, n_inv / 2000)  # fixed costs grow with the business
    fixed = [
        ("VIR SALAIRES", 25, 1, 900000),
        ("PRLV CNAS", 20, 1, 260000),
        ("G50 DGI", 20, 1, 180000),
        ("LOYER BUREAUX", 5, 3, 450000),
        ("PRLV SONELGAZ", 12, 1, 45000),
    ]
    m = 0
    d = start.replace(day=1)
    while d <= end:
        for label, day, every, amt in fixed:
            if m % every == 0:
                when = d.replace(day=day)
                if start <= when <= end:
                    v = -round(amt * scale * (1 + rng.normal(0, 0.03)), 2)
                    bank_rows.append(
                        (f"BF{m}-{label}", when.isoformat(), f"{label} {when:%m/%Y}", v)
                    )
        m += 1
        d = (d + timedelta(days=32)).replace(day=1)
    spend_total = (
        sum(a for *_, a in bank_rows) * 0.25
    )  # everyday spending eats a quarter of receipts
    n_spend = max(n_lines - len(bank_rows), 100)
    sd = rng.integers(0, days, n_spend)
    sa = np.round(np.exp(rng.normal(0, 1.0, n_spend)), 6)
    sa = np.round(sa / sa.sum() * spend_total, 2)
    for j in range(n_spend):
        bank_rows.append(
            (
                f"BS{j:08d}",
                (start + timedelta(days=int(sd[j]))).isoformat(),
                f"CARTE CIB ACHAT {j}",
                -float(sa[j]),
            )
        )
    con.executemany(
        "INSERT INTO bank_lines (line_id, account, date, label, amount, reference, source) VALUES"
        " (?, 'main', ?, ?, ?, '', 'synthetic')",
        bank_rows,
    )
    con.execute(
        "INSERT INTO settings (key, value) VALUES ('policy', ?)",
        (json.dumps({"treasury": {"safety_threshold": int(2000000 * scale)}}),),
    )
    con.commit()
    con.close()
    return url


def demo_url(tmp: Path, as_of: date) -> str | None:
    try:
        from khazna.demo.generator import generate
        from khazna.ledger.bundle import import_bundle
        from khazna.ledger.db import Ledger
    except ImportError:
        return None
    generate(tmp / "demo", seed=7, as_of=as_of)
    url = f"sqlite:///{tmp / 'demo.db'}"
    import_bundle(Ledger(url), tmp / "demo")
    return url


def timed(label: str, fn):
    t = time.perf_counter()
    out = fn()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<22} {time.perf_counter() - t:6.2f} s   (peak RSS so far {rss:.0f} MiB)")
    return out


def main(argv: list[str] | None = None) -> int:
    from khazna.commands.finance_cmds import main_backtest_text
    from khazna.ledger.db import Ledger
    from khazna.tools.backtest import backtest

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--db")
    ap.add_argument("--cutoffs", type=int, default=6)
    ap.add_argument("--scale", type=int, default=0, help="bank lines of a synthetic ledger to time")
    ap.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 29))
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="khazna-bench-"))
    if args.scale:
        from khazna.tools.forecast import forecast
        from khazna.tools.payment_profiles import riskiest
        from khazna.tools.receivables import aging_report

        t = time.perf_counter()
        url = synthetic(tmp / "big.db", args.scale, 5000, args.as_of)
        print(
            f"synthetic ledger of {args.scale} bank lines built in {time.perf_counter() - t:.0f} s: {url}"
        )
        ledger = Ledger(url)
        with ledger.read() as s:
            rep = timed("aging_report", lambda: aging_report(s, args.as_of))
            fc = timed("forecast (30 days)", lambda: forecast(s, args.as_of, 30))
            timed("riskiest (10)", lambda: riskiest(s, args.as_of, 10))
        print(
            f"  open receivables {rep.totals['total']} over {sum(c.open_invoices for c in rep.clients)} invoices;"
            f" forecast status {fc.status}, min {fc.min_balance}"
        )
        return 0
    url = args.db or demo_url(tmp, args.as_of)
    source = (
        "ledger " + args.db if args.db else ("demo bundle (seed 7)" if url else "synthetic ledger")
    )
    if url is None:
        url = synthetic(tmp / "synth.db", 60000, 300, args.as_of)
    with Ledger(url).read() as s:
        t = time.perf_counter()
        rep = backtest(s, cutoffs=args.cutoffs)
        elapsed = time.perf_counter() - t
    print(f"{source}: {elapsed:.1f} s")
    print(main_backtest_text(rep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
