"""The printed side of each invoice: a structured document (JSON) or a PDF.

Documents repeat invoices.csv faithfully, except a handful that carry one seeded defect
each (the truth lists the finding codes ``khazna check-invoice`` should raise for them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from khazna.demo import ids
from khazna.demo.book import Book
from khazna.ledger.documents import DocLine, InvoiceDocument, Party
from khazna.ledger.invoice_pdf import piece_pdf_bytes
from khazna.money import q2, to_json_number
from khazna.words import amount_in_words

PDF_COUNT = 10
METHOD_WORDS = {
    "virement": "virement",
    "cheque": "chèque",
    "especes": "espèces",
    "carte": "carte",
    "effet": "effet",
}


def build_document(book: Book, inv: dict) -> InvoiceDocument:

    co, c = book.company, book.client(inv["client_id"])
    seller = Party(name=co["name"], legal_form=co["legal_form"], capital=Decimal(co["capital"]),
                   address=co["address"], rc=co["rc"], nif=co["nif"], nis=co["nis"], ai=co["ai"],
                   rib=co["rib"])  # fmt: skip
    if c["kind"] == "particulier":
        buyer = Party(name=c["name"], address=c["address"] or None)
    else:
        buyer = Party(name=c["name"], address=c["address"], rc=c["rc"] or None, nif=c["nif"] or None,
                      nis=c["nis"] or None, ai=c["ai"] or None)  # fmt: skip
    lines = [DocLine(description=ln["description"], quantity=ln["quantity"], unit=ln["unit"],
                     unit_price_ht=ln["unit_price_ht"], tva_rate=Decimal(ln["tva_rate"]),
                     total_ht=q2(ln["quantity"] * ln["unit_price_ht"])) for ln in inv["_lines"]]  # fmt: skip
    terms = c["payment_terms_days"]
    return InvoiceDocument(
        number=inv["number"], issue_date=inv["issue_date"], due_date=inv["due_date"],
        payment_terms=f"{terms} jours" if terms else "comptant", payment_method=inv["payment_method"],
        seller=seller, buyer=buyer, lines=lines, total_ht=inv["total_ht"], total_tva=inv["total_tva"],
        timbre=inv["timbre"] if inv["payment_method"] == "especes" else Decimal("0.00"),
        total_ttc=inv["total_ttc"], amount_in_words=amount_in_words(inv["total_ttc"]),
    )  # fmt: skip


def _retotal(doc: InvoiceDocument, ttc: Decimal) -> None:

    doc.total_ttc = q2(ttc)
    doc.amount_in_words = amount_in_words(doc.total_ttc)


# The defects below are applied to documents fresh from build_document, which copies every
# total, the timbre and the dates from invoices.csv: none of them is None there.
_FILLED = "build_document fills every total and date"


def _tva_off(doc: InvoiceDocument) -> None:
    assert doc.total_ht is not None and doc.total_tva is not None, _FILLED
    doc.total_tva = q2(doc.total_tva * Decimal("1.07") + 1500)
    _retotal(doc, doc.total_ht + doc.total_tva + (doc.timbre or 0))


def _ttc_off(doc: InvoiceDocument) -> None:
    assert doc.total_ttc is not None, _FILLED
    _retotal(doc, doc.total_ttc + 10_000)


def _timbre_wrong(doc: InvoiceDocument) -> None:
    assert doc.total_ht is not None and doc.total_tva is not None, _FILLED
    assert doc.timbre is not None, "only cash invoices with a timbre carry this defect"
    doc.timbre = q2(doc.timbre + max(Decimal(10), q2(doc.timbre / 2)))
    _retotal(doc, doc.total_ht + doc.total_tva + doc.timbre)


def _timbre_missing(doc: InvoiceDocument) -> None:
    assert doc.total_ht is not None and doc.total_tva is not None, _FILLED
    doc.timbre = Decimal("0.00")
    _retotal(doc, doc.total_ht + doc.total_tva)


def _words_wrong(doc: InvoiceDocument) -> None:

    assert doc.total_ttc is not None, _FILLED
    doc.amount_in_words = amount_in_words(doc.total_ttc - 1000)


def _set(path: str, value: Any) -> Callable[[InvoiceDocument], None]:
    def apply(doc: InvoiceDocument) -> None:
        obj = doc
        *parents, leaf = path.split(".")
        for p in parents:
            obj = getattr(obj, p)
        setattr(obj, leaf, value(obj) if callable(value) else value)

    return apply


def _vague(doc: InvoiceDocument) -> None:
    doc.lines[0].description = "Prestation"


def _due_before(doc: InvoiceDocument) -> None:
    assert doc.issue_date is not None, _FILLED
    doc.due_date = doc.issue_date - timedelta(days=30)


# code -> (who can carry it, how); "business" = a company or public buyer, "cash" = especes
DEFECTS: list[tuple[str, str, Callable[[InvoiceDocument], None]]] = [
    ("SELLER_NIF_MISSING", "any", _set("seller.nif", None)),
    ("RIB_INVALID", "any", _set("seller.rib", lambda s: ids.spoil_rib(s.rib))),
    ("TVA_AMOUNT_MISMATCH", "business", _tva_off),
    ("TOTAL_TTC_MISMATCH", "business", _ttc_off),
    ("AMOUNT_IN_WORDS_MISSING", "any", _set("amount_in_words", None)),
    ("AMOUNT_IN_WORDS_MISMATCH", "business", _words_wrong),
    ("TIMBRE_INCORRECT", "cash", _timbre_wrong),
    ("TIMBRE_MISSING", "cash", _timbre_missing),
    ("DESCRIPTION_VAGUE", "business", _vague),
    ("DUE_DATE_BEFORE_ISSUE", "business", _due_before),
    ("BUYER_NIF_MISSING", "company", _set("buyer.nif", None)),
    ("BUYER_NIF_INVALID", "company", _set("buyer.nif", lambda b: b.nif[:13])),
    ("SELLER_RC_INVALID", "any", _set("seller.rc", lambda s: s.rc.replace(" B ", " X "))),
]
IN_PDF = {"RIB_INVALID", "AMOUNT_IN_WORDS_MISSING", "SELLER_NIF_MISSING"}


def _latin(c: dict) -> bool:
    return not any("\u0600" <= ch <= "\u06ff" for ch in c["name"] + c["address"])


def make_documents(book: Book) -> None:
    """A document for every invoice; a few PDFs (French-named buyers: no Arabic shaping)."""
    rng = book.rng
    kinds = {c["client_id"]: c["kind"] for c in book.clients}
    latin = {c["client_id"]: _latin(c) for c in book.clients}
    plain = [i for i in book.invoices if i["status"] == "issued" and not i["credited_invoice"]
             and (book.as_of - i["issue_date"]).days <= 240]  # fmt: skip
    pools = {
        "any": plain,
        "business": [i for i in plain if kinds[i["client_id"]] != "particulier"],
        "company": [i for i in plain if kinds[i["client_id"]] in ("grand_compte", "pme")],
        "cash": [i for i in plain if i["payment_method"] == "especes" and i["timbre"] > 0],
    }
    used: set[str] = set()
    defective: dict[str, tuple[str, Callable]] = {}
    for code, pool, apply in DEFECTS:
        cands = [
            i
            for i in pools[pool]
            if i["number"] not in used and (code not in IN_PDF or latin[i["client_id"]])
        ]
        if (
            code == "TIMBRE_INCORRECT"
        ):  # a cash invoice in the 1.5 % bracket, where old scales differ
            cands = [i for i in cands if i["total_ttc"] > 30_000] or cands
        if not cands:
            continue
        inv = rng.choice(cands)
        used.add(inv["number"])
        defective[inv["number"]] = (code, apply)
    recent = [i for i in plain if latin[i["client_id"]] and i["number"] not in used]
    recent.sort(key=lambda i: i["issue_date"], reverse=True)
    pdfs = [n for n, (code, _) in defective.items() if code in IN_PDF]
    cash = [i["number"] for i in recent if i["payment_method"] == "especes"][:1]
    pdfs += (
        cash
        + [i["number"] for i in recent[:40] if i["number"] not in cash][
            : PDF_COUNT - len(pdfs) - len(cash)
        ]
    )
    for inv in book.invoices:
        doc = build_document(book, inv)
        if inv["number"] in defective:
            code, apply = defective[inv["number"]]
            apply(doc)
            book.doc_defects[inv["number"]] = [code]
        book.documents[inv["number"]] = doc
    book.pdf_numbers = sorted(pdfs)


# A delivery note goes with the goods an invoice delivers (its "Fourniture ..." lines), signed
# for by the buyer on the working day after the invoice; a public buyer signs its attestation
# de service fait some weeks after (ATTESTATION_DAYS): an invoice younger than that has none
# yet. Only the recent books carry pieces (PIECE_WINDOW_DAYS), as only they are chased.
GOODS = "Fourniture"
PIECE_WINDOW_DAYS = 120
ATTESTATION_DAYS = 15


def make_pieces(book: Book) -> None:
    """The delivery notes and attestations de service fait kept beside recent invoices."""
    kinds = {c["client_id"]: c["kind"] for c in book.clients}
    for inv in book.invoices:
        age = (book.as_of - inv["issue_date"]).days
        if inv["status"] != "issued" or inv["credited_invoice"] or age > PIECE_WINDOW_DAYS:
            continue
        pieces: dict[str, date] = {}
        if any(ln["description"].startswith(GOODS) for ln in inv["_lines"]):
            signed = book.working_on_or_after(inv["issue_date"] + timedelta(days=1))
            if signed <= book.as_of:
                pieces["delivery_note"] = signed
        if kinds[inv["client_id"]] == "administration" and age >= ATTESTATION_DAYS:
            pieces["service_attestation"] = book.working_on_or_after(
                inv["issue_date"] + timedelta(days=ATTESTATION_DAYS // 2)
            )
        if pieces:
            book.pieces[inv["number"]] = pieces


def piece_pdf(book: Book, number: str, kind: str) -> bytes:
    """The piece's PDF: a delivery note lists the goods only."""
    doc = book.documents[number]
    on = book.pieces[number][kind]
    if kind == "delivery_note":
        goods = [ln for ln in doc.lines if (ln.description or "").startswith(GOODS)]
        return piece_pdf_bytes(doc, kind, on, goods)
    return piece_pdf_bytes(doc, kind, on)


def document_json(doc: InvoiceDocument) -> dict:
    """The document as the JSON of spec/cli.md: numbers for amounts, ISO dates, no nulls."""

    def conv(v: Any) -> Any:
        if isinstance(v, Decimal):
            return to_json_number(v)
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v.isoformat() if hasattr(v, "isoformat") else v

    return conv(doc.model_dump(mode="python", exclude_none=True))
