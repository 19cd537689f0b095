"""An invoice PDF read into an :class:`InvoiceDocument`: fields found by their labels.

Seller and buyer: the buyer block starts at a label such as "Client", "Doit", "Facturé à" or
"Bill to" and covers the lines under it, in its column when the blocks sit side by side;
identifiers found there are the buyer's, the others the seller's.
"""

from __future__ import annotations

import re
from pathlib import Path

from khazna.ledger.documents import InvoiceDocument, Party
from khazna.tools.invoice_check.models import CheckSettings, PdfRead
from khazna.tools.invoice_check.pdf_fields import (
    amount,
    cell_text,
    read_number,
    read_payment_method,
    read_payment_terms,
    read_totals,
    read_words,
)
from khazna.tools.invoice_check.pdf_find import CELL, find, parse_date
from khazna.tools.invoice_check.pdf_table import read_table
from khazna.tools.invoice_check.pdf_text import PdfText, extract_text, read_bytes

_DATE_LABELS = [
    r"date\s+(?:de\s+(?:la\s+)?)?factur(?:e|ation)",
    r"invoice\s+date",
    r"factuur\s*datum|factuurdatum",
    r"rechnungsdatum",
    r"date\s+d['’]?(?:é|e)mission",
    r"factures?\s*n°?\s*\S+\s+du",
    r"(?<![\w'’])date(?!\s*(?:limite|d['’]?(?:é|e)ch|de\s+paiement|due|of\s+))",
    r"\bdatum\b",
]
_DUE_LABELS = [
    r"date\s+d['’]?(?:é|e)ch(?:é|e)ance",
    r"(?:é|e)ch(?:é|e)ance",
    r"date\s+limite\s+de\s+paiement(?:\s+le)?",
    r"due\s+date|payment\s+due",
    r"vervaldatum",
    r"zahlungsziel",
    r"(?:à|a)\s+r(?:é|e)gler\s+avant\s+le",
]
_BUYER_ANCHOR = re.compile(
    r"(?<![\w'])(?:client|doit|factur(?:é|e)\s+(?:à|a)|adress(?:é|e)\s+(?:à|a)|destinataire|"
    r"acheteur|bill(?:ed)?\s+to|customer|factuuradres)\b\s*:?",
    re.IGNORECASE,
)
_ID_LINE = re.compile(
    r"\b(?:NIF|NIS|RC|AI|RIB|N°\s*RC|Registre|Article|T(?:é|e)l|Fax|Email|E-mail|Capital|"
    r"N\.I\.[FS]|R\.C|A\.I|R\.I\.[BP])\b",
    re.IGNORECASE,
)
# Lines that are invoice fields, not an address: they end a party block.
_FIELD_LINE = re.compile(
    r"^(?:r(?:è|e)glement|mode\s+de|moyen\s+de|conditions|modalit(?:é|e)s|(?:é|e)ch(?:é|e)ance|"
    r"date|objet|paiement|payable|r(?:é|e)f(?:\.|(?:é|e)rence)?\b|bon\s+de\s+commande|"
    r"n°\s*(?:de\s+)?(?:commande|facture|bc|bl))",
    re.IGNORECASE,
)
_CAPITAL_LINE = re.compile(r"\bcapital\b|^(?:SARL|EURL|SPA|SNC|SCS|SCA|SAS|SA|EI)\b", re.I)
_TITLE = re.compile(r"^(?:facture|invoice|factuur|rechnung|page|original|duplicata)\b", re.I)
_LEGAL_FORM = re.compile(r"\b(SARL|EURL|SPA|SNC|SCS|SCA|SAS|SA|EI|EPE|EPIC)\b")


def _ident(text: str) -> str | None:
    """An identifier as printed (malformed ones too, so that the rules can say so): the
    rest of the cell, up to the next identifier label."""
    m = CELL.match(text)
    if not m:
        return None
    v = re.split(
        r"\s*[,;|\-–—•·]?\s+(?:NIF|NIS|AI|RC|RIB|N\.I\.[FS]|R\.C|A\.I|R\.I\.B|Art|T(?:é|e)l|"
        r"Capital)\b",
        m.group(0),
        maxsplit=1,
        flags=re.I,
    )[0]
    v = v.strip(" ,;|-–—•·")
    return v if re.search(r"\d", v) else None


_ID_FIELDS = {
    "nif": ([r"\bN\.?I\.?F\.?(?![\w'])"], _ident),
    "nis": ([r"\bN\.?I\.?S\.?(?![\w'])"], _ident),
    "ai": ([r"article\s+d['’]?imposition", r"\bA\.?I\.?(?![\w'])"], _ident),
    "rc": (
        [r"registre\s+d[eu]\s+commerce", r"\bN°\s*R\.?C\.?(?![\w'])", r"\bR\.?C\.?(?![\w'])"],
        _ident,
    ),
    "rib": ([r"\bR\.?I\.?[BP]\.?(?![\w'])"], _ident),
}


def _party_ids(lines: list[str], party: Party) -> None:
    for attr, (labels, conv) in _ID_FIELDS.items():
        setattr(party, attr, find(lines, labels, convert=conv, below=False))


def _split_blocks(lines: list[str]) -> tuple[list[str], list[str], str | None]:
    """(seller lines, buyer lines, buyer name on the anchor line)."""
    for i, line in enumerate(lines):
        m = _BUYER_ANCHOR.search(line)
        if not m or (m.start() > 0 and line[: m.start()].strip() and "  " not in line[: m.start()]):
            continue
        c0 = m.start()
        following = [c.start() for c in CELL.finditer(line) if c.start() > m.end() + 2]
        after = line[m.end() :]
        inline = cell_text(after.lstrip(" :")) if after.strip() else None
        if inline and following and following[0] == m.end() + (len(after) - len(after.lstrip())):
            following = following[1:]
        c1 = following[0] if following and c0 == 0 else 10_000
        buyer, seller = [], list(lines)
        for j in range(i, min(len(lines), i + 9)):
            text = lines[j]
            if j > i and re.search(r"d(?:é|e)signation|description|quantit(?:é|e)", text, re.I):
                break
            part = text[max(0, c0 - 2) : c1]
            buyer.append(part if j > i else "")
            seller[j] = text[: max(0, c0 - 2)] + " " * len(part) + text[c1:]
        return seller, buyer, inline
    return lines, [], None


def _name_address(block: list[str], name: str | None) -> tuple[str | None, str | None]:
    cells = [ln.strip() for ln in block if ln.strip()]
    cells = [c for c in cells if not _TITLE.match(c)]
    if name is None and cells:
        name, cells = cells[0], cells[1:]
    addr: list[str] = []
    for c in cells:
        if _CAPITAL_LINE.search(c):
            continue
        if _ID_LINE.search(c) or _FIELD_LINE.match(c) or len(addr) == 3:
            break
        addr.append(
            re.sub(r"^(?:adresse|address)\s*:?\s*", "", re.split(r"\s{2,}", c)[0], flags=re.I)
        )
    return name, (", ".join(addr) or None)


def _seller(lines: list[str]) -> Party:
    party = Party()
    _party_ids(lines, party)
    top = [re.split(r"\s{2,}", ln.strip())[0] for ln in lines[:12] if ln.strip()]
    name = find(lines, [r"raison\s+sociale", r"d(?:é|e)nomination"], convert=cell_text)
    name, address = _name_address(top, name)
    party.name = name
    party.address = find(lines, [r"\badresse\b", r"\bsi(?:è|e)ge\b"], convert=cell_text) or address
    form = find(lines, [r"forme\s+juridique"], convert=cell_text)
    if not form:
        m = next((_LEGAL_FORM.search(ln) for ln in lines[:15] if _LEGAL_FORM.search(ln)), None)
        form = m.group(1) if m else None
    party.legal_form = form
    party.capital = find(lines, [r"capital(?:\s+social)?(?:\s+de)?"], convert=amount)
    return party


def document_from_text(text: PdfText) -> tuple[InvoiceDocument, list[str]]:
    lay = text.layout
    seller_lines, buyer_lines, buyer_inline = _split_blocks(lay)
    buyer = Party()
    if buyer_lines:
        _party_ids(buyer_lines, buyer)
        buyer.name, buyer.address = _name_address(buyer_lines, buyer_inline)
    table = read_table(lay)
    doc = InvoiceDocument(
        number=read_number(lay) or read_number(text.plain, cells=False),
        issue_date=find(lay, _DATE_LABELS, convert=parse_date),
        due_date=find(lay, _DUE_LABELS, convert=parse_date),
        payment_terms=read_payment_terms(lay),
        payment_method=read_payment_method(lay),
        seller=_seller(seller_lines),
        buyer=buyer,
        lines=table.lines,
        **read_totals(lay, text.plain, table),
        amount_in_words=read_words(lay),
    )
    if doc.issue_date is None:
        doc.issue_date = find(text.plain, _DATE_LABELS, convert=parse_date)
    return doc, unread_fields(doc)


def unread_fields(doc: InvoiceDocument) -> list[str]:
    out = []
    for key in ("number", "issue_date", "due_date", "payment_terms", "payment_method"):
        if getattr(doc, key) is None:
            out.append(key)
    for role in ("seller", "buyer"):
        party = getattr(doc, role)
        for key in Party.model_fields:
            if role == "buyer" and key in ("legal_form", "capital", "rib"):
                continue
            if getattr(party, key) is None:
                out.append(f"{role}.{key}")
    if not doc.lines:
        out.append("lines")
    for key in ("total_ht", "total_tva", "timbre", "total_ttc", "amount_in_words"):
        if getattr(doc, key) is None:
            out.append(key)
    return out


def read_pdf(path: Path | str, settings: CheckSettings | None = None) -> PdfRead:
    """Read an invoice PDF; raises InvoiceReadError when it has no usable text."""
    path = Path(path)
    return read_pdf_bytes(read_bytes(path), str(path), settings)


def read_pdf_bytes(data: bytes, name: str, settings: CheckSettings | None = None) -> PdfRead:
    st = settings or CheckSettings()
    text = extract_text(data, name, max_pages=st.max_pdf_pages)
    doc, unread = document_from_text(text)
    return PdfRead(
        document=doc,
        unread=unread,
        notes=text.notes,
        pages_total=text.pages_total,
        pages_read=text.pages_read,
    )
