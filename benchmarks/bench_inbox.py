"""How fast the web inbox serves with 10,000 pending drafts.

Creates the drafts directly in a fresh SQLite ledger, serves the app with uvicorn on
127.0.0.1 in a thread, signs in, then fetches the inbox N times (first page, and a deep
page) and prints p50 / p95 / max in milliseconds. Target: p95 < 200 ms.

    .venv/bin/python benchmarks/bench_inbox.py [--drafts 10000] [--n 200]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_drafts(ledger, n: int, seed: int = 7) -> None:
    from khazna.ledger.tables_agents import Draft, DraftStatus

    rng = random.Random(seed)
    now = datetime.now(UTC).replace(tzinfo=None)
    as_of = date(2026, 3, 31)
    rows = []
    for i in range(n):
        k = rng.randint(1, 3)
        invoices = []
        for j in range(k):
            late = rng.randint(3, 120)
            due = as_of - timedelta(days=late)
            amount = f"{rng.randint(5_000, 2_000_000)}.{rng.randint(0, 99):02d}"
            invoices.append(
                {
                    "number": f"F2026-{i:05d}-{j}",
                    "issue_date": (due - timedelta(days=30)).isoformat(),
                    "due_date": due.isoformat(),
                    "total_ttc": amount,
                    "open_amount": amount,
                    "days_late": late,
                    "level": 1 if late < 10 else 2 if late < 30 else 3,
                }
            )
        total = sum(Decimal(x["open_amount"]) for x in invoices)
        level = max(x["level"] for x in invoices)
        text = ("Madame, Monsieur,\n\nNous vous rappelons que la facture reste impayée. " * 12)[
            :1800
        ]
        rows.append(
            {
                "draft_id": f"D20260331-C{i:05d}-L{level}",
                "run_id": "bench",
                "as_of": as_of,
                "client_id": f"C{i:05d}",
                "level": level,
                "status": DraftStatus.PENDING_APPROVAL,
                "language": "ar" if i % 5 == 0 else "fr",
                "to_addrs": [f"compta{i}@client.example.dz"],
                "cc_addrs": [],
                "subject": f"Relance – facture(s) {', '.join(x['number'] for x in invoices)}",
                "short": text[:300],
                "detailed": text,
                "invoice_numbers": [x["number"] for x in invoices],
                "attachments": [f"{x['number']}.pdf" for x in invoices],
                "facts": {"client_name": f"Client {i:05d} SARL", "invoices": invoices},
                "citations": [
                    {"id": f"I{i}", "date": "2026-03-01", "kind": "promise", "text": "x"}
                ],
                "total": total,
                "max_days_late": max(x["days_late"] for x in invoices),
                "writer": "template",
                "writer_note": "",
                "edited": False,
                "decision_note": "",
                "decided_by": "",
                "created_at": now,
                "message_id": "",
                "thread_id": "",
            }
        )
    with ledger.session() as s:
        s.execute(Draft.__table__.insert(), rows)


def serve(app, port: int):
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return server, thread


def timings(client, path: str, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = client.get(path)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (path, r.status_code)
    return out


def report(label: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p95 = ms[max(0, int(round(0.95 * len(ms))) - 1)]
    print(
        f"{label:<28} n={len(ms)}  p50={statistics.median(ms):6.1f} ms  "
        f"p95={p95:6.1f} ms  max={ms[-1]:6.1f} ms"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drafts", type=int, default=10_000)
    ap.add_argument("--n", type=int, default=200)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="khazna-bench-inbox-"))
    os.environ["KHAZNA_HOME"] = str(tmp / "home")
    import httpx

    from khazna.ledger.db import Ledger
    from khazna.web.app import create_app
    from khazna.web.users import add_user

    url = f"sqlite:///{tmp / 'ledger.db'}"
    ledger = Ledger(url)
    t0 = time.perf_counter()
    make_drafts(ledger, args.drafts)
    with ledger.session() as s:
        add_user(s, "owner", "owner", "bench-password")
    print(f"{args.drafts} pending drafts written in {time.perf_counter() - t0:.1f} s ({url})")

    app = create_app(url, secret="b" * 40)
    port = free_port()
    server, thread = serve(app, port)
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=30) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)
        r = client.post(
            "/login", data={"csrf": token, "username": "owner", "password": "bench-password"}
        )
        assert r.status_code == 303, r.status_code
        first = client.get("/inbox").text
        assert first.count('<tr class="level-') == 50, "the page should list 50 drafts"
        pages = int(re.search(r"page 1 / (\d+)", first).group(1))
        timings(client, "/inbox", 10)  # warm-up
        report("GET /inbox (page 1)", timings(client, "/inbox", args.n))
        report(f"GET /inbox?page={pages} (last)", timings(client, f"/inbox?page={pages}", args.n))
    server.should_exit = True
    thread.join(10)
    ledger.dispose()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
