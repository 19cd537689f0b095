"""Engine benchmark: aging, forecast, anomalies and categorisation on a large ledger.

    .venv/bin/python benchmarks/bench_engine.py [--lines 1000000] [--invoices 200000]
        [--clients 5000] [--keep DIR]

Builds a SQLite ledger (tables from the Alembic schema, rows by raw ``executemany``):
5,000 clients, 200,000 invoices, a payment for ~90 % of them (some cheques returned), about
one expense per invoice, 12 commitments, and 1,000,000 bank lines: every non-cash payment and
expense on the statement plus card payments, fees, utilities, cash withdrawals and a few
unknown debits. Then a fresh subprocess opens the ledger and times each step, printing its
wall time and the process's peak RSS so far (the four steps run one after the other in that
one process, so the last figure is the peak for the four together). Target: ≤ 10 s in total,
≤ 2 GiB, on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

AS_OF = date(2026, 10, 29)
START = date(2021, 11, 1)
CATS = ["fournitures", "sous_traitance", "honoraires", "transport", "maintenance", "publicite",
        "equipement", "achats_marchandises", "assurance", "telecom"]  # fmt: skip
NOISE = [("PAIEMENT CB NAFTAL STATION {k}", 2_000, 9_000), ("FRAIS TENUE DE COMPTE", 1_200, 1_200),
         ("COMMISSION VIR {k}", 250, 5_000), ("RETRAIT DAB", 20_000, 40_000),
         ("PAIEMENT CB RESTAURANT EL {k}", 1_500, 12_000), ("PRLV DJEZZY", 3_000, 9_000),
         ("PRLV SONELGAZ", 20_000, 80_000), ("AGIOS TRIM {k}", 500, 9_000)]  # fmt: skip


def _name(k: int) -> str:
    """A name without digits (real names have none): 0 → BAAA, 1 → BAAB, ..."""
    out = ""
    for _ in range(4):
        k, r = divmod(k, 26)
        out = chr(65 + r) + out
    return "B" + out


def _d(day: int) -> str:
    return (START + timedelta(days=int(day))).isoformat()


def build(db: Path, n_lines: int, n_inv: int, n_clients: int, seed: int = 7) -> dict:
    from khazna.ledger.db import Ledger

    Ledger(f"sqlite:///{db}").dispose()  # the schema, through the migrations
    rng = np.random.default_rng(seed)
    span = (AS_OF - START).days
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA foreign_keys=OFF")
    ins = lambda table, cols, rows: con.executemany(  # noqa: E731
        f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(cols.split(',')))})", rows
    )
    ins("company", "id, name, legal_form, address, rc, nif, nis, ai, rib, email, phone, language, opening_balance, "
        "opening_date, extra", [(1, "Bench SARL", "SARL", "", "", "", "", "", "", "", "", "fr", 5_000_000.0,
                                 START.isoformat(), "{}")])  # fmt: skip
    policy = {"expenses": {"receipt_required_above": 5000, "max_per_transaction": {"restaurant": 15000},
                           "max_per_month": {"publicite": 400000}, "card_allowed_categories": {"CARD-01": ["carburant", "restaurant"]}}}  # fmt: skip
    ins("settings", "key, value", [("policy", json.dumps(policy))])
    ins("clients", "client_id, name, kind, email, phone, language, payment_terms_days, nif, nis, rc, ai, address",
        [(f"C{k:05d}", f"SARL CLIENT {_name(k)}", "pme", "", "", "fr", 30, "", "", "", "", "") for k in range(n_clients)])  # fmt: skip
    n_sup = 300
    sup_cat = rng.integers(0, len(CATS), n_sup)
    ins("suppliers", "supplier_id, name, category, email, nif",
        [(f"S{k:04d}", f"EURL FOURNISSEUR {_name(k)}", CATS[c], "", "") for k, c in enumerate(sup_cat.tolist())])  # fmt: skip

    # invoices and payments
    issue = rng.integers(0, span - 10, n_inv)
    client = rng.integers(0, n_clients, n_inv)
    ttc = rng.integers(10_000_00, 3_000_000_00, n_inv)
    ins("invoices", "number, client_id, issue_date, due_date, payment_method, total_ht, total_tva, timbre, "
        "total_ttc, status, credited_invoice",
        [(f"F{k:07d}", f"C{c:05d}", _d(i), _d(i + 30), "virement", t / 119, t * 0.19 / 119, 0, t / 100, "issued", "")
         for k, (i, c, t) in enumerate(zip(issue.tolist(), client.tolist(), ttc.tolist(), strict=True))])  # fmt: skip
    paid = np.flatnonzero(rng.random(n_inv) < 0.9)
    pay_day = np.minimum(issue[paid] + rng.integers(5, 90, len(paid)), span)
    method = np.where(rng.random(len(paid)) < 0.8, "virement", "cheque")
    rejected = (method == "cheque") & (rng.random(len(paid)) < 0.02)
    pays, allocs, bank = [], [], []
    for k, (inv, d, m, rej) in enumerate(
        zip(paid.tolist(), pay_day.tolist(), method.tolist(), rejected.tolist(), strict=True)
    ):
        amt = int(ttc[inv])
        ref = f"{m[:3].upper()}{k:08d}"
        pays.append((f"P{k:07d}", _d(d), f"C{int(client[inv]):05d}", f"F{inv:07d}", amt / 100, m, ref,
                     "rejected" if rej else "cleared"))  # fmt: skip
        allocs.append((f"P{k:07d}", f"F{inv:07d}", amt / 100))
        label = (
            f"VIR RECU CLIENT {_name(int(client[inv]))} FACT F{inv:07d}"
            if m == "virement"
            else f"REMISE CHQ {ref}"
        )
        bank.append((d + (m == "cheque") * 2, label, amt, ref))
        if rej:
            bank.append((d + 12, f"IMPAYE CHQ {ref}", -amt, ref))
    ins(
        "payments",
        "payment_id, date, client_id, invoice_number, amount, method, reference, status",
        pays,
    )
    ins("allocations", "payment_id, invoice_number, amount", allocs)
    del pays, allocs

    # expenses: suppliers (transfers), cards, cash
    n_exp = n_inv
    e_day = rng.integers(0, span, n_exp)
    e_sup = rng.integers(0, n_sup, n_exp)
    base = rng.integers(5_000_00, 400_000_00, n_sup)
    e_amt = (base[e_sup] * rng.uniform(0.8, 1.2, n_exp)).astype(np.int64)
    kind = rng.random(n_exp)
    exps = []
    for k, (d, s, a, u) in enumerate(
        zip(e_day.tolist(), e_sup.tolist(), e_amt.tolist(), kind.tolist(), strict=True)
    ):
        eid, ref = f"E{k:07d}", f"VE{k:08d}"
        if u < 0.8:
            exps.append((eid, _d(d), f"S{s:04d}", f"EURL FOURNISSEUR {_name(s)}", CATS[sup_cat[s]], a / 100, "virement",
                         ref, f"FA{s:04d}-{k:06d}", "", "", "yes", ""))  # fmt: skip
            bank.append((d + 1, f"VIR EMIS FOURNISSEUR {_name(s)} FACT FA{s:04d}-{k:06d}", -a, ref))
        elif u < 0.9:
            a = a % 2_000_000 + 1_000
            exps.append((eid, _d(d), "", "NAFTAL", "carburant", a / 100, "carte", ref, "", "", "CARD-01",
                         "no" if u < 0.82 else "yes", ""))  # fmt: skip
            bank.append((d + 1, f"PAIEMENT CB NAFTAL {k % 97}", -a, ref))
        else:
            exps.append((eid, _d(d), "", "Caisse", "fournitures", (a % 400_000 + 500) / 100, "especes", "", "", "",
                         "", "no", ""))  # fmt: skip
    ins("expenses", "expense_id, date, supplier_id, payee, category, amount, method, reference, supplier_invoice, "
        "employee, card_id, receipt, description", exps)  # fmt: skip
    del exps

    # commitments and their lines
    comm = [("CM-SAL", "Salaires", "salaires", 3_500_000_00, 25, 1), ("CM-CNAS", "CNAS", "cotisations_sociales", 1_300_000_00, 28, 1),
            ("CM-G50", "G50", "impots_taxes", 900_000_00, 19, 1), ("CM-LOYER", "Loyer", "loyer", 600_000_00, 5, 3),
            ("CM-PRET", "Prêt", "remboursement_emprunt", 250_000_00, 10, 1)]  # fmt: skip
    ins("commitments", 'commitment_id, label, category, amount, day_of_month, every_months, start, "end"',
        [(c, lab, cat, a / 100, dm, ev, START.isoformat(), None) for c, lab, cat, a, dm, ev in comm])  # fmt: skip
    labels = {"CM-SAL": "VIR SALAIRES", "CM-CNAS": "VIR CNAS COTIS", "CM-G50": "G50 DGI RECETTE IMPOTS",
              "CM-LOYER": "VIR EMIS SCI EL BINA", "CM-PRET": "ECHEANCE PRET CPA"}  # fmt: skip
    for m in range(60):
        first = date(START.year + (START.month - 1 + m) // 12, (START.month - 1 + m) % 12 + 1, 1)
        for c, _, _, a, dm, ev in comm:
            if m % ev == 0:
                d = (first.replace(day=dm) - START).days
                if 0 <= d <= span:
                    bank.append((d, labels[c], -int(a * rng.uniform(0.9, 1.1)), ""))
    for k in range(2_000):  # unknown payees
        bank.append(
            (
                int(rng.integers(0, span)),
                f"VIR EMIS SARL INCONNU {_name(k)}",
                -int(rng.integers(1_000_00, 900_000_00)),
                "",
            )
        )
    noise_n = max(0, n_lines - len(bank))
    which = rng.integers(0, len(NOISE), noise_n)
    nd = rng.integers(0, span, noise_n)
    for w, d in zip(which.tolist(), nd.tolist(), strict=True):
        lab, lo, hi = NOISE[w]
        bank.append((d, lab.format(k=d % 50), -int(rng.integers(lo * 100, hi * 100 + 1)), ""))
    bank = bank[:n_lines]
    ins("bank_lines", "line_id, account, date, label, amount, reference, source",
        ((f"BL{k:08d}", "ACC", _d(min(d, span)), lab, a / 100, ref, "") for k, (d, lab, a, ref) in enumerate(bank)))  # fmt: skip
    con.commit()
    counts = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("clients", "invoices", "payments", "expenses", "bank_lines", "commitments")}  # fmt: skip
    con.close()
    return counts


def measure(db: Path) -> None:
    """Runs in the child process: the four steps one after the other."""
    import gc

    from khazna.ledger.db import Ledger

    def peak_mib() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    ledger = Ledger(f"sqlite:///{db}", migrate=False)
    steps = []
    try:
        from khazna.tools.receivables import aging_report

        steps.append(("aging", lambda s: len(aging_report(s, AS_OF).clients)))
    except ImportError as err:
        print(f"aging: skipped ({err})")
    try:
        from khazna.tools.forecast import forecast

        steps.append(("forecast", lambda s: len(forecast(s, AS_OF, days=30).days)))
    except ImportError as err:
        print(f"forecast: skipped ({err})")
    from khazna.tools.anomalies import AnomaliesInput, detect_anomalies
    from khazna.tools.categorize import categorize_lines, category_totals

    shared: dict = {}

    def categorize_all(s) -> int:
        # every line categorised and matched, with the totals per category; kept for the
        # anomalies step, as one analysis pass of the product would
        shared["cat"] = categorize_lines(s)
        category_totals(shared["cat"])
        return len(shared["cat"])

    steps.append(("categorize", categorize_all))
    steps.append(
        (
            "anomalies",
            lambda s: len(
                detect_anomalies(s, AnomaliesInput(), categorization=shared["cat"]).anomalies
            ),
        )
    )
    print(f"after imports: peak RSS {peak_mib():.0f} MiB")
    total = cpu_total = 0.0
    for name, fn in steps:
        with ledger.read() as s:
            t0, c0 = time.perf_counter(), time.process_time()
            n = fn(s)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
        gc.collect()
        total += dt
        cpu_total += dc
        print(f"{name:<11} {dt:7.2f} s wall {dc:7.2f} s CPU {n:>9} rows   peak RSS so far {peak_mib():6.0f} MiB",
              flush=True)  # fmt: skip
    print(f"total       {total:7.2f} s wall {cpu_total:7.2f} s CPU   peak RSS {peak_mib():.0f} MiB "
          "(target ≤ 10 s, ≤ 2048 MiB)")  # fmt: skip
    # not part of the four: every line as a row (what `khazna categorize --json` streams)
    with ledger.read() as s:
        t0 = time.perf_counter()
        cat = categorize_lines(s)
        t1 = time.perf_counter()
        rows = [cat.row(i) for i in cat.date_order().tolist()]
        t2 = time.perf_counter()
    print(
        f"(categorize_lines alone {t1 - t0:.2f} s; {len(rows)} rows as dicts {t2 - t1:.2f} s; "
        f"peak RSS {peak_mib():.0f} MiB)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--invoices", type=int, default=200_000)
    ap.add_argument("--clients", type=int, default=5_000)
    ap.add_argument("--keep", type=Path, help="build (or reuse) the ledger in this folder")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        measure(args.measure)
        return
    tmp = None
    folder = args.keep or Path(tmp := tempfile.mkdtemp(prefix="khazna-bench-"))
    db = folder / "bench.db"
    if not db.exists():
        t0 = time.perf_counter()
        counts = build(db, args.lines, args.invoices, args.clients)
        print(f"built {db} in {time.perf_counter() - t0:.1f} s: {counts}")
    subprocess.run([sys.executable, __file__, "--measure", str(db)], check=True)
    if tmp:
        import shutil

        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
