"""Invoice-level fields of a PDF: number, payment method and terms, totals, amount in words.

Labels are the ones French and Algerian invoices print, with their usual variants; a value
is on the label's line, in the cell below it, or (for the number) under a "FACTURE" title in
the same column. Totals are looked for outside the lines table, so that a column header such
as "Total HT" is never read as the invoice's total.
"""

from __future__ import annotations

import re
from decimal import Decimal

from khazna.tools.invoice_check.pdf_find import CELL, amounts_in, cell_below, find
from khazna.tools.invoice_check.pdf_table import Table

NUMBER_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_\-.]*\d[A-Za-z0-9/_\-]*|\d+")
_NUM_LABELS = [
    r"factures?\s*(?:n°|nº|no\.?|num(?:é|e)ro|#)",
    r"n°\s*(?:de\s+)?facture",
    r"num(?:é|e)ro\s+de\s+(?:la\s+)?facture",
    r"r(?:é|e)f(?:\.|(?:é|e)rence)?\s*(?:de\s+(?:la\s+)?)?facture",
    r"facture\s+r(?:é|e)f(?:\.|(?:é|e)rence)?",
    r"invoice\s*(?:number|no\.?|#|n°)",
    r"factuurnummer|factuurnr\.?",
    r"rechnungs?-?(?:nr\.?|nummer)",
    r"\binvoice\b(?!\s*(?:date|summary|address|to|total|no|number|period))",
    r"\bfactuur\b(?!\s*(?:datum|totaal|adres|nummer))",
    r"(?:^|\s)#(?=\s*\w*\d)",
    r"booking\s+id",
]
# A number printed alone under the title ("FACTURE" / "N° F2026-0142"), or a cell that
# starts with "N°" and holds only a number: what an invoice's header block shows.
_TITLE_CELL = re.compile(r"^(?:facture|invoice)(?:\s+(?:originale?|duplicata))?\s*:?$", re.I)
_NUMBER_CELL = re.compile(
    r"^(?:n[°º]|no\.?|num(?:é|e)ro|r(?:é|e)f(?:\.|(?:é|e)rence)?)\s*:?\s*"
    r"(?P<v>[A-Za-z0-9][A-Za-z0-9/_\-.]*\d[A-Za-z0-9/_\-]*|\d+)"
    r"(?:\s+(?:du|le)\s+\d.*)?$",
    re.I,
)
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
    r"(?<![\w-])total\b(?!\s*(?:h\.?t\b|hors|tva|t\.v\.a|tax|facture))",
]
_HT_LABELS = [
    r"total\s+h\.?t\.?(?![\w])",
    r"montant\s+(?:total\s+)?h\.?t\.?(?![\w])",
    r"total\s+hors\s+tax(?:es?)?",
    r"exclusief\s+btw",
    r"sous[\s-]total|subtotal|subtotaal",
]
_TVA_TOTAL_LABELS = [r"total\s+t\.?v\.?a\.?", r"montant\s+(?:de\s+la\s+|total\s+)?t\.?v\.?a\.?"]
_TVA_LABELS = [
    r"\bt\.?v\.?a\.?(?![\w])(?!\s*intra)",
    r"\bbtw\b(?!\s*(?:%|nummer))",
    r"\b(?:vat|tax)\b",
]
_TVA_RATE_LINE = re.compile(
    r"\bt\.?v\.?a\.?\s*(?:à\s*|\(\s*)?(?P<rate>\d{1,2}(?:[.,]\d{1,2})?)\s*%\s*\)?", re.I
)
_TIMBRE_LABELS = [r"droit\s+de\s+timbre", r"\btimbre\b(?:\s+fiscal)?"]
_WORDS_START = re.compile(r"arr(?:ê|e)t(?:é|e)e?s?\b", re.I)
_WORDS_LABEL = re.compile(
    r"arr(?:ê|e)t(?:é|e)e?s?\s+(?:la\s+pr(?:é|e)sente\s+facture\s*)?"
    r"(?:(?:(?:à|a)\s+la\s+(?:somme|valeur)|au\s+montant)\s+(?:de\s*)?)?:?\s*",
    re.I,
)
_METHOD_LABELS = [
    r"mode\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"moyen\s+de\s+paiement",
    r"payment\s+(?:method|mode)",
    r"zahlungsform",
    r"paiement\s+par",
]
# Labels that may hold a method or something else (a delay, a bank): their value counts
# only when it names a method.
_METHOD_WEAK_LABELS = [
    r"(?<![\w])r(?:è|e)glement(?:\s+par)?(?![\w])",
    r"conditions\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"modalit(?:é|e)s?\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"payable\s+par",
    r"pay(?:é|e)e?\s+par",
    r"(?<![\w])paiement(?![\w])",
]
_METHOD_WORDS = [
    ("virement", r"virement|transfer|überweisung|overschrijving"),
    ("cheque", r"ch(?:è|e)que|check"),
    ("especes", r"esp(?:è|e)ces|cash|liquide|num(?:é|e)raire"),
    ("carte", r"carte|card|\bcb\b|\btpe\b|\bcib\b|edahabia"),
    ("effet", r"effet|traite|lettre\s+de\s+change"),
]
_TERMS_LABELS = [
    r"conditions\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"modalit(?:é|e)s?\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"d(?:é|e)lai\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"payment\s+terms",
    r"zahlungsbedingungen",
    r"(?<![\w])conditions(?=\s*:)",
]


def cell_text(text: str) -> str | None:
    m = CELL.match(text)
    return m.group(0).strip() if m else None


def amount(text: str, last: bool = True) -> Decimal | None:
    found = amounts_in(text)
    return (found[-1] if last else found[0]) if found else None


def _number_cell(text: str) -> str | None:
    cell = cell_text(text)
    m = _NUMBER_CELL.match(cell) if cell else None
    return m["v"] if m else None


def read_number(lines: list[str], *, cells: bool = True) -> str | None:
    """The invoice number: after a number label; else (with ``cells``, for text laid out in
    columns) the "N° ..." cell under a title, or a cell holding "N° <number>" alone."""
    got = find(lines, _NUM_LABELS, NUMBER_VALUE)
    if got or not cells:
        return got
    for i, ln in enumerate(lines):
        for c in CELL.finditer(ln):
            if _TITLE_CELL.match(c.group()):
                under = cell_below(lines, i, c.start(), c.end(), depth=2)
                got = _number_cell(under) if under else None
                if got:
                    return got
    for ln in lines:
        for c in CELL.finditer(ln):
            got = _number_cell(c.group())
            if got and re.match(r"n[°º]", c.group(), re.I):
                return got
    return find(
        lines, [r"(?<![\w])r(?:é|e)f(?:\.|(?:é|e)rence)?(?=\s*:)"], NUMBER_VALUE, below=False
    )


def method_key(text: str) -> str | None:
    low = text.lower()
    return next((key for key, pat in _METHOD_WORDS if re.search(pat, low)), None)


def read_payment_method(lines: list[str]) -> str | None:
    """``virement``, ``cheque``, ``especes``, ``carte`` or ``effet``; the printed text when a
    method label holds something else. A value that names no method may be the next header
    cell ("Mode de paiement   Échéance" with the values underneath): the cell below is tried."""

    def key(text: str) -> str | None:
        return method_key(cell_text(text) or "")

    return (
        find(lines, _METHOD_LABELS, convert=key)
        or find(lines, _METHOD_WEAK_LABELS, convert=key)
        or find(lines, _METHOD_LABELS, convert=cell_text)
    )


def read_payment_terms(lines: list[str]) -> str | None:
    return find(lines, _TERMS_LABELS, convert=cell_text)


def outside_table(lines: list[str], table: Table) -> list[str]:
    """The lines with the table's header and rows blanked."""
    if table.header is None:
        return lines
    end = table.end if table.end is not None else table.header
    return [("" if table.header <= i <= end else ln) for i, ln in enumerate(lines)]


def _tva_by_rate(lines: list[str]) -> Decimal | None:
    """The sum of "TVA 19 % ... 1 234,00" lines, one per rate, when no total VAT is printed."""
    per_rate: dict[str, Decimal] = {}
    for ln in lines:
        m = _TVA_RATE_LINE.search(ln)
        if not m:
            continue
        value = amount(ln[m.end() :].lstrip(" :"))
        if value is not None:
            per_rate[m["rate"].replace(",", ".")] = value
    return sum(per_rate.values(), Decimal(0)) if per_rate else None


def read_totals(lines: list[str], plain: list[str], table: Table) -> dict[str, Decimal | None]:
    """total_ht, total_tva, timbre, total_ttc, read outside the lines table."""
    out = outside_table(lines, table)
    tva = find(out, _TVA_TOTAL_LABELS, convert=amount, last=True)
    if tva is None:
        tva = _tva_by_rate(out)
    if tva is None:
        tva = find(out, _TVA_LABELS, convert=amount, last=True)
    return {
        "total_ht": find(out, _HT_LABELS, convert=amount, last=True),
        "total_tva": tva,
        "timbre": find(out, _TIMBRE_LABELS, convert=amount),
        "total_ttc": find(out, _TTC_LABELS, convert=amount, last=True)
        or find(plain, _TTC_LABELS, convert=amount, last=True),
    }


def _column_text(line: str, col: int) -> str | None:
    """The text of ``line`` from column ``col`` to the next wide gap."""
    part = line[max(0, col - 2) :]
    lead = len(part) - len(part.lstrip())
    if lead > 4:
        return None
    return re.split(r"\s{4,}", part.strip())[0] or None


def read_words(lines: list[str]) -> str | None:
    """The amount in words after "Arrêtée la présente facture à la somme de", the label and
    the words possibly running over several lines of the same column."""
    for i, ln in enumerate(lines):
        m = _WORDS_START.search(ln)
        if not m:
            continue
        col = m.start()
        parts = [_column_text(ln, col) or ""]
        for nxt in lines[i + 1 : i + 5]:
            text = " ".join(parts)
            label = _WORDS_LABEL.match(text)
            rest = text[label.end() :] if label else ""
            if rest and ("centime" in rest.lower() or rest.rstrip().endswith(".")):
                break
            more = _column_text(nxt, col) if nxt.strip() else None
            ends_in_dinars = re.search(r"dinars?\b|\bDA\b", rest, re.I)
            if not more or (
                ends_in_dinars and not re.match(r"et\b|alg(?:é|e)rien|.*centime", more, re.I)
            ):
                break  # the words are complete; what follows is something else
            parts.append(more)
        text = " ".join(parts)
        label = _WORDS_LABEL.match(text)
        if label is None or not re.search(r"facture|somme|montant", label.group(), re.I):
            continue
        return text[label.end() :].strip(" .") or None
    return None
