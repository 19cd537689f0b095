"""Benchmark ``khazna import-bank`` on a large statement, against sqlite3's raw ``.import``.

    .venv/bin/python benchmarks/bench_import_bank.py [--rows 1000000] [--reimport] [--keep]

Writes a CSV statement the way Algerian banks export it (title lines, ';', dd/mm/yyyy,
decimal commas with spaces, Débit/Crédit columns) into a temporary folder, imports it into a
fresh SQLite ledger by running the real command (``khazna import-bank --json``) in a
subprocess, and prints wall time, rows/s and the subprocess's peak RSS. Then it loads the
same file raw with the ``sqlite3`` shell's ``.import`` (no parsing, no checks, no dedup) and
prints that rate and the ratio. Target: ≤ 30 s and ≤ 1 GiB peak for 1,000,000 lines.

A 2 GB statement (~20 M lines) is not generated here; the import streams (a generator of rows,
a temporary table, constant memory), so time grows linearly (about 20× the 1 M figure) and
memory stays flat; the temporary table needs about as much free disk as the file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

LABELS = ["VIR RECU SONATRACH FACT F2026-{n}", "PRLV SONELGAZ {n}", "CHQ {n:07d}", "RETRAIT DAB {n}",
          "VIR EMIS SALAIRES {n}", "COMMISSION TENUE DE COMPTE", "VIR RECU CLIENT C{n:03d}",
          "PAIEMENT TPE {n}", "FRAIS VIREMENT {n}"]  # fmt: skip


def fr_amount(cents: int) -> str:
    units, c = divmod(cents, 100)
    return f"{units:,}".replace(",", "\u00a0") + f",{c:02d}"


def write_statement(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    start = date(2024, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("Crédit Populaire d'Algérie\nCompte : 004 00123 0000012345 67\n")
        f.write("Relevé du 01/01/2024 au 31/12/2026\n\n")
        f.write("Date opération;Date valeur;Libellé;Référence;Débit;Crédit;Solde\n")
        day = start
        for i in range(rows):
            if rnd.random() < 0.0015:
                day += timedelta(days=1)
            d = day.strftime("%d/%m/%Y")
            label = rnd.choice(LABELS).format(n=rnd.randrange(100000))
            cents = rnd.randrange(100, 500_000_000)
            debit, credit = (fr_amount(cents), "") if rnd.random() < 0.6 else ("", fr_amount(cents))
            line = f"{d};{d};{label};R{i:08d};{debit};{credit};\n"
            f.write(line)
            if rnd.random() < 0.001:  # a genuine identical twin (same day, same everything)
                f.write(line)


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_import(file: Path, url: str) -> tuple[float, float, dict, int]:
    """Wall seconds, CPU seconds, the JSON output and the peak RSS (KiB) of the command."""
    cmd = [sys.executable, "-m", "khazna.cli", "import-bank", str(file), "--db", url, "--json"]
    cpu0, t0 = _children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    secs, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    if proc.returncode:
        sys.exit(f"import failed ({proc.returncode}):\n{proc.stderr}")
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return secs, cpu, json.loads(proc.stdout), peak_kib


def make_ledger(url: str) -> None:
    from khazna.ledger.db import Ledger
    from khazna.ledger.models import Company

    ledger = Ledger(url)
    with ledger.session() as s:
        s.add(
            Company(name="SARL Bench", opening_balance=Decimal("0"), opening_date=date(2024, 1, 1))
        )
    ledger.dispose()


def raw_sqlite_import(file: Path, db: Path) -> tuple[float, str]:
    ddl = "CREATE TABLE raw(d TEXT, dv TEXT, label TEXT, ref TEXT, debit TEXT, credit TEXT, solde TEXT);"
    if shutil.which("sqlite3"):
        script = f"{ddl}\n.mode csv\n.separator ;\n.import --skip 5 '{file}' raw\n"
        t0 = time.perf_counter()
        subprocess.run(
            ["sqlite3", str(db)], input=script, text=True, check=True, capture_output=True
        )
        return time.perf_counter() - t0, "sqlite3 shell .import"
    import csv
    import sqlite3

    t0 = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute(ddl)
    with file.open(encoding="utf-8", newline="") as f:
        rows = csv.reader(f, delimiter=";")
        for _ in range(5):
            next(rows)
        con.executemany("INSERT INTO raw VALUES (?,?,?,?,?,?,?)", rows)
    con.commit()
    con.close()
    return time.perf_counter() - t0, "Python sqlite3 executemany (no sqlite3 shell found)"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--reimport", action="store_true", help="import the same file a second time")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="khazna-bench-"))
    try:
        file = tmp / "releve.csv"
        t0 = time.perf_counter()
        write_statement(file, args.rows)
        lines = sum(1 for _ in file.open("rb")) - 5
        print(f"statement: {lines:,} lines, {file.stat().st_size / 1e6:.1f} MB, "
              f"written in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        url = f"sqlite:///{tmp / 'ledger.db'}"
        make_ledger(url)
        load = os.getloadavg()[0]
        secs, cpu, out, peak = run_import(file, url)
        print(f"khazna import-bank: {secs:.1f} s wall ({cpu:.1f} s CPU; load average was "
              f"{load:.1f} on {os.cpu_count()} cores), {out['rows'] / secs:,.0f} rows/s, "
              f"peak RSS {peak / 1024:.0f} MiB; inserted {out['inserted']:,}, "
              f"already present {out['already_present']:,}")  # fmt: skip
        if args.reimport:
            secs2, cpu2, out2, peak2 = run_import(file, url)
            print(f"re-import (all present): {secs2:.1f} s wall ({cpu2:.1f} s CPU), "
                  f"inserted {out2['inserted']:,}, already present {out2['already_present']:,}, "
                  f"peak RSS so far {peak2 / 1024:.0f} MiB")  # fmt: skip
        raw_secs, how = raw_sqlite_import(file, tmp / "raw.db")
        print(f"raw load ({how}): {raw_secs:.1f} s, {lines / raw_secs:,.0f} rows/s")
        print(f"ratio: khazna is {secs / raw_secs:.1f}x the raw load time")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
