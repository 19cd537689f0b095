"""An invoice PDF read into an :class:`InvoiceDocument`, with how sure the reading is.

The page is cut into blocks from the positions of its text (pypdf's layout mode prints each
line with its words at their x position, so columns are character columns): the buyer block
starts at a label such as "Doit", "Client", "Facturé à", "Destinataire" and covers the lines
under it, in its column when blocks sit side by side, down to a vertical gap or the lines
table; everything else outside the table (letterhead, side blocks, footer) is the seller's.
Identifiers are found by label and shape (:mod:`pdf_ids`) and given to the block they sit in.

Every field ends up ``read``, ``unread`` (something on the page could be it, but it could not
be read with confidence) or ``absent`` (the text holds nothing that could be it). The rules
report a missing mention only when it is absent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from khazna.ledger.documents import InvoiceDocument, Party
from khazna.tools.invoice_check import identifiers as ids
from khazna.tools.invoice_check.currency import read_currency
from khazna.tools.invoice_check.models import CheckSettings, PdfRead
from khazna.tools.invoice_check.pdf_fields import (
    amount,
    cell_text,
    infer_rates,
    read_method,
    read_number,
    read_terms,
    read_totals,
    read_words,
)
from khazna.tools.invoice_check.pdf_find import CELL, DATE, find, parse_date
from khazna.tools.invoice_check.pdf_ids import COULD_BE, KINDS, candidates, find_ids
from khazna.tools.invoice_check.pdf_table import Table, read_table
from khazna.tools.invoice_check.pdf_text import PdfText, extract_text, read_bytes

READ, UNREAD, ABSENT = "read", "unread", "absent"

_DATE_LABELS = [
    r"date\s+(?:de\s+(?:la\s+)?)?factur(?:e|ation)",
    r"invoice\s+date",
    r"factuur\s*datum|factuurdatum",
    r"rechnungsdatum",
    r"date\s+d['’]?(?:é|e)mission",
    r"factures?\s*n°?\s*\S+\s+(?:du|en\s+date\s+du)",
    r"(?<![\w'’])date(?!\s*(?:limite|d['’]?(?:é|e)ch|de\s+(?:paiement|r(?:è|e)glement|livraison|commande)|due|of\s+))",
    r"\bdatum\b",
    r"(?:^|(?<=\s\s))(?:du|en\s+date\s+du)(?=\s+\d)",
    r"(?:^|(?<=\s\s))(?!(?:É|E)ch(?:é|e)ance|Paiement|R(?:è|e)glement|Livr|Payable)"
    r"[A-ZÀ-Ý][\w'’ -]{1,30},?\s+le(?=\s+\d)",
    r"^\s*le(?=\s+\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4})",  # "le 09/03/2026" alone under the title
]
_DUE_LABELS = [
    r"date\s+d['’]?(?:é|e)ch(?:é|e)ance",
    r"(?:é|e)ch(?:é|e)ance(?:\s+(?:le|au))?",
    r"date\s+limite\s+de\s+(?:paiement|r(?:è|e)glement)(?:\s+le)?",
    r"date\s+(?:de\s+|du\s+)?(?:r(?:è|e)glement|paiement|remboursement)(?:\s+pr(?:é|e)vue?)?(?:\s+le)?",
    r"due\s+date|payment\s+due",
    r"vervaldatum",
    r"zahlungsziel",
    r"(?:à|a)\s+(?:r(?:é|e)gler|payer|rembourser)\s+(?:au\s+plus\s+tard\s+)?(?:avant\s+)?le",
    r"payable\s+(?:au\s+plus\s+tard\s+)?(?:avant\s+)?le",
    r"au\s+plus\s+tard\s+le",
    r"(?:paiement|r(?:è|e)glement)\s+(?:avant|au\s+plus\s+tard)\s+le",
]
# Dates that belong to something else than the invoice: its order, delivery, a period.
_OTHER_DATE = re.compile(
    r"\b(?:BC|BL|BDC|bon|commande|livraison|devis|contrat|march(?:é|e)|convention|p(?:é|e)riode|"
    r"du\s+\d.*\bau|(?:d['’])?(?:é|e)ch(?:é|e)ance|avant|limite|tard|valable|n(?:é|e)e?\s+le|"
    r"(?:paiement|r(?:è|e)glement|pay(?:é|e)e?)\s+le|date\s+(?:de\s+|du\s+)?"
    r"(?:r(?:è|e)glement|paiement|remboursement))\b",
    re.I,
)
_BUYER_ANCHOR = re.compile(
    r"(?:client|doit|factur(?:é|e)\s+(?:à|a)|adress(?:é|e)\s+(?:à|a)|destinataire|acheteur|"
    r"livr(?:é|e)\s+(?:à|a)|bill(?:ed)?\s+to|customer|factuuradres|"
    r"(?:nom|raison\s+sociale)\s+du\s+client|vendu\s+(?:à|a)|(?:à|a)\s+l['’]attention\s+de)\b\s*:?",
    re.IGNORECASE,
)
_SELLER_ANCHOR = re.compile(
    r"^(?:vendeur|fournisseur|(?:é|e)metteur|prestataire|exp(?:é|e)diteur)\b\s*:?", re.I
)
_ID_LINE = re.compile(
    r"\b(?:NIF|NIS|RC|AI|RIB|N°\s*RC|Registre|Article|Art\.|Matricule|Identifi\w+|T(?:é|e)l\.?|"
    r"Fax|Mobile|Mob|Email|E-mail|Site|Web|Capital|N\.I\.[FS]|R\.C|A\.I|R\.I\.[BP])\b",
    re.IGNORECASE,
)
_PHONE_LINE = re.compile(r"^(?:t(?:é|e)l|fax|mobile|mob|gsm|e-?mail|site|web|www)\b", re.I)
# Lines that are invoice fields, not an address: they end a party block.
_FIELD_LINE = re.compile(
    r"^(?:r(?:è|e)glement|mode\s+de|moyen\s+de|conditions|modalit(?:é|e)s|(?:é|e)ch(?:é|e)ance|"
    r"date|objet|paiement|payable|r(?:é|e)f(?:\.|(?:é|e)rence)?\b|bon\s+de\s+commande|"
    r"n°\s*(?:de\s+)?(?:commande|facture|bc|bl|client)|code\s+client|facture\b)",
    re.IGNORECASE,
)
_CAPITAL_LINE = re.compile(r"\bcapital\b|^(?:SARL|EURL|SPA|SNC|SCS|SCA|SAS|SA|EI)$", re.I)
_TITLE = re.compile(
    r"^(?:facture|invoice|factuur|rechnung|page|original|duplicata|n[°º]|du\s+\d|le\s+\d)\b", re.I
)
_LEGAL_FORM = re.compile(
    r"\b(SARL|EURL|SPA|SNC|SCS|SCA|SAS|SA|EI|EPE|EPIC|S\.A\.R\.L|E\.U\.R\.L|S\.P\.A|"
    r"Entreprise\s+individuelle)\b"
)
_ADDRESS_WORDS = re.compile(
    r"\b(?:rue|avenue|av\.|boulevard|bd|route|cit(?:é|e)|zone|lot|lotissement|bp|b\.p|villa|"
    r"immeuble|r(?:é|e)sidence|quartier|coop(?:é|e)rative|local|bt|bloc|centre|place|chemin|"
    r"village|adresse|si(?:è|e)ge)\b|\b\d{5}\s+[A-ZÀ-Ý]",
    re.I,
)
_TABLE_HEAD = re.compile(r"d(?:é|e)signation|description|libell(?:é|e)", re.I)


@dataclass
class Blocks:
    seller: list[str]  # the page with the buyer block and the table blanked
    buyer: list[str]  # the buyer block's text, line by line (blank lines elsewhere)
    buyer_found: bool = False
    buyer_inline: str | None = None  # a name printed on the anchor's line
    top: list[str] = field(default_factory=list)  # the seller's lines above the table
    # the lines from the buyer's heading down to the table: identifiers found there, outside
    # the buyer block, are the seller's only when the letterhead and the footer hold none
    middle: range = range(0)


def _blank(text: str) -> str:
    return " " * len(text)


def _anchor(line: str) -> re.Match[str] | None:
    """A buyer label starting its cell ("Doit :", "Client", "Facturé à : SARL …")."""
    for m in _BUYER_ANCHOR.finditer(line):
        before = line[: m.start()]
        if before.strip() and not before.endswith("  "):
            continue  # "Code client", "N° client": a field, not a block
        rest = line[m.end() :]
        after = rest.lstrip(" :")
        near = len(rest) - len(after) < 3 or not re.match(r"\s*:?\s{3}", rest)
        if near and re.match(r"(?:n[°º]|code|r(?:é|e)f)", after, re.I):
            continue  # "Client N° 0042": a field; "Client :      Code client : …" is not
        return m
    return None


def split_blocks(lines: list[str], table: Table) -> Blocks:
    seller = _without_table(lines, table)
    buyer = [""] * len(lines)
    first_table = table.header if table.header is not None else len(lines)
    for i, line in enumerate(lines[:first_table]):
        m = _anchor(line)
        if not m:
            continue
        c0 = m.start()
        # the label ends at its last printed character: the anchor's trailing spaces may
        # run across the gap to another column (a seller block printed on the right)
        label_end = m.start() + len(m.group().rstrip())
        after = line[label_end:]
        inline_m = CELL.search(after)
        inline = None
        c1 = 10_000
        rest_cells = [c for c in CELL.finditer(line) if c.start() >= label_end]
        if inline_m and re.fullmatch(r" ?:? {0,3}", after[: inline_m.start()]):
            inline = inline_m.group().strip(" :") or None
            rest_cells = rest_cells[1:]
        elif rest_cells and _value_column(lines, i, rest_cells[0], first_table):
            # "Client :      SARL …" with the block's lines under the name: a label column
            inline = rest_cells[0].group().strip(" :") or None
            rest_cells = rest_cells[1:]
        if rest_cells:
            c1 = rest_cells[0].start()
        if inline is None:
            c0 = _block_left(lines, i, m, first_table)
        if c1 == 10_000:
            c1 = _column_beside(lines, i, c0, first_table)
        # the block ends at a gap wider than its own line spacing (a typewriter's double
        # spacing leaves a blank line between each of its lines), or after 12 text lines
        blanks, spacing, taken = 0, None, 0
        for j in range(i, first_table):
            text = lines[j]
            part = text[max(0, c0 - 2) : c1]
            if j > i:
                stripped = part.strip()
                if not stripped:
                    blanks += 1
                    if blanks >= max(2, (spacing or 0) + 2) and not _ids_follow(
                        lines, j, c0, c1, first_table
                    ):
                        break
                    continue
                if spacing is None:
                    spacing = blanks
                blanks = 0
                taken += 1
                if taken > 12:
                    break
                first = CELL.search(part)
                head = first.group() if first else ""
                if _SELLER_ANCHOR.match(head) or _anchor(part) or _TABLE_HEAD.search(part):
                    break
                if _FIELD_LINE.match(head) and not _ID_LINE.match(head):
                    # a field inside the block ("Code client : C-0042" between the name and
                    # the address): left to the page, the block goes on when party lines follow
                    if _party_follows(lines, j, c0, c1, first_table):
                        continue
                    break
            buyer[j] = " " * max(0, c0 - 2) + (part if j > i else "")
            seller[j] = text[: max(0, c0 - 2)] + _blank(part) + text[c1:]
        return Blocks(seller, buyer, True, inline, seller[:first_table], range(i, first_table))
    return Blocks(seller, buyer, False, None, seller[:first_table])


_BUYER_ID_LABEL = re.compile(
    r"^(?:NIF|NIS|RC|AI|N\.I\.[FS]|R\.C|A\.I|Art(?:\.|icle)|Registre|Matricule|Identifi\w+)\b",
    re.IGNORECASE,
)


def _party_follows(lines: list[str], j: int, c0: int, c1: int, stop: int) -> bool:
    """Whether the next line of the block's column is an address, a phone or an identifier."""
    for k in range(j + 1, min(stop, j + 4)):
        part = lines[k][max(0, c0 - 2) : c1]
        first = CELL.search(part)
        if first is None:
            continue
        head = first.group()
        return bool(
            _BUYER_ID_LABEL.match(head) or _PHONE_LINE.match(head) or _ADDRESS_WORDS.search(head)
        )
    return False


def _ids_follow(lines: list[str], j: int, c0: int, c1: int, stop: int) -> bool:
    """Whether the next text under a block, past a gap, is a run of identifiers printed in
    the block's own column (a party's NIF, RC... set apart from its address): they are its."""
    for k in range(j + 1, min(stop, j + 4)):
        part = lines[k][max(0, c0 - 2) : c1]
        if not part.strip():
            continue
        first = CELL.search(part)
        return bool(first and abs(first.start() - 2) <= 2 and _BUYER_ID_LABEL.match(first.group()))
    return False


def _block_left(lines: list[str], i: int, head: re.Match[str], stop: int) -> int:
    """The left edge of the block a heading names: the heading's column, or the start of
    the line under it when the heading is centred or indented over its block (a cell that
    runs under the heading and starts at most 30 columns to its left)."""
    for j in range(i + 1, min(stop, i + 3)):
        cells = list(CELL.finditer(lines[j]))
        if not cells:
            continue
        for c in cells:
            if (
                c.start() < head.start() - 2
                and c.end() > head.start()
                and (head.start() - c.start() <= 30)
            ):
                return c.start()
        return head.start()
    return head.start()


def _value_column(lines: list[str], i: int, cell: re.Match[str], stop: int) -> bool:
    """Whether the cell after a buyer label is its value: near it, not a field of its own,
    and the next line has text starting in the same column."""
    text = cell.group()
    if _FIELD_LINE.match(text) or _ID_LINE.match(text) or _TITLE.match(text):
        return False
    for j in range(i + 1, min(stop, i + 3)):
        starts = [c.start() for c in CELL.finditer(lines[j])]
        if starts:
            return any(abs(st - cell.start()) <= 3 for st in starts)
    return False


def _column_beside(lines: list[str], i: int, c0: int, stop: int) -> int:
    """The right edge of a block whose heading stands alone on its line ("Client" over the
    buyer's lines, the seller's block printed on the same lines further right): the first
    column, past a wide gap, where the text of at least three of the lines under the heading
    starts, each of them holding more than a bare label on its left (a label column's values
    are the block's own). 10 000 when nothing stands beside the block."""
    starts: list[int] = []
    for j in range(i + 1, min(stop, i + 10)):
        text = lines[j]
        for left, right in zip(CELL.finditer(text), list(CELL.finditer(text))[1:], strict=False):
            if left.start() < c0 - 2 or right.start() - left.end() < 6:
                continue
            if right.start() - c0 < 12 or _LABEL_ONLY.fullmatch(text[c0 : left.end()].strip()):
                break
            starts.append(right.start())
            break
    for col in sorted(set(starts)):
        if sum(abs(st - col) <= 3 for st in starts) >= 3:
            return max(c0 + 12, min(st for st in starts if abs(st - col) <= 3))
    return 10_000


_LABEL_ONLY = re.compile(r"[^:]{1,30}:|(?:NIF|NIS|RC|AI|N\.I\.[FS]|R\.C|A\.I|RIB)\.?", re.I)


def _without_table(lines: list[str], table: Table) -> list[str]:
    """The page with the table's lines blanked, but for the identifiers of a side column
    printed left of it (the seller's mentions down the page's edge: a label, or a number
    of an identifier's shape; nothing else of that column, a date for one, is kept)."""
    if table.header is None:
        return list(lines)
    end = _end(table)
    out = []
    for i, ln in enumerate(lines):
        if table.header <= i <= end:
            side = ln[: table.left].rstrip()
            ln = side if side and (find_ids([side]) or candidates([side], [])) else ""
        out.append(ln)
    return out


def _end(table: Table) -> int:
    return table.end if table.end is not None else (table.header or 0)


# --- parties ------------------------------------------------------------------------------
def _party_ids(
    lines: list[str], party: Party, status: dict[str, str], prefix: str, middle: range = range(0)
) -> None:
    hits = sorted(find_ids(lines), key=lambda h: h.line in middle)  # stable: page order
    free = {shape for shape, _, _ in candidates(lines, hits)}
    for kind in KINDS:
        if prefix == "buyer" and kind == "rib":
            continue
        mine = [h for h in hits if h.kind == kind]
        value = next((h.value for h in mine if h.value), None)
        setattr(party, kind, value)
        if value:
            status[f"{prefix}.{kind}"] = READ
        elif mine or free & COULD_BE[kind]:
            status[f"{prefix}.{kind}"] = UNREAD
        else:
            status[f"{prefix}.{kind}"] = ABSENT


_CHUNK = re.compile(r"\S+(?:\s{1,2}\S+)*")
_LABEL_CELL = re.compile(
    r"^(?:[^:]{1,30}:|adresse|address|si(?:è|e)ge(?:\s+social)?|nom|raison\s+sociale|"
    r"d(?:é|e)nomination|soci(?:é|e)t(?:é|e)|client)$",
    re.I,
)
_NAME_LABEL = re.compile(
    r"^(?:nom|raison\s+sociale|d(?:é|e)nomination|soci(?:é|e)t(?:é|e)|client)\s*:?\s*", re.I
)


def _cells(lines: list[str]) -> list[str]:
    """The first cell of each non-empty line; a label cell with its value ("Adresse :
    23, rue …" printed as a label column and a value column) counts as one."""
    out = []
    for ln in lines:
        chunks = [c.group().strip() for c in _CHUNK.finditer(ln)]
        if not chunks:
            continue
        first = chunks[0]
        if len(chunks) > 1 and (_LABEL_CELL.match(first) or chunks[1].startswith(":")):
            first = f"{first.rstrip(' :')} : {chunks[1].lstrip(': ')}"
        out.append(first)
    return out


# A line of the seller's trades ("outillage – quincaillerie – droguerie"): words in two or
# more dash-separated parts, no figure.
_ACTIVITY = re.compile(r"[^\d\n]+?(?:\s[–—-]\s[^\d\n]+?){2,}")
# A phone or fax after the address on its line ("…, 43000 Mila – Tél. 034 78 05 42").
_CONTACT_TAIL = re.compile(r"\s+[–—-]\s+(?:t(?:é|e)l|fax|mob|gsm|e-?mail)\b.*$", re.I)


def _address(cells: list[str]) -> str | None:
    addr: list[str] = []
    for c in cells:
        if _CAPITAL_LINE.search(c) and not addr:
            continue
        if not addr and _ACTIVITY.fullmatch(c) and not _ADDRESS_WORDS.search(c):
            continue  # "Mécanique générale – Électricité auto – Diagnostic": the trade
        c = _CONTACT_TAIL.sub("", c)
        if _PHONE_LINE.match(c) or _ID_LINE.match(c) or _FIELD_LINE.match(c) or len(addr) == 2:
            break
        if _ID_LINE.search(c) and not _ADDRESS_WORDS.search(c):
            break
        addr.append(
            re.sub(r"^(?:adresse|address|si(?:è|e)ge(?:\s+social)?)\s*:?\s*", "", c, flags=re.I)
        )
    return ", ".join(addr) or None


# A cell opening on a street number ("12 Hassiba Ben Bouali", "45, Lot Les Oliviers").
_STREET_START = re.compile(r"^\d{1,4}\s*(?:bis|ter)?\s*,?\s+[^\W\d_]{3,}", re.I)


def _claimed(cell: str) -> bool:
    """A letterhead cell that is something else than an address: a title, an identifier,
    a phone or e-mail, an invoice field, the capital, a date, a buyer label, a bare figure."""
    return bool(
        _TITLE.match(cell)
        or _SELLER_ANCHOR.match(cell)
        or _ID_LINE.search(cell)
        or _PHONE_LINE.match(cell)
        or _FIELD_LINE.match(cell)
        or _CAPITAL_LINE.search(cell)
        or DATE.search(cell)
        or _anchor(cell)
        or "@" in cell
        or re.match(r"(?:www\.|https?://)", cell, re.I)
        or not re.search(r"[^\W\d_]{3}", cell)
    )


def _name_at(top: list[str], name: str | None) -> tuple[int, int, int] | None:
    """(line, start, end) of the seller's name in the letterhead."""
    for i, ln in enumerate(top):
        for c in CELL.finditer(ln):
            if name and c.group().strip() == name.strip():
                return i, c.start(), c.end()
    return None


def _address_beside(top: list[str], name: str | None) -> str | None:
    """The address printed beside the seller's name: a column starting on the name's line,
    to its right, whose first unclaimed cells (at most two) hold a street or place."""
    at = _name_at(top, name)
    if at is None:
        return None
    i0, _, end0 = at
    for c in CELL.finditer(top[i0]):
        if c.start() <= end0:
            continue
        taken: list[str] = []
        for ln in top[i0 : i0 + 4]:
            cell = next((d for d in CELL.finditer(ln) if abs(d.start() - c.start()) <= 3), None)
            if cell is None or _claimed(cell.group()) or len(taken) == 2:
                break
            taken.append(cell.group().strip())
        if any(_ADDRESS_WORDS.search(t) or _STREET_START.match(t) for t in taken):
            return ", ".join(taken)
    return None


def _unclaimed(top: list[str], name: str | None) -> list[str]:
    """The letterhead's cells besides the name that nothing else claims."""
    return [
        c.group()
        for ln in top
        for c in CELL.finditer(ln)
        if c.group().strip() != (name or "").strip()
        and not _claimed(c.group())
        and not _LEGAL_FORM.fullmatch(c.group().strip())
    ]


def _address_anywhere(cells: list[str]) -> str | None:
    """An address printed elsewhere in the block than under the name (under the identifiers,
    after a phone line): the address-like lines that are no identifier, phone or field."""
    addr: list[str] = []
    for c in cells:
        plain = not (_PHONE_LINE.match(c) or _ID_LINE.match(c) or _FIELD_LINE.match(c))
        if plain and _ADDRESS_WORDS.search(c) and len(addr) < 2:
            addr.append(re.sub(r"^(?:adresse|address|si(?:è|e)ge(?:\s+social)?)\s*:?\s*", "", c,
                               flags=re.I))  # fmt: skip
        elif addr:
            break
    return ", ".join(addr) or None


def _buyer(blocks: Blocks, status: dict[str, str]) -> Party:
    party = Party()
    if not blocks.buyer_found:
        for key in ("name", "address", "rc", "nif", "nis", "ai"):
            status[f"buyer.{key}"] = UNREAD
        return party
    _party_ids(blocks.buyer, party, status, "buyer")
    cells = [c for c in _cells(blocks.buyer) if not _TITLE.match(c)]
    name = blocks.buyer_inline
    if name is None and cells:
        name, cells = cells[0], cells[1:]
    name = _NAME_LABEL.sub("", name).strip() or None if name else None
    party.name = name
    status["buyer.name"] = READ if name else ABSENT
    party.address = _address(cells) or _address_anywhere(cells)
    if party.address:
        status["buyer.address"] = READ
    else:
        status["buyer.address"] = ABSENT if name else UNREAD
    return party


def _seller(blocks: Blocks, status: dict[str, str]) -> Party:
    lines = blocks.seller
    party = Party()
    # identifiers in the letterhead or the footer: the seller prints its own there, so
    # those between the buyer's heading and the table (outside its block) are not its own
    outside = [("" if k in blocks.middle else ln) for k, ln in enumerate(lines)]
    if sum(1 for h in find_ids(outside) if h.value and h.kind != "rib") >= 2:
        _party_ids(outside, party, status, "seller")
    else:
        _party_ids(lines, party, status, "seller", blocks.middle)
    top = [
        c
        for c in (re.split(r"\s{2,}", ln.strip())[0] for ln in blocks.top if ln.strip())
        if not _TITLE.match(c) and not _SELLER_ANCHOR.match(c)
    ]
    name = find(lines, [r"raison\s+sociale", r"d(?:é|e)nomination"], convert=cell_text)
    if name is None and top and not _ID_LINE.match(top[0]) and not _FIELD_LINE.match(top[0]):
        name, top = top[0], top[1:]
    party.name = name
    status["seller.name"] = READ if name else UNREAD
    labelled = find(
        lines,
        [r"\badresse\b", r"\bsi(?:è|e)ge(?:\s+social)?\b", r"(?<![\w-]\s)\baddress\b"],
        convert=cell_text,
    )
    address = labelled or _address(top) or _address_beside(blocks.top, name)
    if address is None:  # an address line elsewhere (a footer, a side block)
        address = next(
            (c for c in _cells(lines) if _ADDRESS_WORDS.search(c) and not _ID_LINE.match(c)), None
        )
    party.address = address
    if address:
        status["seller.address"] = READ
    elif name and not _unclaimed(blocks.top, name):
        status["seller.address"] = ABSENT
    else:  # text in the letterhead that nothing else claims: it could be the address
        status["seller.address"] = UNREAD
    form = find(lines, [r"forme\s+juridique"], convert=cell_text)
    if not form:
        m = next((_LEGAL_FORM.search(ln) for ln in lines if _LEGAL_FORM.search(ln)), None)
        form = m.group(1) if m else None
    party.legal_form = form
    status["seller.legal_form"] = READ if form else ABSENT
    party.capital = find(
        lines, [r"capital(?:\s+social)?(?:\s+de)?"], convert=lambda t: amount(t, last=False)
    )
    if party.capital is not None:
        status["seller.capital"] = READ
    elif any(re.search(r"\bcapital\b", ln, re.I) for ln in lines):
        status["seller.capital"] = UNREAD
    else:
        status["seller.capital"] = ABSENT
    return party


_WELL_FORMED = {"rc": ids.rc_valid, "nif": ids.nif_valid, "nis": ids.nis_valid, "ai": ids.ai_valid}


def _unclaimed_ids(blocks: Blocks, seller: Party, buyer: Party, status: dict[str, str]) -> None:
    """An identifier between the buyer's heading and the table, outside the buyer block and
    not the one the seller was given, is the buyer's when the seller's own was read in the
    letterhead or the footer (a grid of the buyer's identifiers under its block); otherwise
    it could be the buyer's: the buyer's is then unread, never absent. A malformed one stays
    unread (whose it is is a guess: no accusation on a guess)."""
    if not blocks.buyer_found:
        return
    band = [ln if k in blocks.middle else "" for k, ln in enumerate(blocks.seller)]
    outside = [("" if k in blocks.middle else ln) for k, ln in enumerate(blocks.seller)]
    own = {h.kind: h.value for h in find_ids(outside) if h.value}
    for hit in find_ids(band):
        key = f"buyer.{hit.kind}"
        if status.get(key) not in (ABSENT, UNREAD) or hit.kind == "rib":
            continue
        if hit.value == getattr(seller, hit.kind):
            continue
        if (
            hit.value
            and _WELL_FORMED[hit.kind](hit.value)
            and own.get(hit.kind) == getattr(seller, hit.kind)
        ):
            setattr(buyer, hit.kind, hit.value)
            status[key] = READ
        elif status[key] == ABSENT:
            status[key] = UNREAD


# --- invoice-level fields -------------------------------------------------------------------
def _printed_elsewhere(
    page: list[str], blocks: Blocks, buyer: Party, status: dict[str, str]
) -> None:
    """A seller's identifier is absent only when nothing outside the buyer's lines could be
    it: a value of its kind or shape anywhere else on the page (the table's side column, a
    band under the blocks, a second letterhead) other than the buyer's own makes it unread
    (whose it is was not read with confidence). The lines the buyer's block runs over are
    left out, whole: a grid of the buyer's identifiers beside its block is the buyer's."""
    page = [_blank(ln) if b.strip() else ln for ln, b in zip(page, blocks.buyer, strict=True)]
    hits = find_ids(page)
    free = candidates(page, hits)
    for kind in KINDS:
        key = f"seller.{kind}"
        if status.get(key) != ABSENT:
            continue
        values = {re.sub(r"\W", "", h.value) for h in hits if h.kind == kind and h.value}
        for shape, line, col in free:
            cell = CELL.match(page[line], col)
            if shape in COULD_BE[kind] and cell:
                values.add(re.sub(r"\W", "", cell.group()))
        if kind != "rib":
            values.discard(re.sub(r"\W", "", getattr(buyer, kind, None) or ""))
        if values:
            status[key] = UNREAD


def _label_present(lines: list[str], labels: list[str]) -> bool:
    return any(re.search(p, ln, re.I) for p in labels for ln in lines)


_DATE_LEAD = re.compile(r"^[\s:,.\-]*(?:le\s+|du\s+)?", re.I)
_PLACE_LEAD = re.compile(r"^[\s:,.\-]*[A-ZÀ-Ý][\w'’ -]{1,30},\s*(?:le\s+)?")


def _date_first(text: str):
    """The date a label's value starts with ("14/09/2026", "August 3 , 2014", "Oran, le
    3 mars 2026"), not one further on in the sentence ("30 jours date de facture. Échéance
    le …")."""
    for lead in (_DATE_LEAD, _PLACE_LEAD):
        m = lead.match(text)
        rest = text[m.end() :] if m else text
        if DATE.match(rest):
            return parse_date(rest)
    return None


def _empty_label(lines: list[str], labels: list[str]) -> bool:
    """A label starting its cell with nothing after it on its line ("Date :" pre-printed
    and left empty, or filled by hand): the mention is unread, not absent."""
    return any(
        re.search(rf"(?:^|(?<=\s\s))(?:{p})\s*:?\s*(?:$|\s{{3}})", ln, re.I)
        for p in labels
        for ln in lines
    )


def _issue_date_status(lines: list[str]) -> str:
    """unread when a date of the page is not claimed by another label (an order, a due date)."""
    for ln in lines:
        for m in DATE.finditer(ln):
            if parse_date(m.group()) is None:
                continue
            before = ln[max(0, m.start() - 60) : m.start()]
            cell = re.split(r"\s{3,}", before)[-1]
            if not _OTHER_DATE.search(cell) and not _ADDRESS_WORDS.search(cell):
                return UNREAD  # ("Cité du 8 Mai 1945" is an address, not a date)
    return ABSENT


# Box drawing printed as text (a typewriter's "| TOTAL HT | 29 000,00 |", "+-----+"):
# blanked column for column, so that the cells inside a box read as cells.
_BOX = re.compile(r"[|¦│┃║\u2500-\u257f]|[-=_*+~.]{4,}|(?<=\s)\+(?=\s|$)|^\+")


# A bilingual label's Arabic half ("N° facture / رقم الفاتورة : …", "Total HT / المجموع"):
# blanked, so that the French label meets its value.
_AR = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"
_ARABIC_HALF = re.compile(rf"\s/\s*[{_AR}](?:[{_AR} .]*[{_AR}])?")


def unbox(line: str) -> str:
    line = _ARABIC_HALF.sub(lambda m: " " * len(m.group()), line)
    return _BOX.sub(lambda m: " " * len(m.group()), line)


def document_from_text(text: PdfText) -> tuple[InvoiceDocument, dict[str, str]]:
    text = replace(
        text, layout=[unbox(ln) for ln in text.layout], plain=[unbox(ln) for ln in text.plain]
    )
    lay = text.layout
    table = read_table(lay)
    blocks = split_blocks(lay, table)
    status: dict[str, str] = {}
    out = blocks.seller  # the page without the table nor the buyer block
    body = _without_table(lay, table)

    number, status["number"] = read_number(body, text.plain)
    issue = find(body, _DATE_LABELS, convert=_date_first)
    if issue is None:
        issue = find(text.plain, _DATE_LABELS[:-2], convert=_date_first)
    if issue is not None:
        status["issue_date"] = READ
    elif _empty_label(body, _DATE_LABELS[:7]):  # a pre-printed "Date :" left empty
        status["issue_date"] = UNREAD
    else:
        status["issue_date"] = _issue_date_status(out)
    due = find(body, _DUE_LABELS, convert=parse_date)
    if due is not None:
        status["due_date"] = READ
    else:
        status["due_date"] = UNREAD if _label_present(body, _DUE_LABELS) else ABSENT
    terms, status["payment_terms"] = read_terms(body)
    method, status["payment_method"] = read_method(body)
    infer_rates(table, lay)
    totals, total_status = read_totals(lay, text.plain, table)
    status.update(total_status)
    words, status["amount_in_words"] = read_words(body)
    seller, buyer = _seller(blocks, status), _buyer(blocks, status)
    _unclaimed_ids(blocks, seller, buyer, status)
    _printed_elsewhere(body, blocks, buyer, status)
    doc = InvoiceDocument(
        number=number,
        issue_date=issue,
        due_date=due,
        payment_terms=terms,
        payment_method=method,
        seller=seller,
        buyer=buyer,
        lines=table.lines,
        amount_in_words=words,
        **totals,
    )
    status["lines"] = READ if table.lines else (UNREAD if table.header is not None else UNREAD)
    return doc, status


def unread_fields(status: dict[str, str]) -> list[str]:
    """The fields the PDF did not yield (unread or absent), in the document's order."""
    return [k for k, v in status.items() if v != READ]


_ORDER = [
    "number", "issue_date", "due_date", "payment_terms", "payment_method",
    *[f"seller.{k}" for k in Party.model_fields],
    *[f"buyer.{k}" for k in Party.model_fields if k not in ("legal_form", "capital", "rib")],
    "lines", "total_ht", "total_tva", "timbre", "total_ttc", "amount_in_words",
]  # fmt: skip


def ordered(status: dict[str, str]) -> dict[str, str]:
    return {k: status[k] for k in _ORDER if k in status}


def read_pdf(path: Path | str, settings: CheckSettings | None = None) -> PdfRead:
    """Read an invoice PDF; raises InvoiceReadError when it has no usable text."""
    path = Path(path)
    return read_pdf_bytes(read_bytes(path), str(path), settings)


def read_pdf_bytes(data: bytes, name: str, settings: CheckSettings | None = None) -> PdfRead:
    st = settings or CheckSettings()
    text = extract_text(data, name, max_pages=st.max_pdf_pages)
    doc, status = document_from_text(text)
    status = ordered(status)
    return PdfRead(
        document=doc,
        unread=unread_fields(status),
        fields=status,
        notes=text.notes,
        currency=read_currency(text.plain),
        pages_total=text.pages_total,
        pages_read=text.pages_read,
    )
