"""An invoice PDF read into an :class:`InvoiceDocument`: fields found by their labels.

Seller and buyer: the buyer block starts at a label such as "Client", "Doit", "Facturé à" or
"Bill to" and covers the lines under it, in its column when the blocks sit side by side;
identifiers found there are the buyer's, the others the seller's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from khazna.ledger.documents import DocLine, InvoiceDocument, Party
from khazna.money import MoneyError, parse_amount
from khazna.tools.invoice_check.models import CheckSettings, PdfRead
from khazna.tools.invoice_check.pdf_find import AMOUNT, CELL, amounts_in, find, parse_date
from khazna.tools.invoice_check.pdf_text import PdfText, extract_text, read_bytes

NUMBER_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_\-.]*\d[A-Za-z0-9/_\-]*|\d+")
_NUM_LABELS = [
    r"factures?\s*(?:n°|nº|no\.?|num(?:é|e)ro|#)",
    r"n°\s*(?:de\s+)?facture",
    r"num(?:é|e)ro\s+de\s+(?:la\s+)?facture",
    r"invoice\s*(?:number|no\.?|#|n°)",
    r"factuurnummer|factuurnr\.?",
    r"rechnungs?-?(?:nr\.?|nummer)",
    r"\binvoice\b(?!\s*(?:date|summary|address|to|total|no|number|period))",
    r"\bfactuur\b(?!\s*(?:datum|totaal|adres|nummer))",
    r"(?:^|\s)#(?=\s*\w*\d)",
    r"booking\s+id",
]
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
_TTC_LABELS = [
    r"net\s+(?:à|a)\s+payer",
    r"total\s+t\.?t\.?c\.?",
    r"montant\s+(?:total\s+)?t\.?t\.?c\.?",
    r"somme\s+(?:à|a)\s+payer",
    r"total\s+(?:à|a)\s+payer",
    r"grand\s+total",
    r"total\s+for\s+this\s+invoice",
    r"total\s+amount\s+due(?:\s+on\s+[A-Za-z]+\s+\d{1,2}\s*,\s*\d{4})?",
    r"factuur\s+totaal",
    r"\btotaal\b",
    r"(?<![\w-])total\b(?!\s*(?:h\.?t\b|hors|tva|tax|facture))",
]
_HT_LABELS = [
    r"total\s+h\.?t\.?\b",
    r"montant\s+(?:total\s+)?h\.?t\.?\b",
    r"total\s+hors\s+tax(?:es?)?",
    r"exclusief\s+btw",
    r"sous[\s-]total|subtotal|subtotaal",
]
_TVA_LABELS = [
    r"total\s+t\.?v\.?a\.?",
    r"montant\s+(?:de\s+la\s+)?t\.?v\.?a\.?",
    r"\bt\.?v\.?a\.?\b(?!\s*intra)",
    r"\bbtw\b(?!\s*(?:%|nummer))",
    r"\b(?:vat|tax)\b",
]
_WORDS_LABEL = (
    r"arr(?:ê|e)t(?:é|e)e?\s+la\s+pr(?:é|e)sente\s+facture\s+(?:(?:à|a)\s+la\s+somme\s+de)?"
)
_BUYER_ANCHOR = re.compile(
    r"(?<![\w'])(?:client|doit|factur(?:é|e)\s+(?:à|a)|adress(?:é|e)\s+(?:à|a)|destinataire|"
    r"acheteur|bill(?:ed)?\s+to|customer|factuuradres)\b\s*:?",
    re.IGNORECASE,
)
_ID_LINE = re.compile(
    r"\b(?:NIF|NIS|RC|AI|RIB|N°\s*RC|Registre|Article|T(?:é|e)l|Fax|Email|E-mail|Capital)\b",
    re.IGNORECASE,
)
_CAPITAL_LINE = re.compile(r"\bcapital\b|^(?:SARL|EURL|SPA|SNC|SCS|SCA|SAS|SA|EI)\b", re.I)
_TITLE = re.compile(r"^(?:facture|invoice|factuur|rechnung|page|original|duplicata)\b", re.I)
_LEGAL_FORM = re.compile(r"\b(SARL|EURL|SPA|SNC|SCS|SCA|SAS|SA|EI|EPE|EPIC)\b")


def _amount(text: str, last: bool = True) -> Decimal | None:
    found = amounts_in(text)
    return (found[-1] if last else found[0]) if found else None


def _ident(text: str) -> str | None:
    """An identifier as printed (malformed ones too, so that the rules can say so): the
    rest of the cell, up to the next identifier label."""
    m = CELL.match(text)
    if not m:
        return None
    v = re.split(
        r"\s*[,;|]?\s+(?:NIF|NIS|AI|RC|RIB|Art|T(?:é|e)l|Capital)\b",
        m.group(0),
        maxsplit=1,
        flags=re.I,
    )[0]
    v = v.strip(" ,;|")
    return v if re.search(r"\d", v) else None


def _cell_text(text: str) -> str | None:
    m = CELL.match(text)
    return m.group(0).strip() if m else None


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
        inline = _cell_text(after.lstrip(" :")) if after.strip() else None
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
        if _ID_LINE.search(c) or len(addr) == 3:
            break
        addr.append(
            re.sub(r"^(?:adresse|address)\s*:?\s*", "", re.split(r"\s{2,}", c)[0], flags=re.I)
        )
    return name, (", ".join(addr) or None)


def _seller(lines: list[str]) -> Party:
    party = Party()
    _party_ids(lines, party)
    top = [re.split(r"\s{2,}", ln.strip())[0] for ln in lines[:12] if ln.strip()]
    name = find(lines, [r"raison\s+sociale", r"d(?:é|e)nomination"], convert=_cell_text)
    name, address = _name_address(top, name)
    party.name = name
    party.address = find(lines, [r"\badresse\b", r"\bsi(?:è|e)ge\b"], convert=_cell_text) or address
    form = find(lines, [r"forme\s+juridique"], convert=_cell_text)
    if not form:
        m = next((_LEGAL_FORM.search(ln) for ln in lines[:15] if _LEGAL_FORM.search(ln)), None)
        form = m.group(1) if m else None
    party.legal_form = form
    party.capital = find(lines, [r"capital(?:\s+social)?(?:\s+de)?"], convert=_amount)
    return party


def _lines_table(lines: list[str]) -> list[DocLine]:
    out: list[DocLine] = []
    start = next(
        (
            i
            for i, ln in enumerate(lines)
            if re.search(r"d(?:é|e)signation|description", ln, re.I)
            and re.search(r"qt(?:é|e)|quantit|qty", ln, re.I)
        ),
        None,
    )
    if start is None:
        return out
    amt = AMOUNT.pattern
    row = re.compile(
        rf"^\s*(?P<desc>\S.*?)\s{{2,}}(?P<qty>\d+(?:[.,]\d+)?)\s+(?:(?P<unit>[^\d\s]+)\s+)?"
        rf"(?P<pu>{amt})(?:\s*(?:DA|€))?\s+(?:(?P<rate>\d+(?:[.,]\d+)?)\s?%\s+)?"
        rf"(?P<total>{amt})(?:\s*(?:DA|€))?\s*$"
    )
    for ln in lines[start + 1 :]:
        if re.search(r"total|montant|arr(?:ê|e)t", ln, re.I):
            break
        m = row.match(ln)
        if not m:
            continue
        try:
            out.append(
                DocLine(
                    description=m["desc"].strip(),
                    quantity=parse_amount(m["qty"]),
                    unit=m["unit"],
                    unit_price_ht=parse_amount(m["pu"]),
                    tva_rate=parse_amount(m["rate"]) if m["rate"] else None,
                    total_ht=parse_amount(m["total"]),
                )
            )
        except MoneyError:
            continue
    return out


def _words(lines: list[str]) -> str | None:
    pat = re.compile(_WORDS_LABEL + r"\s*:?\s*", re.I)
    for i, ln in enumerate(lines):
        m = pat.search(ln)
        if not m:
            continue
        text = ln[m.end() :].strip()
        for nxt in lines[i + 1 : i + 4]:
            if "centime" in text.lower() or text.endswith(".") or not nxt.strip():
                break
            text += " " + nxt.strip()
        return text.strip(" .") or None
    return None


def _payment_method(lines: list[str]) -> str | None:
    raw = find(
        lines,
        [r"mode\s+de\s+(?:paiement|r(?:è|e)glement)", r"moyen\s+de\s+paiement",
         r"payment\s+(?:method|mode)", r"zahlungsform", r"paiement\s+par"],
        convert=_cell_text,
    )  # fmt: skip
    if not raw:
        return None
    low = raw.lower()
    for key, words in (
        ("virement", ("virement", "transfer", "überweisung", "overschrijving")),
        ("cheque", ("chèque", "cheque", "check")),
        ("especes", ("espèces", "especes", "cash", "liquide")),
        ("carte", ("carte", "card", "cb")),
        ("effet", ("effet", "traite", "lettre de change")),
    ):
        if any(w in low for w in words):
            return key
    return raw


def document_from_text(text: PdfText) -> tuple[InvoiceDocument, list[str]]:
    lay = text.layout
    seller_lines, buyer_lines, buyer_inline = _split_blocks(lay)
    buyer = Party()
    if buyer_lines:
        _party_ids(buyer_lines, buyer)
        buyer.name, buyer.address = _name_address(buyer_lines, buyer_inline)
    doc = InvoiceDocument(
        number=find(lay, _NUM_LABELS, NUMBER_VALUE) or find(text.plain, _NUM_LABELS, NUMBER_VALUE),
        issue_date=find(lay, _DATE_LABELS, convert=parse_date),
        due_date=find(lay, _DUE_LABELS, convert=parse_date),
        payment_terms=find(
            lay,
            [
                r"conditions\s+de\s+(?:paiement|r(?:è|e)glement)",
                r"d(?:é|e)lai\s+de\s+paiement",
                r"payment\s+terms",
                r"zahlungsbedingungen",
            ],
            convert=_cell_text,
        ),  # fmt: skip
        payment_method=_payment_method(lay),
        seller=_seller(seller_lines),
        buyer=buyer,
        lines=_lines_table(lay),
        total_ht=find(lay, _HT_LABELS, convert=_amount, last=True),
        total_tva=find(lay, _TVA_LABELS, convert=_amount, last=True),
        timbre=find(lay, [r"droit\s+de\s+timbre", r"\btimbre\b"], convert=_amount),
        total_ttc=find(lay, _TTC_LABELS, convert=_amount, last=True)
        or find(text.plain, _TTC_LABELS, convert=_amount, last=True),
        amount_in_words=_words(lay),
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
