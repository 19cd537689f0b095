"""Khazna at the size of real books, measured from the outside (issue 16).

    .venv/bin/python benchmarks/million.py [--scale 1.0] [--keep DIR] [--reuse] [--pg URL] [--skip-run] [--import-only]

``--keep DIR --reuse`` keeps the bundle and the imported ledger of an earlier run in DIR and
times only the steps after the import (the ceilings are measured again).

Generates a bundle (``spec/bundle.md``) of the issue's shape — at scale 1: 1 000 000 bank
lines with about 15 000 distinct labels, 200 000 invoices, 170 000 payments, 5 000 clients,
plus 300 suppliers and a few commitments — in a temporary folder. Then every step runs
THROUGH THE CLI, each as its own process (``khazna import DIR --json``, ``aging --json``,
``forecast --json``, ``anomalies --json``, ``categorize --json``, ``ask``, ``--help``,
``run --json``), with ``--json`` output written to a file; for each the wall time and the
process's own peak RSS (``os.wait4``) are printed.

The ceilings are measured in the same run, on the same files:
- import: the ``sqlite3`` shell's ``.import --csv`` of the same CSVs into a fresh database
  (no parsing, no checks); without the shell, Python's ``sqlite3.executemany`` of the raw
  rows. ``rows/s`` of both and their ratio are printed (target ≥ 0.25×).
- aging: the same balance âgée as one SQL query by the ``sqlite3`` shell over those raw
  tables (DuckDB from the CSVs when the ``duckdb`` module is installed).
- with ``--pg URL`` (an empty database it may fill), the import into PostgreSQL and
  ``psql \\copy`` of the same CSVs.
Absolute times move from run to run; read the ratios.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 10, 29)
START = date(2021, 11, 1)
KHAZNA = [sys.executable, "-m", "khazna.cli"]
SUP_CATS = ["fournitures", "sous_traitance", "honoraires", "transport", "maintenance",
            "publicite", "equipement", "achats_marchandises", "assurance", "telecom"]  # fmt: skip
# debit labels that repeat (with a merchant or station number: ~4 000 distinct ones)
NOISE = [("PAIEMENT CB NAFTAL STATION {k}", 2_000, 9_000, 600), ("FRAIS TENUE DE COMPTE", 1_200, 1_200, 1),
         ("COMMISSION VIR", 250, 5_000, 1), ("RETRAIT DAB AGENCE {k}", 20_000, 40_000, 400),
         ("PAIEMENT CB RESTAURANT {k}", 1_500, 12_000, 1500), ("PRLV DJEZZY", 3_000, 9_000, 1),
         ("PRLV SONELGAZ", 20_000, 80_000, 1), ("PAIEMENT TPE COMMERCE {k}", 500, 60_000, 1500)]  # fmt: skip


def _name(k: int) -> str:
    """A name without digits: 0 → BAAAA, 1 → BAAAB, ..."""
    out = ""
    for _ in range(4):
        k, r = divmod(k, 26)
        out = chr(65 + r) + out
    return "B" + out


def _d(day: int) -> str:
    return (START + timedelta(days=day)).isoformat()


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}" if cents >= 0 else "-" + _money(-cents)


def generate(root: Path, scale: float, seed: int = 16) -> dict[str, int]:
    """Write the bundle into ``root``; returns the data rows per CSV file."""
    rnd = random.Random(seed)
    n_clients, n_inv = max(20, int(5_000 * scale)), max(200, int(200_000 * scale))
    n_pay, n_lines = int(170_000 * scale), max(1_000, int(1_000_000 * scale))
    n_sup = max(10, int(300 * scale))
    span = (AS_OF - START).days
    root.mkdir(parents=True, exist_ok=True)
    (root / "company.json").write_text(
        json.dumps(
            {
                "name": "Million SARL",
                "legal_form": "SARL",
                "capital": 1000000,
                "language": "fr",
                "opening_balance": 900000000.00,
                "opening_date": START.isoformat(),
            }
        ),  # fmt: skip
        encoding="utf-8",
    )
    counts: dict[str, int] = {}

    def write(name: str, header: list[str], rows) -> None:  # noqa: ANN001
        n = 0
        with (root / name).open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            for row in rows:
                w.writerow(row)
                n += 1
        counts[name] = n

    write("clients.csv", ["client_id", "name", "kind", "email", "phone", "language",
                          "payment_terms_days", "nif", "nis", "rc", "ai", "address"],
          ([f"C{k:05d}", f"SARL CLIENT {_name(k)}", "pme", "", "", "fr", 30, "", "", "", "", ""]
           for k in range(n_clients)))  # fmt: skip
    write("suppliers.csv", ["supplier_id", "name", "category", "email", "nif"],
          ([f"S{k:04d}", f"EURL FOURNISSEUR {_name(k)}", SUP_CATS[k % len(SUP_CATS)], "", ""]
           for k in range(n_sup)))  # fmt: skip
    write("commitments.csv", ["commitment_id", "label", "category", "amount", "day_of_month",
                              "every_months", "start", "end"],
          [["K1", "Salaires", "salaires", "4500000.00", 25, 1, START.isoformat(), ""],
           ["K2", "Loyer siège", "loyer", "900000.00", 5, 3, START.isoformat(), ""],
           ["K3", "CNAS", "cotisations_sociales", "1100000.00", 20, 1, START.isoformat(), ""]])  # fmt: skip
    inv = []  # (issue day, client, ttc cents)
    for _ in range(n_inv):
        inv.append(
            (
                rnd.randrange(span - 10),
                rnd.randrange(n_clients),
                rnd.randrange(10_000_00, 3_000_000_00),
            )
        )
    write("invoices.csv", ["number", "client_id", "issue_date", "due_date", "payment_method",
                           "total_ht", "total_tva", "timbre", "total_ttc", "status", "credited_invoice"],
          ([f"F{k:07d}", f"C{c:05d}", _d(i), _d(i + 30), "virement", _money(t * 100 // 119),
            _money(t - t * 100 // 119), "0.00", _money(t), "issued", ""]
           for k, (i, c, t) in enumerate(inv)))  # fmt: skip
    bank: list[tuple[int, str, int, str]] = []  # (day, label, cents, reference)
    pays = []
    for k, number in enumerate(rnd.sample(range(n_inv), n_pay)):
        i, c, t = inv[number]
        day = min(i + rnd.randrange(5, 90), span)
        cheque = rnd.random() < 0.2
        rejected = cheque and rnd.random() < 0.02
        ref = f"{'CHQ' if cheque else 'VIR'}{k:08d}"
        pays.append([f"P{k:07d}", _d(day), f"C{c:05d}", f"F{number:07d}", _money(t),
                     "cheque" if cheque else "virement", ref, "rejected" if rejected else "cleared"])  # fmt: skip
        label = f"REMISE CHQ CLIENT {_name(c)}" if cheque else f"VIR RECU SARL CLIENT {_name(c)}"
        bank.append((day + 2 * cheque, label, t, ref))
        if rejected:
            bank.append((day + 12, f"IMPAYE CHQ CLIENT {_name(c)}", -t, ref))
    write("payments.csv", ["payment_id", "date", "client_id", "invoice_number", "amount",
                           "method", "reference", "status"], pays)  # fmt: skip
    del pays
    sup_base = [rnd.randrange(5_000_00, 400_000_00) for _ in range(n_sup)]
    for month in range(span // 30):
        day = min(month * 30 + 24, span)
        bank.append((day, "VIR EMIS SALAIRES", -4_500_000_00, f"SAL{month:03d}"))
        bank.append((min(month * 30 + 19, span), "PRLV CNAS", -1_100_000_00, f"CNAS{month:03d}"))
    while len(bank) < n_lines:
        if rnd.random() < 0.35:
            s = rnd.randrange(n_sup)
            cents = int(sup_base[s] * rnd.uniform(0.7, 1.3))
            bank.append((rnd.randrange(span), f"VIR EMIS EURL FOURNISSEUR {_name(s)}", -cents, ""))
        else:
            label, lo, hi, variants = rnd.choice(NOISE)
            cents = rnd.randrange(lo * 100, hi * 100 + 1)
            bank.append((rnd.randrange(span), label.format(k=rnd.randrange(variants)), -cents, ""))
    bank.sort(key=lambda b: b[0])
    write("bank_lines.csv", ["line_id", "account", "date", "label", "amount", "reference"],
          ([f"L{k:07d}", "main", _d(day), label, _money(cents), ref]
           for k, (day, label, cents, ref) in enumerate(bank[:n_lines])))  # fmt: skip
    return counts


# -- measuring ------------------------------------------------------------------------


def timed(
    cmd: list[str], out: Path | None = None, env: dict | None = None
) -> tuple[float, int, int, float]:
    """Run ``cmd`` as a child; (wall seconds, peak RSS in KiB of that child, exit code, CPU
    seconds of that child: user + system, which moves less with the machine's load).
    Its stdout goes to ``out`` (or nowhere); stderr is kept and shown on failure."""
    t0 = time.perf_counter()
    with open(out or os.devnull, "wb") as sink, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        if code:
            err.seek(0)
            sys.stderr.write(f"! {' '.join(map(str, cmd[2:]))} exited {code}:\n")
            sys.stderr.write(err.read().decode("utf-8", "replace")[-3000:] + "\n")
    return wall, usage.ru_maxrss, code, usage.ru_utime + usage.ru_stime


TABLE_COLS = {"bank_lines.csv": "bank_lines", "invoices.csv": "invoices", "payments.csv": "payments",
              "clients.csv": "clients", "suppliers.csv": "suppliers", "commitments.csv": "commitments"}  # fmt: skip
AGING_SQL = f"""
WITH paid AS (SELECT invoice_number n, SUM(CAST(amount AS REAL)) a FROM payments
              WHERE status = 'cleared' GROUP BY invoice_number),
open AS (SELECT i.client_id c, julianday('{AS_OF}') - julianday(i.due_date) late,
                CAST(i.total_ttc AS REAL) - COALESCE(p.a, 0) o
         FROM invoices i LEFT JOIN paid p ON p.n = i.number WHERE i.status = 'issued')
SELECT c, SUM(CASE WHEN late <= 0 THEN o END), SUM(CASE WHEN late BETWEEN 1 AND 30 THEN o END),
       SUM(CASE WHEN late BETWEEN 31 AND 60 THEN o END), SUM(CASE WHEN late BETWEEN 61 AND 90 THEN o END),
       SUM(CASE WHEN late > 90 THEN o END), SUM(o)
FROM open WHERE o > 0.005 GROUP BY c;
"""


CEILING_CPU: dict[str, float] = {}  # CPU seconds of the ceilings' own processes


def sqlite_ceiling(bundle: Path, work: Path) -> tuple[float, float | None, str]:
    """(seconds to load every CSV raw, seconds of the aging query, what was used)."""
    db = work / "raw.db"
    db.unlink(missing_ok=True)
    shell = shutil.which("sqlite3")
    if shell:
        script = "".join(
            f".import --csv {bundle / name} {table}\n"
            for name, table in TABLE_COLS.items()
            if (bundle / name).exists()
        )
        t0 = time.perf_counter()
        with tempfile.TemporaryFile("w+") as commands:
            commands.write(script)
            commands.seek(0)
            proc = subprocess.Popen([shell, str(db)], stdin=commands)
            _, _, usage = os.wait4(proc.pid, 0)
        load = time.perf_counter() - t0
        CEILING_CPU["sqlite3"] = usage.ru_utime + usage.ru_stime
        t0 = time.perf_counter()
        subprocess.run(
            [shell, str(db)], input=AGING_SQL, text=True, check=True, stdout=subprocess.DEVNULL
        )
        return load, time.perf_counter() - t0, "sqlite3 .import"
    con = sqlite3.connect(db)
    t0 = time.perf_counter()
    for name, table in TABLE_COLS.items():
        with (bundle / name).open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            header = next(rows)
            con.execute(f"CREATE TABLE {table} ({', '.join(header)})")
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(header))})", rows)
    con.commit()
    load = time.perf_counter() - t0
    t0 = time.perf_counter()
    con.execute(AGING_SQL.replace(";", "")).fetchall()
    return load, time.perf_counter() - t0, "python sqlite3.executemany"


def duckdb_aging(bundle: Path) -> float | None:
    try:
        import duckdb  # type: ignore[import-not-found]
    except ImportError:
        return None
    sql = AGING_SQL.replace("julianday('" + str(AS_OF) + "') - julianday(i.due_date)",
                            f"date_diff('day', CAST(i.due_date AS DATE), DATE '{AS_OF}')")  # fmt: skip
    for name in ("invoices", "payments"):
        sql = sql.replace(
            f"FROM {name}", f"FROM read_csv('{bundle / name}.csv', all_varchar=true)", 1
        )
    t0 = time.perf_counter()
    duckdb.sql(sql).fetchall()
    return time.perf_counter() - t0


def pg_ceiling(bundle: Path, url: str) -> float:
    """Seconds for ``psql \\copy`` of the CSVs into text tables of a scratch schema."""
    script = ["DROP SCHEMA IF EXISTS million_raw CASCADE;", "CREATE SCHEMA million_raw;"]
    for name, table in TABLE_COLS.items():
        with (bundle / name).open(encoding="utf-8") as f:
            header = f.readline().strip().split(",")
        cols = ", ".join(f'"{c}" text' for c in header)  # quoted: `end` is a keyword
        script.append(f"CREATE TABLE million_raw.{table} ({cols});")
    subprocess.run(["psql", "-q", url], input="\n".join(script), text=True, check=True)
    copies = "".join(
        f"\\copy million_raw.{table} FROM '{bundle / name}' CSV HEADER\n"
        for name, table in TABLE_COLS.items()
    )
    t0 = time.perf_counter()
    subprocess.run(["psql", "-q", url], input=copies, text=True, check=True)
    took = time.perf_counter() - t0
    subprocess.run(["psql", "-q", url, "-c", "DROP SCHEMA million_raw CASCADE"], check=True)
    return took


def load() -> str:
    """The machine's load average over the last minute, to read beside a figure."""
    return f"[load {os.getloadavg()[0]:.2f}]"


def dashboard_times(env: dict) -> tuple[float, float]:
    """(first render, median of the next 5) of ``GET /dashboard`` in one process, through
    the app's own ASGI stack (``fastapi.testclient``), logged in as a fresh owner."""
    code = r"""
import os, re, statistics, sys, time
from fastapi.testclient import TestClient
from khazna.ledger.db import Ledger
from khazna.web.app import create_app
from khazna.web.users import add_user
url = os.environ["KHAZNA_DB_URL"]
with Ledger(url).session() as s:
    try:
        add_user(s, "bench", "owner", "bench-pass-123")
    except Exception:
        pass
c = TestClient(create_app(url, secret="bench"))
token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text).group(1)
c.post("/login", data={"csrf": token, "username": "bench", "password": "bench-pass-123", "next": "/"})
times = []
for _ in range(6):
    t = time.perf_counter(); r = c.get("/dashboard?as_of=" + sys.argv[1]); times.append(time.perf_counter() - t)
    assert r.status_code == 200 and "login" not in str(r.url), (r.status_code, r.url)
print(times[0], statistics.median(times[1:]))
"""
    out = subprocess.run(
        [sys.executable, "-c", code, AS_OF.isoformat()], env=env, capture_output=True, text=True
    )
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
        return float("nan"), float("nan")
    first, med = out.stdout.split()
    return float(first), float(med)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = the issue's size; 0.1 for a quick run"
    )
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--pg", help="also import into this PostgreSQL database (it is emptied)")
    ap.add_argument("--skip-run", action="store_true", help="do not time `khazna run`")
    ap.add_argument(
        "--reuse",
        action="store_true",
        help="with --keep: reuse the bundle and the imported ledger already in DIR",
    )
    ap.add_argument("--dashboard", action="store_true", help="also time the web dashboard")
    ap.add_argument(
        "--import-only",
        action="store_true",
        help="time the imports (SQLite, and PostgreSQL with --pg) and their ceilings only",
    )
    ap.add_argument("--generate", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = ap.parse_args()
    if args.generate:
        print(json.dumps(generate(args.generate, args.scale)))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="khazna-million-"))
    work.mkdir(parents=True, exist_ok=True)
    bundle = work / "bundle"
    reuse = bool(args.reuse and args.keep and (bundle / "counts.json").exists())
    t0 = time.perf_counter()
    if reuse:
        counts = json.loads((bundle / "counts.json").read_text())
    else:
        shutil.rmtree(bundle, ignore_errors=True)
        # generated in a child: a fork of a parent holding the data would count it in the
        # children's peak RSS (ru_maxrss includes the pages a child had before its exec)
        gen = subprocess.run([sys.executable, __file__, "--generate", str(bundle), "--scale", str(args.scale)],
                             check=True, capture_output=True, text=True)  # fmt: skip
        counts = json.loads(gen.stdout)
        (bundle / "counts.json").write_text(json.dumps(counts))
    total_rows = sum(counts.values())
    mb = sum(p.stat().st_size for p in bundle.iterdir() if p.suffix == ".csv") / 1e6
    print(f"bundle: {', '.join(f'{k} {v:,}' for k, v in counts.items())} "
          f"({total_rows:,} rows, {mb:.0f} MB) in {time.perf_counter() - t0:.1f} s")  # fmt: skip

    db = work / "khazna.db"
    reuse = reuse and db.exists()
    if not reuse:
        db.unlink(missing_ok=True)
    env = {**os.environ, "KHAZNA_HOME": str(work / "home"), "KHAZNA_DB_URL": f"sqlite:///{db}"}
    for key in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "KHAZNA_SMTP_HOST", "KHAZNA_IMAP_HOST"):
        env.pop(key, None)
    out = work / "out"
    out.mkdir(exist_ok=True)
    asof = ["--as-of", AS_OF.isoformat()]
    rows: list[tuple[str, float, int, str]] = []

    cpus: dict[str, float] = {}

    def step(label: str, argv: list[str], note: str = "") -> float:
        # one file per step ("categorize (text)" must not overwrite "categorize --json")
        target = out / ("".join(c if c.isalnum() else "_" for c in label).strip("_") + ".out")
        wall, rss, code, cpu = timed(KHAZNA + argv, target, env)
        cpus[label] = cpu
        size = target.stat().st_size
        extra = f"{size / 1e6:.1f} MB out" if size > 100_000 else ""
        rows.append(
            (
                label,
                wall,
                rss,
                " ".join(x for x in (note, extra, load(), "FAILED" if code else "") if x),
            )
        )
        print(f"  {label:<28} {wall:7.2f} s  {rss / 1024:7.0f} MiB  {rows[-1][3]}", flush=True)
        return wall

    raw_load, raw_aging, how = sqlite_ceiling(bundle, work)
    print(f"  ceiling {how}: load {raw_load:.2f} s, aging query {raw_aging or 0:.2f} s  {load()}")
    imp = None
    if not reuse:
        imp = step("import DIR --json", ["import", str(bundle), "--json"])
        step("import DIR (again)", ["import", str(bundle), "--json"], "idempotent re-import")
    analytics = 0.0
    if not args.import_only:
        aging = step("aging --json", ["aging", "--json", *asof])
        analytics += aging
        analytics += step("forecast --json", ["forecast", "--json", *asof])
        upto = ["--to", AS_OF.isoformat()]  # these two take a period, not an as-of date
        analytics += step("anomalies --json", ["anomalies", "--json", *upto])
        analytics += step("categorize --json", ["categorize", "--json", *upto])
        step("categorize (text)", ["categorize", *upto])
        step("anomalies (text)", ["anomalies", *upto])
        step("ask", ["ask", "total des créances de plus de 60 jours ?", *asof])
        step("--help", ["--help"])
    if args.dashboard and not args.import_only:
        dash = dashboard_times(env)
        rows.append(
            (
                "serve: GET /dashboard",
                dash[1],
                0,
                f"first {dash[0]:.2f} s, then median of 5 {load()}",
            )
        )
        print(f"  {'GET /dashboard':<28} {dash[1]:7.2f} s  (first {dash[0]:.2f} s)  {load()}")
    if not args.skip_run and not args.import_only:
        step("run --json", ["run", "--json", *asof])
        try:  # how long each specialist took: wall, and CPU of its own thread (load-proof)
            ran = json.loads((out / "run_json.out").read_text(encoding="utf-8"))
            print(f"    timings {ran.get('timings')}\n    cpu     {ran.get('cpu')}", flush=True)
        except (OSError, ValueError):
            pass
        if args.dashboard:  # the run stored the forecast, risky invoices, open anomalies
            dash = dashboard_times(env)
            rows.append(("serve: GET /dashboard after run", dash[1], 0,
                         f"first {dash[0]:.2f} s, then median of 5 {load()}"))  # fmt: skip
            print(
                f"  {'GET /dashboard after run':<28} {dash[1]:7.2f} s  (first {dash[0]:.2f} s)  {load()}"
            )

    print()
    print("| step | time | peak RSS | ceiling in this run |\n|---|---|---|---|")
    raw_rate = total_rows / raw_load
    for label, wall, rss, note in rows:
        ceiling = ""
        if label.startswith("import DIR --json") and imp:
            imp_rate = total_rows / imp
            ceiling = (f"{how}: {raw_load:.2f} s; {imp_rate:,.0f} vs {raw_rate:,.0f} rows/s = "
                       f"{imp_rate / raw_rate:.3f}× (target ≥ 0.25×)")  # fmt: skip
            if "sqlite3" in CEILING_CPU:
                mine, theirs = cpus[label], CEILING_CPU["sqlite3"]
                ceiling += f"; CPU {mine:.1f} s vs {theirs:.1f} s = {theirs / mine:.3f}×"
        elif label.startswith("aging --json") and raw_aging is not None:
            ceiling = f"same query in sqlite3: {raw_aging:.2f} s ({wall / raw_aging:.1f}×)"
            if (duck := duckdb_aging(bundle)) is not None:
                ceiling += f"; DuckDB from the CSVs: {duck:.2f} s ({wall / duck:.1f}×, target ≤ 3×)"
        print(
            f"| `khazna {label}` | {wall:.2f} s | {rss / 1024:.0f} MiB | {ceiling}{' — ' + note if note else ''} |"
        )
    if not args.import_only:
        print(f"| analytics total (4 × --json) | {analytics:.2f} s | | target ≤ 10 s |")
    if args.pg:
        # into an empty database, as the SQLite step imports into a new file (schema
        # created by the import itself); then again (nothing changes) and with --replace
        pg_env = {**env, "KHAZNA_DB_URL": args.pg}
        reset = "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"
        subprocess.run(["psql", "-q", args.pg, "-c", reset], check=True, capture_output=True)
        copy = pg_ceiling(bundle, args.pg)
        for label, extra in (("", []), (" (again)", []), (" --replace", ["--replace", "--yes"])):
            wall, rss, _, cpu = timed(
                KHAZNA + ["import", str(bundle), "--json", *extra], None, pg_env
            )
            print(f"| `khazna import{label}` into PostgreSQL | {wall:.2f} s | {rss / 1024:.0f} MiB | "
                  f"psql \\copy: {copy:.2f} s ({copy / wall:.3f}×); client CPU {cpu:.1f} s {load()} |")  # fmt: skip
    print(f"\nwork folder: {work}{'' if args.keep else ' (removed)'}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
