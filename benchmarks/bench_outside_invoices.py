"""How well PDF reading finds number, date and total on invoices it was not tuned for.

Reads every ``shared/data/outside-invoices/*.pdf`` (invoice2data's comparison set) and
compares with the expected values of its ``.json``. A number matches when it is equal once
case, spaces and punctuation (``#``, ``/``, ``-``) are ignored; a total when equal to the cent.

    .venv/bin/python benchmarks/bench_outside_invoices.py [FOLDER]
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from khazna.tools.invoice_check import read_pdf
from khazna.tools.invoice_check.models import InvoiceReadError

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "outside-invoices"


def _norm(text: str | None) -> str:
    return re.sub(r"[^0-9a-z]", "", (text or "").lower())


def score_file(pdf: Path) -> dict[str, bool | None]:
    """{field: True (read right) / False (wrong or unread) / None (nothing expected)}."""
    expected = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))[0]
    try:
        doc = read_pdf(pdf).document
    except InvoiceReadError:
        return {"number": False, "date": False, "total": False}
    amount = expected.get("amount")
    return {
        "number": _norm(doc.number) == _norm(str(expected["invoice_number"])),
        "date": doc.issue_date == date.fromisoformat(expected["date"])
        if expected.get("date")
        else None,
        "total": (doc.total_ttc == Decimal(str(amount))) if amount is not None else None,
    }


def run(folder: Path) -> tuple[int, int, dict[str, dict[str, bool | None]]]:
    results = {p.name: score_file(p) for p in sorted(folder.glob("*.pdf"))}
    right = sum(1 for r in results.values() for v in r.values() if v is True)
    asked = sum(1 for r in results.values() for v in r.values() if v is not None)
    return right, asked, results


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not folder.is_dir():
        print(f"no folder {folder}")
        return 1
    right, asked, results = run(folder)
    mark = {True: "ok", False: "--", None: " ."}
    print(f"{'file':32} number date total")
    for name, r in results.items():
        print(f"{name:32} {mark[r['number']]:>6} {mark[r['date']]:>4} {mark[r['total']]:>5}")
    for key in ("number", "date", "total"):
        n = sum(1 for r in results.values() if r[key] is True)
        k = sum(1 for r in results.values() if r[key] is not None)
        print(f"{key}: {n}/{k}")
    print(f"read right: {right}/{asked} fields in {len(results)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
