"""Re-run the attacks of issue 15 as a user would: crafted files generated here, the
``khazna`` program in a fresh ``KHAZNA_HOME``, ``khazna serve`` on loopback. One line per
attack: the class, what it printed (its key line), the wall time. Nothing is committed but
this script; the crafted files live in a temporary folder.

    .venv/bin/python benchmarks/hostile_rerun.py            # every class
    .venv/bin/python benchmarks/hostile_rerun.py paths bank  # some
    KHAZNA_TEST_PG_URL=postgresql://... adds the two-runs-at-once attack on PostgreSQL
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.bundles import FILES, write_bundle  # noqa: E402
from tests.hostile import mail_craft, pdf_craft  # noqa: E402

KHAZNA = [str(Path(sys.executable).parent / "khazna")]
RESULTS: list[tuple[str, str, str, float]] = []


def khazna(home: Path, *args: str, stdin: str | None = None, env: dict | None = None,
           timeout: float = 600) -> subprocess.CompletedProcess:  # fmt: skip
    full = {**os.environ, "KHAZNA_HOME": str(home), "PYTHONPATH": str(ROOT), **(env or {})}
    for var in ("OPENAI_API_KEY", "KHAZNA_DB_URL"):
        if env is None or var not in env:
            full.pop(var, None)
    return subprocess.run([*KHAZNA, *args], capture_output=True, text=True, env=full,
                          input=stdin, timeout=timeout)  # fmt: skip


def record(klass: str, attack: str, outcome: str, seconds: float) -> None:
    RESULTS.append((klass, attack, outcome, seconds))
    print(f"[{klass}] {attack}\n    -> {outcome}  ({seconds:.1f} s)", flush=True)


def key(proc: subprocess.CompletedProcess, pattern: str = "") -> str:
    text = (proc.stdout + "\n" + proc.stderr).strip()
    if "Traceback" in text:
        return "TRACEBACK: " + text.splitlines()[-1]
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if pattern:
        lines = [ln for ln in lines if re.search(pattern, ln)] or lines
    return f"exit {proc.returncode}: " + (" | ".join(lines[:2])[:300] if lines else "(nothing)")


def timed(
    fn: Callable[[], subprocess.CompletedProcess],
) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    out = fn()
    return out, time.monotonic() - start


def fresh(tmp: Path, name: str) -> Path:
    home = tmp / name
    home.mkdir()
    return home


def invoices_with(number: str) -> str:
    quoted = (
        '"' + number.replace('"', '""') + '"'
    )  # CR/LF inside the field, as a CSV writer puts it
    return FILES["invoices.csv"] + (
        f"{quoted},C01,2026-03-01,2026-03-31,virement,1000.00,190.00,0,1190.00,issued,\n"
    )


def _drafts(home: Path) -> list[dict]:
    out = khazna(home, "inbox", "list", "--json")
    try:
        return json.loads(out.stdout)["drafts"]
    except (ValueError, KeyError):
        return []


# --- 1. paths built from data ---------------------------------------------------------------


def attack_paths(tmp: Path) -> None:
    home = fresh(tmp, "paths")
    for number in ("../../../../outside/evil", "A\r\nB", "A\x00B", "..\\..\\evil"):
        root = write_bundle(tmp / f"b{abs(hash(number))}", invoices_csv=invoices_with(number))
        out, s = timed(lambda root=root: khazna(home, "import", str(root)))
        record("1 paths", f"import an invoice numbered {number!r}", key(out, "invoices.csv"), s)
    root = write_bundle(tmp / "slashed", invoices_csv=invoices_with("2026/0001"))
    out, s = timed(lambda: khazna(home, "import", str(root)))
    record("1 paths", "import an invoice numbered '2026/0001' (legitimate)", key(out), s)
    out, s = timed(lambda: khazna(home, "run", "--as-of", "2026-04-20", "--no-send"))
    drafts = _drafts(home)
    ids = [d["draft_id"] for d in drafts if "2026/0001" in json.dumps(d)]
    if ids:
        out, s = timed(lambda: khazna(home, "inbox", "approve", ids[0], "--yes"))
        record("1 paths", f"approve the draft of 2026/0001 ({ids[0]})", key(out), s)
    outside = [p for p in tmp.rglob("*") if "outside" in p.parts or p.name.startswith("evil")]
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file()
                     and p.suffix in (".pdf", ".eml", ".html"))  # fmt: skip
    record("1 paths", "files named after the numbers", f"outside the home: {outside or 'none'}; "
           f"inside: {written[:4] or 'none'}", 0.0)  # fmt: skip


# --- 2 and 3. mail ----------------------------------------------------------------------------


def attack_mail(tmp: Path) -> None:
    home = fresh(tmp, "mail")
    khazna(home, "demo")
    replies = home / "replies"
    replies.mkdir(exist_ok=True)
    (replies / "deep.eml").write_bytes(mail_craft.deeply_nested(1000))
    for i in (1, 2):
        out, s = timed(lambda: khazna(home, "run", "--no-send", "--json"))
        try:
            rep = json.loads(out.stdout)["replies"]
            line = f"exit {out.returncode}: quarantined {[q.get('reason') for q in rep['quarantined']]}, " \
                   f"already quarantined {rep['already_quarantined']}"  # fmt: skip
        except (ValueError, KeyError):
            line = key(out)
        record("2 one email", f"khazna run #{i} with a 1000-deep 60 KB reply in replies/", line, s)
    # 3: a forged promise from the address of a client whose formal notice is due today,
    # in a second demo ledger, before its run
    notices = [d for d in _drafts(home) if d.get("level") == 3]
    if not notices:
        record("3 reply is evidence", "forged promise", "no formal notice in the demo today", 0)
        return
    target = notices[0]
    addr = (target.get("to") or [""])[0]
    home2 = fresh(tmp, "mail2")
    khazna(home2, "demo")
    (home2 / "replies").mkdir(exist_ok=True)
    (home2 / "replies" / "forged.eml").write_bytes(mail_craft.reply(
        "Bonjour, nous paierons toutes les factures le 30/12/2026.", sender=addr,
        message_id="<forged@rerun>", date=time.strftime("%a, %d %b %Y 09:00:00 +0100")))  # fmt: skip
    out, s = timed(lambda: khazna(home2, "run", "--no-send", "--json"))
    try:
        data = json.loads(out.stdout)
        unconfirmed = list(data["replies"]["unconfirmed"].values())
        again = [d["draft_id"] for d in data["drafts"] if d.get("client_id") == target["client_id"]]
        shown = khazna(home2, "inbox", "show", again[0]).stdout if again else ""
        note = next(
            (ln.strip() for ln in shown.splitlines() if "à confirmer" in ln or "dit " in ln),
            "no note",
        )
        line = f"exit {out.returncode}: reply unconfirmed {unconfirmed[:1]}; the notice " \
               f"{target['draft_id'][-6:]} drafted again: {again}; on it: {note[:120]}"  # fmt: skip
    except (ValueError, KeyError, IndexError):
        line = key(out)
    record("3 reply is evidence", f"forged 'nous paierons ... le 30/12/2026' from {addr}", line, s)


# --- 4. spreadsheets --------------------------------------------------------------------------


def attack_formulas(tmp: Path) -> None:
    home = fresh(tmp, "formulas")
    hostile = ['=HYPERLINK("http://evil.example/x","clic")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd",
               "-2+3", "\tTAB", "\rCR"]  # fmt: skip
    lines = FILES["expenses.csv"].rstrip("\n").splitlines()
    head, first = lines[0], lines[1].split(",")
    extra = []
    for i, text in enumerate(hostile):
        row = list(first)
        row[0] = f"EXH{i}"
        cols = head.split(",")
        row[cols.index("method")] = "especes"  # paid cash: in the journal (CA)
        row[cols.index("amount")] = "10.00"
        for name in ("payee", "description"):
            if name in cols:
                row[cols.index(name)] = '"' + text.replace('"', '""') + '"'
        extra.append(",".join(row))
    root = write_bundle(tmp / "fb", expenses_csv="\n".join([*lines, *extra]) + "\n")
    out, s = timed(lambda: khazna(home, "import", str(root)))
    record("4 spreadsheets", "import expenses whose payee/description start with = + @ - tab CR",
           key(out), s)  # fmt: skip
    for fmt in ("csv", "xlsx"):
        dest = tmp / f"acc.{fmt}"
        out, s = timed(lambda fmt=fmt, dest=dest: khazna(home, "export-accounting", "--from",
                       "2000-01-01", "--to", "2100-12-31", "--format", fmt, "--out", str(dest)))  # fmt: skip
        record("4 spreadsheets", f"export-accounting --format {fmt}: live formulas",
               f"{key(out)[:80]} ; {_live_cells(dest, fmt)}", s)  # fmt: skip
    exp = tmp / "exported"
    out, s = timed(lambda: khazna(home, "export", str(exp)))
    cells = _live_cells(exp / "expenses.csv", "csv")
    home2 = fresh(tmp, "formulas2")
    back = khazna(home2, "import", str(exp))
    again = tmp / "exported2"
    khazna(home2, "export", str(again))
    same = all((exp / f).read_bytes() == (again / f).read_bytes()
               for f in os.listdir(exp) if (exp / f).is_file())  # fmt: skip
    record(
        "4 spreadsheets",
        "khazna export then import then export",
        f"expenses.csv {cells}; re-import exit {back.returncode}; byte-identical: {same}",
        s,
    )


def _live_cells(path: Path, fmt: str) -> str:
    if not path.exists():
        return "no file"
    if fmt == "csv":
        text = path.read_text(encoding="utf-8-sig")
        delim = ";" if text.count(";") > text.count(",") else ","
        cells = [c for row in csv.reader(io.StringIO(text), delimiter=delim) for c in row]
        live = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
                or (c[:1] == "-" and not re.fullmatch(r"-[\d\s.,]+", c))]  # fmt: skip
        carried = sum(any(m in c for m in MARKS) for c in cells)
        return f"{carried} cells carry the hostile texts, {len(live)} live {live[:2]}"
    from openpyxl import load_workbook

    wb = load_workbook(path)
    live = [c.value for ws in wb for row in ws.iter_rows() for c in row
            if c.data_type == "f" or (isinstance(c.value, str) and c.value[:1] == "=")]  # fmt: skip
    carried = sum(isinstance(c.value, str) and any(m in c.value for m in MARKS)
                  for ws in wb for row in ws.iter_rows() for c in row)  # fmt: skip
    return f"{carried} cells carry the hostile texts, {len(live)} formulas {live[:2]}"


MARKS = ("HYPERLINK", "cmd|", "SUM(1+1)", "TAB", "CR")


# --- 5. sessions ------------------------------------------------------------------------------


def attack_sessions(tmp: Path) -> None:
    import httpx

    home = fresh(tmp, "web")
    khazna(home, "demo")
    khazna(home, "user", "add", "amina", "--role", "owner", "--password-stdin",
           stdin="correct horse battery\n")  # fmt: skip
    port = _free_port()
    env = {**os.environ, "KHAZNA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([*KHAZNA, "serve", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        c = httpx.Client(base_url=base, timeout=10)
        _login(c, "amina", "correct horse battery")
        cookie = dict(c.cookies)
        opened = c.get("/inbox").status_code
        c.post("/logout", data={"csrf": _csrf(c, "/inbox")})
        replay = httpx.Client(base_url=base, cookies=cookie, timeout=10).get("/inbox",
                                                                               follow_redirects=False)  # fmt: skip
        record("5 sessions", "cookie replayed after logout",
               f"inbox before logout {opened}; replayed after: {replay.status_code} "
               f"{replay.headers.get('location', '')}", 0)  # fmt: skip
        c2 = httpx.Client(base_url=base, timeout=10)
        _login(c2, "amina", "correct horse battery")
        cookie = dict(c2.cookies)
        out = khazna(
            home, "user", "passwd", "amina", "--password-stdin", stdin="another long one\n"
        )
        replay = httpx.Client(base_url=base, cookies=cookie, timeout=10).get("/inbox",
                                                                               follow_redirects=False)  # fmt: skip
        record("5 sessions", "cookie replayed after `khazna user passwd`",
               f"{key(out)[:90]} ; replayed: {replay.status_code}", 0)  # fmt: skip
        _receipt(base, tmp, ("amina", "another long one"))  # 6: before the throttling below
        codes = []
        start = time.monotonic()
        for i in range(12):
            r = _login(httpx.Client(base_url=base, timeout=30), "amina", f"wrong{i}",
                       xff=f"10.0.0.{i}")  # fmt: skip
            codes.append(r.status_code)
        record("5 sessions", "12 wrong passwords, each with a new X-Forwarded-For",
               f"status codes {codes}", time.monotonic() - start)  # fmt: skip
        start = time.monotonic()
        for i in range(30):
            _login(httpx.Client(base_url=base, timeout=30), f"nobody{i}", "x", xff=f"10.1.0.{i}")
        record(
            "5 sessions", "30 logins with unknown user names", "served", time.monotonic() - start
        )
        out = khazna(home, "user", "sessions", "amina")
        record("5 sessions", "khazna user sessions amina", key(out), 0)
        out = khazna(home, "user", "remove", "amina")
        record("5 sessions", "khazna user remove amina (the only owner)", key(out), 0)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


def _csrf(c, path: str) -> str:
    m = CSRF_RE.search(c.get(path).text)
    return m.group(1) if m else ""


def _login(c, user: str, password: str, xff: str | None = None):
    token = _csrf(c, "/login")
    headers = {"X-Forwarded-For": xff} if xff else {}
    return c.post("/login", data={"csrf": token, "username": user, "password": password,
                                  "next": "/"}, headers=headers, follow_redirects=False)  # fmt: skip


def _receipt(base: str, tmp: Path, user: tuple[str, str]) -> None:
    import httpx

    c = httpx.Client(base_url=base, timeout=30)
    _login(c, *user)
    page = c.get("/receipts").text
    m = re.search(r'action="/receipts/([^"?]+)', page)
    if not m:
        record("6 receipts", "upload x.html holding a PDF", "no expense waiting for a receipt", 0)
        return
    pdf = pdf_craft.invoice_bytes(tmp)
    r = c.post(f"/receipts/{m.group(1)}", data={"csrf": CSRF_RE.search(page).group(1)},
               files={"file": ("x.html", pdf, "text/html")})  # fmt: skip
    links = re.findall(r'href="(/receipts/file/\d+)"', c.get("/receipts?as_of=").text + r.text)
    if not links:
        record("6 receipts", "upload x.html holding a PDF", f"upload {r.status_code}, no link", 0)
        return
    got = c.get(links[-1])
    record("6 receipts", "upload x.html holding a PDF, then download it",
           f"upload {r.status_code}; download {got.headers.get('content-type')} "
           f"{got.headers.get('content-disposition')}", 0)  # fmt: skip


# --- 6. never stuck, never a traceback ----------------------------------------------------


def attack_replace(tmp: Path) -> None:
    home = fresh(tmp, "replace")
    khazna(home, "demo")
    khazna(home, "run", "--no-send")
    exp = tmp / "replace_bundle"
    khazna(home, "export", str(exp))
    out, s = timed(lambda: khazna(home, "import", str(exp), "--replace"))
    record("6 --replace", "import --replace without a terminal, no --yes", key(out), s)
    out, s = timed(lambda: khazna(home, "import", str(exp), "--replace", "--yes"))
    record("6 --replace", "import --replace --yes", key(out, "supprim|gard|kept|delet"), s)
    out, s = timed(lambda: khazna(home, "run", "--no-send", "--json"))
    drafts = json.loads(out.stdout)["drafts"] if out.returncode == 0 else []
    if drafts:
        d = drafts[0]["draft_id"]
        dec = khazna(home, "inbox", "reject", d, "--reason", "rerun")
        record("6 --replace", f"run the same day, then reject {d}", key(dec), s)
    else:
        record("6 --replace", "run the same day", key(out), s)


def attack_two_runs(tmp: Path) -> None:
    urls = [("sqlite", None)]
    if os.environ.get("KHAZNA_TEST_PG_URL"):
        urls.append(("postgresql", _pg_db(os.environ["KHAZNA_TEST_PG_URL"])))
    for name, url in urls:
        home = fresh(tmp, f"two_{name}")
        extra = ["--db", url] if url else []
        khazna(home, "import", str(write_bundle(tmp / f"tb_{name}")), *extra)
        env = {**os.environ, "KHAZNA_HOME": str(home), "PYTHONPATH": str(ROOT)}
        env.pop("OPENAI_API_KEY", None)
        args = [*KHAZNA, "run", "--no-send", "--as-of", "2026-03-31", *extra]
        start = time.monotonic()
        procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]  # fmt: skip
        outs = [p.communicate(timeout=600) for p in procs]
        codes = [p.returncode for p in procs]
        said = [ln for o in outs for ln in o[1].splitlines() if "en cours" in ln or "Error" in ln]
        trace = any("Traceback" in o[1] for o in outs)
        record("6 two runs", f"two `khazna run` started at once on {name}",
               f"exit codes {codes}; {said[:1] or 'both ran one after the other'}; traceback: "
               f"{trace}", time.monotonic() - start)  # fmt: skip
        if url:
            _drop_pg(os.environ["KHAZNA_TEST_PG_URL"], url)


def _pg_db(admin_url: str) -> str:
    import sqlalchemy as sa

    name = f"khazna_rerun_{os.getpid()}"
    eng = sa.create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT")  # fmt: skip
    with eng.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return admin_url.rsplit("/", 1)[0] + "/" + name


def _drop_pg(admin_url: str, url: str) -> None:
    import sqlalchemy as sa

    eng = sa.create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT")  # fmt: skip
    with eng.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))


def attack_bank(tmp: Path) -> None:
    from openpyxl import Workbook

    home = fresh(tmp, "bank")
    khazna(home, "import", str(write_bundle(tmp / "bankb")))
    wb = Workbook()
    wb.active.append(["Date", "Libellé", "Débit", "Crédit"])
    wb.active.append(["01/04/2026", "OK", 10, None])
    ok = tmp / "ok.xlsx"
    wb.save(ok)
    bomb = tmp / "bomb.xlsx"
    with zipfile.ZipFile(ok) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            data = src.read(i)
            if i.filename != "xl/worksheets/sheet1.xml":
                z.writestr(i, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with z.open(i.filename, "w", force_zip64=True) as f:
                f.write(head)
                for _ in range(2048):  # 2 GiB of blanks
                    f.write(b" " * (1 << 20))
                f.write(b"</sheetData>" + tail)
    out, s = timed(lambda: khazna(home, "import-bank", str(bomb)))
    record("6 bank", f"XLSX whose sheet decompresses to 2 GiB ({bomb.stat().st_size // 1024} KB)",
           key(out), s)  # fmt: skip
    for text, what in (("01/04/2026;X;12345678901234567890123;", "a 23-digit amount"),
                       ("01/01/0001;Y;1;", "01/01/0001"), ("01/12/2026 25:99;Z;2;", "25:99")):  # fmt: skip
        f = tmp / f"bank{len(what)}.csv"
        f.write_text("Date;Libellé;Débit;Crédit\n" + text + "\n", encoding="utf-8")
        out, s = timed(lambda f=f: khazna(home, "import-bank", str(f)))
        record("6 bank", f"CSV statement with {what}", key(out, "csv:2"), s)


def attack_bundle_values(tmp: Path) -> None:
    home = fresh(tmp, "bvals")
    root = write_bundle(tmp / "nested")
    company = json.loads((root / "company.json").read_text(encoding="utf-8"))
    company["policy_extra"] = {"limits": {"petty_cash": 12345.678, "nested": [0.1, {"x": 1e-7}]}}
    (root / "company.json").write_text(json.dumps(company), encoding="utf-8")
    out, s = timed(lambda: khazna(home, "import", str(root)))
    record("6 bundle", "company.json with nested decimals", key(out), s)
    lines = FILES["expenses.csv"].rstrip("\n").splitlines()
    cols = lines[0].split(",")
    row = lines[1].split(",")
    row[0] = "EXCTL"
    row[cols.index("payee")] = "Pay\x07ee\x1b[31m"
    root = write_bundle(tmp / "ctl", expenses_csv="\n".join([*lines, ",".join(row)]) + "\n")
    home2 = fresh(tmp, "bvals2")
    out, s = timed(lambda: khazna(home2, "import", str(root)))
    dest = tmp / "ctl.xlsx"
    x = khazna(home2, "export-accounting", "--from", "2000-01-01", "--to", "2100-12-31",
               "--format", "xlsx", "--out", str(dest))  # fmt: skip
    record(
        "6 bundle",
        "a payee with BEL and ESC, then export-accounting --format xlsx",
        f"import {key(out)[:70]} ; xlsx exit {x.returncode} {_live_cells(dest, 'xlsx')}",
        s,
    )
    row[0] = "EXBIG"
    row[cols.index("payee")] = "Big"
    row[cols.index("amount")] = "12345678901234567.89"
    root = write_bundle(tmp / "big", expenses_csv="\n".join([*lines, ",".join(row)]) + "\n")
    out, s = timed(lambda: khazna(fresh(tmp, "bvals3"), "import", str(root)))
    record("6 bundle", "an amount of 12345678901234567.89", key(out, "expenses.csv"), s)


def attack_pdf(tmp: Path) -> None:
    home = fresh(tmp, "pdf")
    pdf = tmp / "heavy.pdf"
    pdf.write_bytes(pdf_craft.with_operators(tmp, 3_000_000))
    out, s = timed(lambda: khazna(home, "check-invoice", str(pdf)))
    record("6 pdf", f"check-invoice on a {pdf.stat().st_size // 1024} KB PDF of 3 million operators",
           key(out, "complexe|PDF"), s)  # fmt: skip


def attack_model(tmp: Path) -> None:
    from tests.test_model_timeout import SilentServer

    home = fresh(tmp, "model")
    khazna(home, "demo")
    server = SilentServer()
    env = {"OPENAI_API_KEY": "sk-test-0123456789", "OPENAI_BASE_URL": server.base_url,
           "KHAZNA_MODEL": "silent"}  # fmt: skip
    try:
        out, s = timed(lambda: khazna(home, "ask", "total des créances ?", env=env))
        record("6 model", "khazna ask against a server that accepts and never answers",
               key(out, "note"), s)  # fmt: skip
        out, s = timed(lambda: khazna(home, "run", "--no-send", env=env))
        record("6 model", "khazna run against the same server", key(out, "temps du modèle"), s)
    finally:
        server.close()


ATTACKS = {"paths": attack_paths, "mail": attack_mail, "formulas": attack_formulas,
           "sessions": attack_sessions, "replace": attack_replace, "runs": attack_two_runs,
           "bank": attack_bank, "bundle": attack_bundle_values, "pdf": attack_pdf,
           "model": attack_model}  # fmt: skip


def main(argv: list[str]) -> int:
    chosen = argv or list(ATTACKS)
    tmp = Path(tempfile.mkdtemp(prefix="khazna-hostile-"))
    try:
        for name in chosen:
            try:
                ATTACKS[name](tmp)
            except Exception as err:  # the script goes on: one attack's failure is a result
                record(name, "the re-run itself", f"FAILED: {type(err).__name__}: {err}", 0)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    bad = [r for r in RESULTS if "TRACEBACK" in r[2] or "FAILED" in r[2]]
    print(f"\n{len(RESULTS)} attacks re-run, {len(bad)} with a traceback or a failed re-run")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
