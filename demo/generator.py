"""``generate``: a realistic demo company written as a ledger bundle (spec/bundle.md).

Atlas Services SARL, an IT and engineering services firm in Alger (28 to 36 people), with
18 months of books ending on the as-of day. Everything comes from ``random.Random(seed)``:
the same seed and as-of day give the same bytes. Beside the bundle, ``truth.json`` holds
what the generator knows and the program must find (bank line categories and matches,
seeded anomalies and invoice defects, the hostile note); the importer ignores it.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from khazna.demo import ids
from khazna.demo.anomalies import seed_anomalies
from khazna.demo.book import BankEntry, Book, shipped_calendar
from khazna.demo.catalog import COMPANY
from khazna.demo.interactions import make_interactions, open_amounts
from khazna.demo.invoice_docs import document_json, make_documents, make_pieces, piece_pdf
from khazna.demo.sales import make_clients, make_invoices, make_payments
from khazna.demo.spending import add_bank_fees, make_commitments, make_spending, make_suppliers
from khazna.filenames import inside, safe_path
from khazna.ledger.documents import PIECES, piece_file_name
from khazna.ledger.invoice_pdf import render_invoice_pdf
from khazna.money import q2, to_json_number

MONTHS_OF_BOOKS = 18
PRE_MONTHS = 3  # invoices issued before the statement starts, paid within it
POLICY: dict[str, Any] = {  # policy.json, as written
    "treasury": {"safety_threshold": 4500000, "horizon_days": 30},
    "dunning": {"levels_days": [3, 10, 30]},
    "expenses": {
        "receipt_required_above": 5000,
        "max_per_transaction": {"restaurant": 15000, "carburant": 20000},
        "max_per_month": {"deplacements": 200000},
        "card_allowed_categories": {"CARD-01": ["carburant", "deplacements", "restaurant"]},
    },
    # Example products only: "placeholder": true says the rates are not any bank's; the owner
    # replaces them with the rates of their own bank's offer.
    "placement": {
        "terms_days": [30, 90, 180],
        "day_basis": 365,
        "products": [
            {
                "product_id": "DAT-30",
                "name": "Dépôt à terme 1 mois (exemple)",
                "term_days": 30,
                "annual_rate_percent": "1.50",
                "min_amount": 500000,
                "placeholder": True,
            },
            {
                "product_id": "DAT-90",
                "name": "Dépôt à terme 3 mois (exemple)",
                "term_days": 90,
                "annual_rate_percent": "2.00",
                "min_amount": 1000000,
                "placeholder": True,
            },
            {
                "product_id": "DAT-180",
                "name": "Dépôt à terme 6 mois (exemple)",
                "term_days": 180,
                "annual_rate_percent": "2.50",
                "min_amount": 1000000,
                "placeholder": True,
            },
        ],
    },  # fmt: skip
}
# The opening balance is set so the lowest point of the books sits this far below zero:
# one salary day the account goes overdrawn, which a forecast must see coming.
LOWEST_BALANCE = Decimal("-185000.00")

COLUMNS = {
    "clients.csv": "client_id name kind email phone language payment_terms_days nif nis rc ai address",
    "suppliers.csv": "supplier_id name category email nif",
    "invoices.csv": "number client_id issue_date due_date payment_method total_ht total_tva timbre "
    "total_ttc status credited_invoice",
    "invoice_lines.csv": "number description quantity unit unit_price_ht tva_rate",
    "payments.csv": "payment_id date client_id invoice_number amount method reference status",
    "expenses.csv": "expense_id date supplier_id payee category amount method reference "
    "supplier_invoice employee card_id receipt description",
    "bank_lines.csv": "line_id account date label amount reference",
    "commitments.csv": "commitment_id label category amount day_of_month every_months start end",
    "interactions.csv": "interaction_id client_id date channel direction kind text",
}
BUNDLE_FILES = ["company.json", "policy.json", *COLUMNS, "documents"]


@dataclass
class DemoSummary:
    out_dir: Path
    seed: int
    as_of: date
    start: date
    counts: dict[str, int]
    opening_balance: Decimal
    cash_position: Decimal
    balance_min: Decimal
    balance_min_date: date
    balance_max: Decimal
    balance_max_date: date
    safety_threshold: Decimal
    open_receivables: Decimal
    anomalies_by_kind: dict[str, int] = field(default_factory=dict)
    document_defects: int = 0
    pdf_documents: int = 0
    # kind -> files written (documents/<number>-BL.pdf, <number>-ASF.pdf)
    pieces: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        out["out_dir"] = str(self.out_dir)
        return out


def _months_back(d: date, n: int) -> date:
    y, m = d.year, d.month - n
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1)


def build_book(*, seed: int, as_of: date) -> Book:
    """Everything in memory, before it is written (tests and evals can use it too)."""
    rng = random.Random(seed)
    start = _months_back(as_of, MONTHS_OF_BOOKS - 1)
    book = Book(
        rng=rng,
        start=start,
        as_of=as_of,
        cal=shipped_calendar(),
        sales_start=_months_back(start, PRE_MONTHS),
    )
    book.company = {**COMPANY, "rc": ids.rc(rng, "16", "B"), "nif": ids.nif(rng), "nis": ids.nis(rng),
                    "ai": ids.ai(rng), "rib": ids.rib(rng, "004")}  # fmt: skip
    make_clients(book)
    make_suppliers(book)
    make_invoices(book)
    make_payments(book)
    make_spending(book)
    seed_anomalies(book)
    add_bank_fees(book)
    make_commitments(book)
    make_interactions(book)
    make_documents(book)
    make_pieces(book)
    _finish_bank(book)
    return book


def _finish_bank(book: Book) -> None:
    """Order the statement, give ids, and shape the cash curve with the opening balance."""
    _shape_cash(book)
    book.bank.sort(key=lambda e: (e.date, e.seq))
    for k, e in enumerate(book.bank, start=1):
        e.line_id = f"BL-{k:05d}"
    book.expenses.sort(key=lambda e: (e["date"], e["_seq"]))
    for k, row in enumerate(book.expenses, start=1):
        row["expense_id"] = f"E-{k:04d}"


def _end_of_day(entries: list[BankEntry]) -> list[tuple[date, Decimal]]:
    out: dict[date, Decimal] = {}
    run = Decimal(0)
    for e in sorted(entries, key=lambda e: (e.date, e.seq)):
        run += e.amount
        out[e.date] = run
    return sorted(out.items())


def _shape_cash(book: Book) -> None:
    """Three amounts shape the cash curve so the treasury agents have something to say:
    the opening balance (dips just under the safety threshold in the first months), the
    dividend paid after the annual meeting (the account goes overdrawn on the next salary
    week, to LOWEST_BALANCE) and the operating credit the bank then grants (the last
    months hover around the threshold)."""
    threshold = Decimal(POLICY["treasury"]["safety_threshold"])
    tdiv = book.working_on_or_after(_months_back(book.as_of, 5).replace(day=11))
    run = _end_of_day(book.bank)
    before = [v for d, v in run if d < tdiv] or [Decimal(0)]
    window = [(d, v) for d, v in run if tdiv <= d <= tdiv + timedelta(days=25)] or [
        (tdiv, Decimal(0))
    ]
    trough_day, trough = min(window, key=lambda t: t[1])
    opening = threshold - Decimal(300_000) - min(before)
    dividend = opening + trough - LOWEST_BALANCE
    dividend = Decimal(min(max(int(dividend), 2_000_000), 15_000_000) // 10_000 * 10_000)
    opening = LOWEST_BALANCE + dividend - trough
    year = tdiv.year - 1
    exp = book.expense_add(date=tdiv, payee="Associés (dividendes)", category="autre", amount=dividend,
                           reference=f"AGO{tdiv:%Y%m%d}", receipt="yes",
                           description=f"Dividendes de l'exercice {year} (PV d'AGO)")  # fmt: skip
    book.bank_add(tdiv, f"VIR EMIS DIVIDENDES ASSOCIES EX {year}", -dividend, "autre",
                  f"AGO{tdiv:%Y%m%d}", expense=exp)  # fmt: skip
    book.facts["dividend"] = {"date": tdiv.isoformat(), "amount": str(dividend)}
    tcred = book.cal.add_working_days(trough_day, 8)
    tail = [v for d, v in _end_of_day(book.bank) if d >= tcred]
    if tail and tcred <= book.as_of:
        credit = threshold - Decimal(400_000) - (opening + min(tail))
        credit = Decimal(min(int(credit), 12_000_000) // 100_000 * 100_000)
        if credit >= 1_000_000:
            ref = f"CE{tcred:%Y%m%d}"
            book.bank_add(tcred, "DEBLOCAGE CREDIT D'EXPLOITATION 12 MOIS", credit, "autre", ref)
            due = tcred.replace(year=tcred.year + 1)
            book.commitments.append({"commitment_id": "CM-CREDIT", "label": "Remboursement du crédit "
                                     "d'exploitation (in fine)", "category": "remboursement_emprunt",
                                     "amount": credit, "day_of_month": due.day, "every_months": 12,
                                     "start": due, "end": due})  # fmt: skip
            book.facts["operating_credit"] = {"date": tcred.isoformat(), "amount": str(credit)}
    book.company["opening_balance"] = q2(opening)
    book.company["opening_date"] = book.start


def balances(book: Book) -> list[tuple[date, Decimal]]:
    """End-of-day balance on every day with a bank line."""
    out: dict[date, Decimal] = {}
    bal = book.company["opening_balance"]
    for e in book.bank:
        bal += e.amount
        out[e.date] = bal
    return sorted(out.items())


# --- writing -----------------------------------------------------------------------------


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        exponent = v.as_tuple().exponent  # an int for finite numbers
        if v == v.to_integral_value() and isinstance(exponent, int) and exponent >= 0:
            return str(v)  # quantities and rates stay whole numbers
        return f"{q2(v):.2f}"
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow([_cell(r.get(c)) for c in columns])


def _dump(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _ref(x: Any) -> str:
    if isinstance(x, BankEntry):
        return x.line_id
    return x["expense_id"]


def _truth(book: Book) -> dict:
    bank = {}
    for e in book.bank:
        settles = {}
        for k, v in e.settles.items():
            settles["expense_id" if k == "expense" else k] = (
                v["expense_id"] if k == "expense" else v
            )
        bank[e.line_id] = {"category": e.category, "settles": settles}
    lows = balances(book)
    threshold = Decimal(POLICY["treasury"]["safety_threshold"])
    return {
        "about": "What the demo generator knows; not part of the bundle spec (the importer ignores it).",
        "as_of": book.as_of.isoformat(),
        "bank_lines": bank,
        "anomalies": [
            {
                "kind": a["kind"],
                "refs": [_ref(r) for r in a["refs"]],
                "amount": to_json_number(a["amount"]),
                "reason": a["reason"],
            }
            for a in book.anomalies
        ],  # fmt: skip
        "not_anomalies": [
            {"looks_like": a["looks_like"], "refs": [_ref(r) for r in a["refs"]], "why": a["why"]}
            for a in book.lookalikes
        ],  # fmt: skip
        "invoice_documents": {
            "defects": book.doc_defects,
            "pdf": book.pdf_numbers,
            "clean_documents_expect": "no finding of severity error; buyers of kind administration have no "
            "RC (BUYER_RC_MISSING, a warning), private persons (particulier) only a name and an address",
            "numbering_gap": book.facts.get("numbering_gap"),
            # number -> {kind: day signed}: documents/<number>-BL.pdf, <number>-ASF.pdf
            "pieces": {n: {k: d.isoformat() for k, d in p.items()} for n, p in book.pieces.items()},
        },
        "hostile_interaction_id": book.facts["hostile_interaction"]["interaction_id"],
        "hostile_interaction": book.facts["hostile_interaction"],
        "interaction_kinds": book.facts["interaction_kinds"],
        "promises": book.facts.get("promises", []),
        "cases": {
            k: book.facts[k]
            for k in (
                "partial_open",
                "unallocated_payment",
                "grouped_payment",
                "returned_cheque",
                "credit_note",
                "cancelled_invoice",
                "disputed_invoice",
                "arabic_dispute",
            )
            if k in book.facts
        },  # fmt: skip
        "client_profiles": {c["client_id"]: c["_spec"].profile for c in book.clients},
        "treasury": {
            "safety_threshold": to_json_number(threshold),
            "days_below_threshold": [d.isoformat() for d, b in lows if b < threshold],
            "days_negative": [d.isoformat() for d, b in lows if b < 0],
        },
    }


def write_bundle(book: Book, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    docs_dir = out_dir / "documents"
    if docs_dir.exists():  # a stale document would be imported with the new books
        shutil.rmtree(docs_dir)
    docs_dir.mkdir()
    company = {**book.company, "capital": book.company["capital"],
               "opening_balance": to_json_number(book.company["opening_balance"]),
               "opening_date": book.start.isoformat()}  # fmt: skip
    _dump(out_dir / "company.json", company)
    _dump(out_dir / "policy.json", POLICY)
    account = book.company["rib"]
    bank_rows = [{"line_id": e.line_id, "account": account, "date": e.date, "label": e.label,
                  "amount": e.amount, "reference": e.reference} for e in book.bank]  # fmt: skip
    rows = {
        "clients.csv": book.clients, "suppliers.csv": book.suppliers, "invoices.csv": book.invoices,
        "invoice_lines.csv": book.lines, "payments.csv": book.payments, "expenses.csv": book.expenses,
        "bank_lines.csv": bank_rows, "commitments.csv": book.commitments,
        "interactions.csv": book.interactions,
    }  # fmt: skip
    for name, cols in COLUMNS.items():
        _write_csv(out_dir / name, cols.split(), rows[name])

    pdfs = set(book.pdf_numbers)
    for number, doc in book.documents.items():
        if number in pdfs:
            render_invoice_pdf(doc, safe_path(docs_dir, number, ".pdf"))
        else:
            _dump(safe_path(docs_dir, number, ".json"), document_json(doc))
    for number, pieces in book.pieces.items():
        for kind in pieces:
            inside(docs_dir, piece_file_name(number, kind)).write_bytes(
                piece_pdf(book, number, kind)
            )
    _dump(out_dir / "truth.json", _truth(book))


def summarise(book: Book, out_dir: Path, seed: int) -> DemoSummary:
    lows = balances(book)
    lo = min(lows, key=lambda t: t[1])
    hi = max(lows, key=lambda t: t[1])
    kinds: dict[str, int] = {}
    for a in book.anomalies:
        kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
    counts = {"clients.csv": len(book.clients), "suppliers.csv": len(book.suppliers),
              "invoices.csv": len(book.invoices), "invoice_lines.csv": len(book.lines),
              "payments.csv": len(book.payments), "expenses.csv": len(book.expenses),
              "bank_lines.csv": len(book.bank), "commitments.csv": len(book.commitments),
              "interactions.csv": len(book.interactions), "documents": len(book.documents)}  # fmt: skip
    return DemoSummary(
        out_dir=out_dir, seed=seed, as_of=book.as_of, start=book.start, counts=counts,
        opening_balance=book.company["opening_balance"], cash_position=lows[-1][1],
        balance_min=lo[1], balance_min_date=lo[0], balance_max=hi[1], balance_max_date=hi[0],
        safety_threshold=Decimal(POLICY["treasury"]["safety_threshold"]),
        open_receivables=sum((v for v in open_amounts(book).values() if v > 0), Decimal(0)),
        anomalies_by_kind=kinds, document_defects=len(book.doc_defects), pdf_documents=len(book.pdf_numbers),
        pieces={k: sum(k in p for p in book.pieces.values()) for k in PIECES.values()},
    )  # fmt: skip


def generate(out_dir: Path, *, seed: int = 7, as_of: date) -> DemoSummary:
    """Write the demo bundle (and truth.json) into ``out_dir``; same inputs, same bytes."""
    out_dir = Path(out_dir)
    book = build_book(seed=seed, as_of=as_of)
    write_bundle(book, out_dir)
    return summarise(book, out_dir, seed)


__all__ = ["BUNDLE_FILES", "DemoSummary", "build_book", "generate"]
