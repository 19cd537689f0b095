"""Invoice-level fields of a PDF: number, payment method and terms, totals, amount in words.

Labels are the ones French and Algerian invoices print, with their usual variants; a value
is on the label's line, in the cell below it, or (for the number) under a "FACTURE" title in
the same column. Totals are looked for outside the lines table, so that a column header such
as "Total HT" is never read as the invoice's total.
"""

from __future__ import annotations

import re
from decimal import Decimal

from khazna.text import fold
from khazna.tools.invoice_check.pdf_find import CELL, amounts_in, cell_below, find
from khazna.tools.invoice_check.pdf_table import Table
from khazna.tools.invoice_check.words import AMOUNT_WORDS, NUMBER_WORDS, words_to_amount

# The sign of a number as printed: "N°", "Nº", "N ° ", "N." (a typewriter's), "No", "numéro".
_NO = r"(?:n\s?[°º]|n\.(?=[\s:]|[A-Z0-9]{1,5}[-/])|no\b\.?|num(?:é|e)ro\b)"
# A number may start with a series in capitals and a space ("FR 0249/26"), its digits
# then holding a "/" or "-" (not a "DU 12" nor a bare count).
NUMBER_VALUE = re.compile(
    r"(?!(?:DU|LE|DE|AU|EN|DES|NO|N)\s)[A-Z]{1,4} \d+[/\-][A-Za-z0-9/_\-]*\d"
    r"|[A-Za-z0-9][A-Za-z0-9/_\-.]*\d[A-Za-z0-9/_\-]*|\d+"
)
_NUM_LABELS = [
    rf"factures?\s*(?:{_NO}|#)",
    rf"{_NO}\s*(?:de\s+)?facture",
    # a credit note ("Facture d'avoir", "Avoir N°", "Note de crédit n°") is numbered alike
    rf"(?<![\w'’])avoir\s*(?:{_NO}|#)",
    rf"{_NO}\s*(?:de\s+l['’]\s*|d['’]\s*)avoir",
    rf"note\s+de\s+cr(?:é|e)dit\s*(?:{_NO}|#)",
    r"credit\s+note\s*(?:number|no\.?|#|n°)",
    r"num(?:é|e)ro\s+de\s+(?:la\s+)?facture",
    r"r(?:é|e)f(?:\.|(?:é|e)rence)?\s*(?:de\s+(?:la\s+)?)?facture",
    r"facture\s+r(?:é|e)f(?:\.|(?:é|e)rence)?",
    r"invoice\s*(?:number|no\.?|#|n°)",
    r"factuurnummer|factuurnr\.?",
    r"rechnungs?-?(?:nr\.?|nummer)",
    r"(?:^|(?<=\s\s))factures?(?=\s+[A-Za-z]{0,6}[-/]?\d)",
    r"\binvoice\b(?!\s*(?:date|summary|address|to|total|no|number|period))",
    r"\bfactuur\b(?!\s*(?:datum|totaal|adres|nummer))",
    r"(?:^|\s)#(?=\s*\w*\d)",
    r"booking\s+id",
]
# A number printed alone under the title ("FACTURE" / "N° F2026-0142"), or a cell that
# starts with "N°" and holds only a number: what an invoice's header block shows.
_TITLE_CELL = re.compile(r"^(?:facture|invoice)(?:\s+(?:originale?|duplicata))?\s*:?$", re.I)
_NUMBER_CELL = re.compile(
    rf"^(?:{_NO}|r(?:é|e)f(?:\.|(?:é|e)rence)?)\s*:?\s*"
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
_METHOD_LABELS = [
    r"mode\s+de\s+(?:paiement|r(?:è|e)glement)",
    r"moyen\s+de\s+paiement",
    r"(?:mode|moyen)\s+de\s+remboursement",
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
    r"(?<![\w])payment(?!\s+(?:terms|due|date))(?![\w])",
    r"(?<![\w])payable\s+by",
    r"(?<![\w])paid\s+by",
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


_NOT_NUMBER = re.compile(
    r"^(?:BC|BL|BDC|BON|CMD|DEVIS|DV|PO|CDE)\b|^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$", re.I
)
# Labels that announce an invoice number: present without a value, the number is unread.
_NUM_ANNOUNCE = [
    rf"factures?\s*{_NO}",
    rf"{_NO}\s*(?:de\s+(?:la\s+)?)?facture",
    r"num(?:é|e)ro\s+de\s+(?:la\s+)?facture",
    r"invoice\s*(?:number|no\.?|#|n°)",
]


_NUMBER_START = re.compile(
    rf"(?:^|(?<=\s\s)){_NO}\s*[:.]?\s*"
    r"(?P<v>(?=[A-Za-z0-9/\-]*[A-Za-z/\-])[A-Za-z]{0,6}[-/]?\d[A-Za-z0-9/_\-]*)(?![\w/])",
    re.I,
)


def _number_value(text: str) -> str | None:
    m = NUMBER_VALUE.match(text)
    if not m or _NOT_NUMBER.search(m.group(0)):
        return None
    return m.group(0)


def _read_number(lines: list[str], *, cells: bool = True) -> str | None:
    """The invoice number: after a number label; else (with ``cells``, for text laid out in
    columns) the "N° ..." cell under a title, or a cell holding "N° <number>" alone."""
    got = find(lines, _NUM_LABELS, convert=_number_value)
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
            if got and re.match(r"n\s?[°º]|n\.\s", c.group(), re.I):
                return got
    for ln in lines:  # "N° F2026-0142 …" starting a cell: a code, not "N° 12, rue …"
        for m in _NUMBER_START.finditer(ln):
            got = _number_value(m["v"])
            if got and got == m["v"] and not re.match(r"\s*,", ln[m.end() :]):
                return got
    for i, ln in enumerate(lines):  # a grid: "N°" heading a column, the number under it
        for c in CELL.finditer(ln):
            if re.fullmatch(rf"{_NO}\s*(?:(?:de\s+)?facture)?\s*:?", c.group(), re.I):
                under = cell_below(lines, i, c.start(), c.end(), depth=2) or ""
                got = _number_value(under)  # not a bare "1" (a line number's column)
                if got and got == under.strip() and (len(got) >= 3 or not got.isdigit()):
                    return got
    for ln in lines:  # "N° :      F2026-0142": a label column and a value column
        row = [c.group() for c in CELL.finditer(ln)]
        for label, value in zip(row, row[1:], strict=False):
            if re.fullmatch(rf"{_NO}(?:\s+(?:de\s+)?facture)?\s*:?", label, re.I):
                got = _number_value(value)
                if got and got == value.strip():
                    return got
    return find(
        lines,
        [r"(?<![\w])r(?:é|e)f(?:\.|(?:é|e)rence)?(?=\s*:)"],
        convert=_number_value,
        below=False,
    )


def read_number(lines: list[str], plain: list[str]) -> tuple[str | None, str]:
    """(number, status): unread when a number label holds nothing readable."""
    got = _read_number(lines) or _read_number(plain, cells=False)
    if got:
        return got, "read"
    announced = any(re.search(p, ln, re.I) for p in _NUM_ANNOUNCE for ln in lines) or any(
        _NUMBER_START.search(ln) or re.search(rf"(?:^|\s\s){_NO}\s*:?\s*\d", ln, re.I)
        for ln in lines
    )  # a "N° …" cell that could be the number, not read with confidence
    return None, "unread" if announced else "absent"


def method_key(text: str) -> str | None:
    low = text.lower()
    return next((key for key, pat in _METHOD_WORDS if re.search(pat, low)), None)


_METHOD_PHRASE = re.compile(
    r"\b(?:par|en|by|in)\s+(?:un\s+|a\s+)?(?:bank\s+|wire\s+)?"
    r"(virement|ch(?:è|e)que|esp(?:è|e)ces|carte|traite|effet|transfer|check|card|cash)\b",
    re.I,
)
_METHOD_ANY = re.compile(
    r"\b(?:virement|ch(?:è|e)que|esp(?:è|e)ces|num(?:é|e)raire|traite|"
    r"mode\s+de\s+(?:paiement|r(?:è|e)glement)|moyen\s+de\s+paiement|"
    r"(?:bank|wire)\s+transfer|payment\s+(?:method|mode)|in\s+cash)\b",
    re.I,
)


def read_payment_method(lines: list[str]) -> str | None:
    """``virement``, ``cheque``, ``especes``, ``carte`` or ``effet``; the printed text when a
    method label holds something else. A value that names no method may be the next header
    cell ("Mode de paiement   Échéance" with the values underneath): the cell below is tried."""

    def key(text: str) -> str | None:
        return method_key(cell_text(text) or "")

    got = find(lines, _METHOD_LABELS, convert=key) or find(lines, _METHOD_WEAK_LABELS, convert=key)
    if got:
        return got
    for ln in lines:  # "Règlement par virement bancaire, …", "payé en espèces"
        m = _METHOD_PHRASE.search(ln)
        if m:
            return method_key(m.group(1))
    return find(lines, _METHOD_LABELS, convert=cell_text)


def read_method(lines: list[str]) -> tuple[str | None, str]:
    """(method, status): unread when a method is named or labelled but not read."""
    got = read_payment_method(lines)
    if got:
        return got, "read"
    return None, "unread" if any(_METHOD_ANY.search(ln) for ln in lines) else "absent"


_TERMS_PHRASE = re.compile(
    r"(?:(?:r(?:è|e)glement|paiement|payable|pay(?:é|e)e?s?|rembours(?:ement|able|(?:é|e)e?))\s+)?"
    r"(?:(?:à|a|sous)\s+)?\d{1,3}\s*jours"
    r"(?:\s+(?:fin\s+de\s+mois|date\s+de\s+(?:la\s+)?facture?(?:ation)?|nets?|"
    r"(?:à\s+)?compter\s+[^.;,]*|(?:à\s+|de\s+)?(?:la\s+)?(?:date\s+de\s+)?r(?:é|e)ception[^.;,]*))*"
    r"|(?:(?:payable|paiement|r(?:è|e)glement|pay(?:é|e)e?)\s+)?(?:(?:à|a|d(?:è|e)s)\s+(?:la\s+)?)"
    r"r(?:é|e)ception(?:\s+de\s+(?:la\s+)?facture)?"
    r"|\b(?:(?:paiement|r(?:è|e)glement|payable)\s+)?(?:au\s+)?comptant\b"
    r"|\b(?:payable|paiement|r(?:è|e)glement|pay(?:é|e)e?)\s+(?:(?:à|a|d(?:è|e)s|lors\s+de)\s+)"
    r"(?:la\s+)?(?:livraison|commande)\b"
    # "Payable à la restitution du véhicule", "payable dès l'achèvement des travaux"
    r"|\bpayable\s+(?:(?:à|a|au|d(?:è|e)s|lors\s+de|sur)\s+)(?:la\s+|le\s+|l['’]\s*)?"
    r"[a-zà-ÿ]{4,}(?:\s+(?:du|de\s+la|de\s+l['’]|des|de|d['’])\s*[a-zà-ÿ]{3,})?",
    re.I,
)


def read_payment_terms(lines: list[str]) -> str | None:
    got = find(lines, _TERMS_LABELS, convert=cell_text)
    if got:
        return got
    for ln in lines:
        m = _TERMS_PHRASE.search(ln)
        if m:
            return m.group(0).strip(" .,;")
    return None


def read_terms(lines: list[str]) -> tuple[str | None, str]:
    """(terms, status): unread when a terms label holds nothing."""
    got = read_payment_terms(lines)
    if got:
        return got, "read"
    labelled = any(re.search(p, ln, re.I) for p in _TERMS_LABELS for ln in lines)
    return None, "unread" if labelled else "absent"


def outside_table(lines: list[str], table: Table) -> list[str]:
    """The lines with the table's header and rows blanked."""
    if table.header is None:
        return lines
    end = table.end if table.end is not None else table.header
    return [("" if table.header <= i <= end else ln) for i, ln in enumerate(lines)]


def _tva_by_rate(lines: list[str], least: int = 1) -> Decimal | None:
    """The sum of "TVA 19 % ... 1 234,00" lines, one per rate (None with fewer than
    ``least`` rates)."""
    per_rate: dict[str, Decimal] = {}
    for i, ln in enumerate(lines):
        for m in _TVA_RATE_LINE.finditer(ln):  # a grid prints the rates side by side
            value = _rate_value(lines, i, m)
            if value is not None:
                per_rate[m["rate"].replace(",", ".")] = value
    return sum(per_rate.values(), Decimal(0)) if len(per_rate) >= max(1, least) else None


def _rate_value(lines: list[str], i: int, m: re.Match[str]) -> Decimal | None:
    """The amount of a "TVA 19 %" label: after it on its line, else (totals printed as a
    row of labels over a row of values) in the cell under the label's cell."""
    after = lines[i][m.end() :]
    value = amount(after.lstrip(" :"))
    gap = re.match(r"\s*:?\s*(?:\s{2}|$)", after) or re.search(r"\s{2}$", m.group())
    if value is not None or not gap:
        return value
    cell = next((c for c in CELL.finditer(lines[i]) if c.start() <= m.start() < c.end()), None)
    under = cell_below(lines, i, cell.start(), cell.end(), depth=1) if cell else None
    return amount(under, last=False) if under else None


def _status(value: object, lines: list[str], labels: list[str]) -> str:
    if value is not None:
        return "read"
    present = any(re.search(p, ln, re.I) for p in labels for ln in lines)
    return "unread" if present else "absent"


_RATE_IN_TEXT = re.compile(r"\bt\.?v\.?a\.?\s*(?:à\s*|\(\s*)?(\d{1,2}(?:[.,]\d{1,2})?)\s*%", re.I)


def printed_rates(lines: list[str]) -> set[Decimal]:
    """The VAT rates of the totals' per-rate lines ("TVA 19 %   1 234,00")."""
    out = set()
    for i, ln in enumerate(lines):
        m = _TVA_RATE_LINE.search(ln)
        if m and _rate_value(lines, i, m) is not None:
            out.add(Decimal(m["rate"].replace(",", ".")))
    return out


def infer_rates(table: Table, lines: list[str]) -> None:
    """Lines printed without a VAT column take the rate their description states ("(TVA
    9 %)"), and the others the one rate of the totals that no description claims."""
    if not table.lines or any(ln.tva_rate is not None for ln in table.lines):
        return
    printed = printed_rates(outside_table(lines, table))
    said: dict[int, Decimal] = {}
    for k, ln in enumerate(table.lines):
        m = _RATE_IN_TEXT.search(ln.description or "")
        if m:
            said[k] = Decimal(m.group(1).replace(",", "."))
    left = printed if len(printed) == 1 else printed - set(said.values())
    for k, ln in enumerate(table.lines):
        if k in said:
            ln.tva_rate = said[k]
        elif len(left) == 1:
            ln.tva_rate = next(iter(left))


def read_totals(
    lines: list[str], plain: list[str], table: Table
) -> tuple[dict[str, Decimal | None], dict[str, str]]:
    """total_ht, total_tva, timbre, total_ttc, read outside the lines table; their status."""
    out = outside_table(lines, table)
    # Several rates, each on its line ("Montant TVA 19 %", "TVA 9 %"): their sum, whatever
    # the label says; otherwise the total VAT line, else the one rate line.
    tva = _tva_by_rate(out, least=2)
    if tva is None:
        tva = find(out, _TVA_TOTAL_LABELS, convert=amount, last=True)
    if tva is None:
        tva = _tva_by_rate(out)
    if tva is None:
        tva = find(out, _TVA_LABELS, convert=amount, last=True)
    got = {
        "total_ht": find(out, _HT_LABELS, convert=amount, last=True),
        "total_tva": tva,
        # the stamp duty is no column of a lines table: a totals box the table's rows ran
        # into is read too
        "timbre": find(out, _TIMBRE_LABELS, convert=amount)
        or find(lines, _TIMBRE_LABELS, convert=amount),
        "total_ttc": find(out, _TTC_LABELS, convert=amount, last=True)
        or find(plain, _TTC_LABELS, convert=amount, last=True),
    }
    status = {
        "total_ht": _status(got["total_ht"], out, _HT_LABELS),
        "total_tva": _status(tva, out, _TVA_TOTAL_LABELS + _TVA_LABELS),
        "timbre": _status(got["timbre"], lines, _TIMBRE_LABELS),
        "total_ttc": _status(got["total_ttc"], out, _TTC_LABELS),
    }
    return got, status


# The sentence that announces the amount in words, in its usual wordings.
_WORDS_LABEL = re.compile(
    r"(?:(?:la\s+pr(?:é|e)sente\s+facture\s+est\s+)?arr(?:ê|e)t(?:é|e)e?s?"
    r"(?:\s+[\w'’.]+){0,6}?\s+"  # "Arrêtée la présente facture (en TTC) à la somme de"
    r"(?:(?:à|a)\s+la\s+(?:somme|valeur)|au\s+montant)(?:\s+(?:totale?\s+)?de)?"
    r"|soit\s+(?:la\s+somme|un\s+montant(?:\s+total)?|un\s+total)(?:\s+de)?"
    r"|(?:montant|somme|total)\s+(?:t\.?t\.?c\.?\s+)?en\s+(?:toutes\s+)?lettres"
    r"|nous\s+disons"
    r"|s['’](?:é|e)l(?:è|e)ve\s+(?:à|a)(?:\s+la\s+somme\s+de)?)"
    r"[\s:.]*",
    re.I,
)


def _amount_word(token: str) -> bool:
    parts = [p for p in re.split(r"[^a-z0-9]+", fold(token)) if p]
    return bool(parts) and all(p in AMOUNT_WORDS for p in parts)


def _number_word(token: str) -> bool:
    parts = [p for p in re.split(r"[^a-z0-9]+", fold(token)) if p]
    return any(p in NUMBER_WORDS for p in parts)


_CHUNK = re.compile(r"\S+(?:\s{1,2}\S+)*")


def paragraphs(lines: list[str]) -> list[str]:
    """The text of the page by paragraphs: runs of text (cut at gaps of three spaces or
    more) on consecutive lines that start in the same column, joined by spaces. A sentence
    printed in a side column next to other blocks is one paragraph."""
    done: list[list[str]] = []
    open_: list[tuple[int, list[str]]] = []  # (start column, texts), continued last line
    for ln in lines:
        nxt: list[tuple[int, list[str]]] = []
        for c in _CHUNK.finditer(ln):
            para = next((p for p in open_ if abs(p[0] - c.start()) <= 3), None)
            if para is not None:
                open_.remove(para)
                para[1].append(c.group())
                nxt.append(para)
            else:
                nxt.append((c.start(), [c.group()]))
        done.extend(p[1] for p in open_)
        open_ = nxt
    done.extend(p[1] for p in open_)
    return [" ".join(p) for p in done]


_PUNCT = ":.,;()«»\"“”'’[]"


def _starts_amount(text: str) -> bool:
    """Whether the first word of ``text`` (past quotes and punctuation) is an amount word."""
    first = next((t.strip(_PUNCT) for t in text.split() if t.strip(_PUNCT)), None)
    return first is not None and _amount_word(first)


def _following(lines: list[str], i: int, col: int) -> str:
    """The text after a words label at ``lines[i][col:]`` and on the lines after it, in any
    column (centred, indented), while each line's text starts with an amount word: the
    words end at the next label, amount or blank gap."""
    first = re.split(r"\s{3,}", lines[i][col:].strip(), maxsplit=1)[0]
    # the label's line may go on with another column ("Cachet et signature"): then the
    # words start on the next line
    parts = [first] if _starts_amount(first) else []
    blanks = 0
    for ln in lines[i + 1 : i + 6]:
        chunks = [c for c in re.split(r"\s{3,}", ln.strip()) if c]
        if not chunks:
            blanks += 1
            if blanks > 1:
                break
            continue
        blanks = 0
        words = next((c for c in chunks if _starts_amount(c)), None)
        if words is None:
            break
        parts.append(words)
    return " ".join(parts)


def _words_after(text: str) -> str | None:
    """The amount-in-words tokens at the start of ``text``, up to the first word that is
    not part of an amount."""
    taken: list[str] = []
    for tok in text.split():
        bare = tok.strip(_PUNCT)
        if not bare:
            continue
        if not _amount_word(bare):
            break
        if not taken and not _number_word(bare):
            continue  # "de", ":" before the first number word
        taken.append(bare)
        if fold(bare).startswith("centime"):
            break
    ends = ("dinars", "dinar", "da", "dzd", "algeriens", "algerien", "centimes", "centime")
    while taken and not _number_word(taken[-1]) and fold(taken[-1]) not in ends:
        taken.pop()
    return " ".join(taken) or None


def read_words(lines: list[str]) -> tuple[str | None, str]:
    """(the amount in words, status), from the sentence that announces it ("Arrêtée la
    présente facture à la somme de", "La présente facture est arrêtée à la somme de", "Soit
    la somme de", "Montant en lettres"...), the label and the words possibly running over
    several lines. Without a label, a run of number words ending in dinars is read too;
    words that cannot be read as an amount are unread."""
    paras = paragraphs(lines)
    seen_label = False
    found: list[str] = []
    for i, ln in enumerate(lines):  # the label's line and the lines after it
        for m in _WORDS_LABEL.finditer(ln):
            seen_label = True
            text = _words_after(_following(lines, i, m.end()))
            if text and words_to_amount(text) is not None:
                found.append(text)
    for para in paras:  # a label itself broken over lines, its paragraph
        for m in _WORDS_LABEL.finditer(para):
            seen_label = True
            text = _words_after(para[m.end() :])
            if text and words_to_amount(text) is not None:
                found.append(text)
    if found:  # the fullest reading: a part of the words is another amount
        return max(found, key=lambda t: len(t.split())), "read"
    for para in paras if not seen_label else []:  # words printed without a label
        toks = para.split()
        for k, tok in enumerate(toks):
            if _number_word(tok.strip(".,:;")) and _amount_word(tok.strip(".,:;")):
                text = _words_after(" ".join(toks[k:]))
                if (
                    text
                    and len(text.split()) >= 3
                    and re.search(r"\bdinars?\b", fold(text))
                    and words_to_amount(text) is not None
                ):
                    return text, "read"
                break
    if seen_label:
        return None, "unread"
    runs = any(
        sum(_number_word(t) for t in ln.split() if _amount_word(t.strip(".,:;"))) >= 3
        for ln in lines
    )
    return None, "unread" if runs else "absent"
