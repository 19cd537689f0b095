"""The accountant's export: the period's journal in SCF accounts (algeria.md §7).

Entries, one per document, each balanced (debit = credit, checked here):

- sales invoice (VT): debit 411 client TTC / credit 706 HT / credit 44571 VAT collected /
  credit 447 stamp duty. A credit note (negative totals) gives the same lines reversed.
  Cancelled invoices are not booked. The *droit de timbre* on cash sales is a duty the
  company collects for the Treasury and pays with its G50 return: it is neither turnover
  nor VAT (so not 70x, not 4457/4458, which hold taxes on turnover), it goes to 447
  "Autres impôts, taxes et versements assimilés" (class 44, État).
- client payment (BQ, or CA when paid in cash): debit 512 bank or 53 cash / credit 411.
  A returned cheque (payment ``rejected``) is booked as received, then reversed on the day
  of the bank's IMPAYE line (debit 411 / credit 512, pointing to that bank line id).
- expense with a supplier (AC then BQ/CA): debit 6x (by category) / credit 401 (404 for an
  asset), then debit 401 / credit 512 or 53 the same day; an expense without a supplier
  (card, cash box, salaries): debit 6x / credit 512 or 53 directly. Expenses carry no VAT
  column: they are booked TTC with no deductible VAT (4456x): the ledger holds no supplier
  invoice to read it from; the accountant splits it from the paper invoice.

- bank statement (BQ): every bank line of the period is in the journal once. A line that
  is the payment or expense booked above (same signed amount on 512, at most
  :data:`MATCH_DAYS` apart, its id in the line's reference or label first, then the
  nearest day) adds nothing. Of the others: a cash deposit (``VERSEMENT ESPECES``) is debit
  512 / credit 53 (the 53 side was booked by the cash receipts), a cash withdrawal
  (``RETRAIT DAB``) debit 53 / credit 512, a transfer between the company's own accounts
  (``VIR INTERNE``) 512 / 581 "virements de fonds" (its two legs cancel on 581), bank fees (``FRAIS TENUE DE COMPTE``,
  ``AGIOS``: the wording rules of :mod:`khazna.tools.bank_rules`) debit 627 / credit 512,
  and anything else goes to 471 (compte d'attente) with its label, for the accountant to
  settle; the export's summary lists them. The 512 movements of the period then equal the
  statement's, but for timing: a payment or expense booked in the period whose bank line
  falls outside it (a cheque cashed after the 30th), or the reverse; the summary counts both.

Category → account: :data:`DEFAULT_ACCOUNTS`, a default the accountant overrides with the
``scf_accounts`` setting (a JSON object, same keys). Numbers follow the SCF chart (arrêté of
26 Jul 2008) as listed in algeria.md §7 and the public NSCF chart: 607 for non-stocked
supplies (606 is the French PCG number, not SCF's), 61x/62x services, 631/635 staff,
645 other taxes (a G50 payment also settles VAT due and IRG withheld: to be split), 2183
office and computer equipment, 164 bank loans (principal and interest to be split).

CSV: ``;`` separator, decimal comma, dates DD/MM/YYYY, UTF-8 with a BOM: the format the
Algerian accounting packages (PC Compta, Sage, Ciel-like tools) and Excel fr-DZ import.
Entry numbers are sequential per journal within the export; the books are not locked here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.csvio import FORMULA_START, neutralise
from khazna.ledger.models import BankLine, Client, Expense, Invoice, Payment, Setting, Supplier
from khazna.money import q2
from khazna.tools.bank_rules import classify_label, normalize

SETTING_KEY = "scf_accounts"
ZERO = Decimal("0.00")

DEFAULT_ACCOUNTS: dict[str, str] = {
    # roles
    "clients": "411",
    "ventes": "706",
    "tva_collectee": "44571",
    "timbre": "447",
    "fournisseurs": "401",
    "fournisseurs_immobilisations": "404",
    "banque": "512",
    "caisse": "53",
    "attente": "471",
    # expense categories (bundle.md)
    "salaires": "631",
    "cotisations_sociales": "635",
    "impots_taxes": "645",
    "loyer": "613",
    "energie": "607",
    "telecom": "626",
    "carburant": "607",
    "fournitures": "607",
    "achats_marchandises": "600",
    "sous_traitance": "611",
    "honoraires": "622",
    "transport": "624",
    "deplacements": "625",
    "restaurant": "625",
    "assurance": "616",
    "maintenance": "615",
    "publicite": "623",
    "frais_bancaires": "627",
    "equipement": "2183",
    "remboursement_emprunt": "164",
    "virement_interne": "581",
    "encaissement_client": "411",
    "autre": "658",
}

ACCOUNT_LABELS = {
    "164": "Emprunts auprès des établissements de crédit",
    "2183": "Matériel de bureau et matériel informatique",
    "401": "Fournisseurs de stocks et services",
    "404": "Fournisseurs d'immobilisations",
    "411": "Clients",
    "44571": "TVA collectée",
    "447": "Autres impôts, taxes et versements assimilés",
    "471": "Compte d'attente",
    "512": "Banques comptes courants",
    "53": "Caisse",
    "581": "Virements de fonds",
    "600": "Achats de marchandises vendues",
    "607": "Achats non stockés de matières et fournitures",
    "611": "Sous-traitance générale",
    "613": "Locations",
    "615": "Entretien, réparations et maintenance",
    "616": "Primes d'assurances",
    "622": "Rémunérations d'intermédiaires et honoraires",
    "623": "Publicité, publications, relations publiques",
    "624": "Transports de biens et transport collectif du personnel",
    "625": "Déplacements, missions et réceptions",
    "626": "Frais postaux et de télécommunications",
    "627": "Services bancaires et assimilés",
    "631": "Rémunérations du personnel",
    "635": "Cotisations aux organismes sociaux",
    "645": "Autres impôts et taxes",
    "658": "Autres charges de gestion courante",
    "706": "Autres prestations de services",
}

JOURNALS = {"VT": "Ventes", "AC": "Achats", "BQ": "Banque", "CA": "Caisse"}
COLUMNS = ["journal", "numero", "date", "compte", "intitule", "libelle", "debit", "credit", "piece"]


class AccountingError(ValueError):
    """A bad period or a bad ``scf_accounts`` setting."""


class Line(BaseModel):
    account: str
    label: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


class Entry(BaseModel):
    """One journal entry (écriture): balanced lines about one supporting document."""

    journal: str = Field(description="VT ventes, AC achats, BQ banque, CA caisse.")
    number: str = Field("", description="Sequential per journal within the export, e.g. VT000012.")
    date: date
    label: str
    document: str = Field(description="Invoice number, payment id, expense id or bank line id.")
    lines: list[Line]

    @property
    def total_debit(self) -> Decimal:
        return sum((ln.debit for ln in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((ln.credit for ln in self.lines), ZERO)


def accounts(session: Session) -> dict[str, str]:
    """The default mapping overridden by the ``scf_accounts`` setting."""
    row = session.get(Setting, SETTING_KEY)
    override = (row.value or {}) if row else {}
    if not isinstance(override, dict):
        raise AccountingError("réglage scf_accounts : doit être un objet JSON {clé: compte}")
    out = dict(DEFAULT_ACCOUNTS)
    for key, value in override.items():
        text = str(value).strip()
        if not text.isdigit():
            raise AccountingError(
                f"réglage scf_accounts.{key} : {value!r} n'est pas un numéro de compte"
            )
        out[str(key)] = text
    return out


def _entry(
    journal: str, day: date, label: str, document: str, signed: Iterable[tuple[str, Decimal, str]]
) -> Entry:
    """Lines from (account, signed amount: + debit / - credit, label); zero lines dropped."""
    lines = []
    for account, amount, text in signed:
        amount = q2(amount)
        if amount > 0:
            lines.append(Line(account=account, label=text, debit=amount))
        elif amount < 0:
            lines.append(Line(account=account, label=text, credit=-amount))
    entry = Entry(journal=journal, date=day, label=label, document=document, lines=lines)
    assert entry.total_debit == entry.total_credit, f"unbalanced entry for {document}: {entry}"
    return entry


def _invoice_entries(
    session: Session, acc: dict, lo: date, hi: date, names: dict[str, str]
) -> list[Entry]:
    out = []
    rows = session.scalars(
        select(Invoice).where(
            Invoice.issue_date >= lo, Invoice.issue_date <= hi, Invoice.status != "cancelled"
        )
    )
    for inv in rows:
        ttc, ht, tva, timbre = (
            Decimal(x or 0) for x in (inv.total_ttc, inv.total_ht, inv.total_tva, inv.timbre)
        )
        kind = "Avoir" if ttc < 0 else "Facture"
        label = f"{kind} {inv.number} {names.get(inv.client_id, inv.client_id)}"
        signed = [
            (acc["clients"], ttc, label),
            (acc["ventes"], -ht, label),
            (acc["tva_collectee"], -tva, f"TVA {label}"),
            (acc["timbre"], -timbre, f"Droit de timbre {label}"),
        ]
        gap = ttc - ht - tva - timbre
        if gap:  # printed totals that do not add up: parked, for the accountant to settle
            signed.append((acc["attente"], -gap, f"Écart de totaux {inv.number} à régulariser"))
        out.append(_entry("VT", inv.issue_date, label, inv.number, signed))
    return out


def _returned_on(session: Session, p: Payment) -> tuple[date, str]:
    """The day and bank line of a cheque's return (the IMPAYE debit), else the payment's."""
    amount = Decimal(p.amount)
    for line in session.scalars(
        select(BankLine).where(BankLine.date >= p.date).order_by(BankLine.date, BankLine.line_id)
    ):
        ref_ok = p.reference and (
            line.reference == p.reference or p.reference in (line.label or "")
        )
        if ref_ok and Decimal(line.amount) == -amount:
            return line.date, line.line_id
    return p.date, p.payment_id


def _payment_entries(
    session: Session, acc: dict, lo: date, hi: date, names: dict[str, str]
) -> list[Entry]:
    out = []
    rows = session.scalars(
        select(Payment).where(Payment.date <= hi, Payment.date >= lo - timedelta(days=400))
    )
    for p in rows:
        cash = p.method == "especes"
        journal, treasury = ("CA", acc["caisse"]) if cash else ("BQ", acc["banque"])
        who = names.get(p.client_id, p.client_id)
        for_ = f" ({p.invoice_number.replace(';', ', ')})" if p.invoice_number else ""
        amount = Decimal(p.amount)
        if p.date >= lo:
            label = f"Règlement {p.payment_id} {who}{for_}"
            out.append(_entry(journal, p.date, label, p.payment_id,
                              [(treasury, amount, label), (acc["clients"], -amount, label)]))  # fmt: skip
        if p.status == "rejected":
            day, doc = _returned_on(session, p)
            if lo <= day <= hi:
                label = (
                    f"Chèque impayé {p.reference or p.payment_id} {who} (règlement {p.payment_id})"
                )
                out.append(_entry(journal, day, label, doc,
                                  [(acc["clients"], amount, label), (treasury, -amount, label)]))  # fmt: skip
    return out


def _expense_entries(session: Session, acc: dict, lo: date, hi: date) -> list[Entry]:
    out = []
    suppliers: dict[str, str] = dict(
        session.execute(select(Supplier.supplier_id, Supplier.name)).all()
    )
    for e in session.scalars(select(Expense).where(Expense.date >= lo, Expense.date <= hi)):
        account = acc.get(e.category) or acc["autre"]
        cash = e.method == "especes"
        journal, treasury = ("CA", acc["caisse"]) if cash else ("BQ", acc["banque"])
        amount = Decimal(e.amount)
        payee = suppliers.get(e.supplier_id) or e.payee or e.supplier_id
        what = f"{e.expense_id} {payee}" + (
            f" fact. {e.supplier_invoice}" if e.supplier_invoice else ""
        )
        if e.supplier_id:
            third = (
                acc["fournisseurs_immobilisations"]
                if account.startswith("2")
                else acc["fournisseurs"]
            )
            out.append(_entry("AC", e.date, f"Achat {what}", e.expense_id,
                              [(account, amount, f"{e.category} {what}"), (third, -amount, what)]))  # fmt: skip
            out.append(_entry(journal, e.date, f"Paiement {what}", e.expense_id,
                              [(third, amount, what), (treasury, -amount, what)]))  # fmt: skip
        else:
            out.append(_entry(journal, e.date, f"Dépense {what}", e.expense_id,
                              [(account, amount, f"{e.category} {what}"), (treasury, -amount, what)]))  # fmt: skip
    return out


MATCH_DAYS = 10  # a booked payment or expense and its bank line: at most this many days apart
# the wording of a cash deposit and of a cash withdrawal, as whole words of the normalised label
CASH_DEPOSIT = ("VERSEMENT ESPECES", "VERSEMENT ESP", "VERS ESPECES", "DEPOT ESPECES")
CASH_WITHDRAWAL_RULE = "retrait"  # the bank_rules rule of RETRAIT DAB / GAB / ESPECES
BANK_CHARGES = ("frais_bancaires",)  # categories that no supplier invoice or expense carries


def _has_phrase(label: str, phrases: tuple[str, ...]) -> bool:
    text = f" {normalize(label)} "
    return any(f" {p} " in text for p in phrases)


def _bank_entries(
    session: Session, acc: dict, lo: date, hi: date, booked: list[Entry]
) -> tuple[list[Entry], dict]:
    """The period's bank lines not already booked by a payment or an expense, and a summary
    (``bank``: counts, totals, the lines parked on 471)."""
    bank = acc["banque"]
    wide_lo, wide_hi = lo - timedelta(days=MATCH_DAYS), hi + timedelta(days=MATCH_DAYS)
    # 512 movements that a bank line may be: the period's, and those just around it
    around = (
        _payment_entries(session, acc, wide_lo, lo - timedelta(days=1), {})
        + _expense_entries(session, acc, wide_lo, lo - timedelta(days=1))
        + _payment_entries(session, acc, hi + timedelta(days=1), wide_hi, {})
        + _expense_entries(session, acc, hi + timedelta(days=1), wide_hi)
    )
    around = [e for e in around if not lo <= e.date <= hi]
    moves: dict[Decimal, list[tuple[int, date, str]]] = {}
    in_period: set[int] = set()
    signed_of: dict[int, Decimal] = {}
    for k, e in enumerate([*booked, *around]):
        signed = sum((ln.debit - ln.credit for ln in e.lines if ln.account == bank), ZERO)
        if signed:
            signed_of[k] = signed
            moves.setdefault(signed, []).append((k, e.date, e.document))
            if k < len(booked):
                in_period.add(k)
    lines = list(
        session.scalars(
            select(BankLine)
            .where(BankLine.date >= lo, BankLine.date <= hi)
            .order_by(BankLine.date, BankLine.line_id)
        )
    )
    pairs = []
    for i, line in enumerate(lines):
        amount = q2(Decimal(line.amount))
        for k, day, doc in moves.get(amount, ()):
            days = abs((line.date - day).days)
            if days <= MATCH_DAYS:
                named = bool(doc) and (
                    doc == line.reference or doc == line.line_id or doc in (line.label or "")
                )
                pairs.append((not named, days, i, k))
    pairs.sort()
    line_taken: set[int] = set()
    move_taken: set[int] = set()
    for _named, _days, i, k in pairs:
        if i not in line_taken and k not in move_taken:
            line_taken.add(i)
            move_taken.add(k)
    out: list[Entry] = []
    deposits = withdrawals = transfers = fees = 0
    suspense: list[dict] = []
    for i, line in enumerate(lines):
        if i in line_taken:
            continue
        amount = q2(Decimal(line.amount))
        text = (line.label or "").strip() or line.line_id
        hit = classify_label(text, 1 if amount > 0 else -1)
        if amount > 0 and _has_phrase(text, CASH_DEPOSIT):
            deposits += 1
            other, label = acc["caisse"], f"Versement d'espèces en banque {text}"
        elif amount < 0 and hit is not None and hit.rule == CASH_WITHDRAWAL_RULE:
            withdrawals += 1
            other, label = acc["caisse"], f"Retrait d'espèces {text}"
        elif hit is not None and hit.category == "virement_interne":
            transfers += 1  # between the company's own accounts: both legs on 581, which nets
            other, label = acc["virement_interne"], f"Virement de fonds {text}"
        elif amount < 0 and hit is not None and hit.category in BANK_CHARGES:
            fees += 1
            other, label = acc.get(hit.category) or acc["autre"], f"Frais bancaires {text}"
        else:
            suspense.append(
                {"line_id": line.line_id, "date": line.date, "label": text, "amount": amount}
            )
            other, label = acc["attente"], f"À imputer : {text}"
        out.append(_entry("BQ", line.date, label, line.line_id,
                          [(bank, amount, label), (other, -amount, label)]))  # fmt: skip
    unmatched_booked = [k for k in in_period if k not in move_taken]
    # lines of the period that are a payment or expense booked just before or after it
    booked_outside = [k for k in move_taken if k not in in_period]
    statement = sum((q2(Decimal(ln.amount)) for ln in lines), ZERO)
    summary = {
        "lines": len(lines),
        "matched": len(line_taken),
        "cash_deposits": deposits,
        "cash_withdrawals": withdrawals,
        "transfers": transfers,
        "fees": fees,
        "suspense": suspense,
        "suspense_total": sum((x["amount"] for x in suspense), ZERO),
        "statement_total": statement,
        "booked_without_bank_line": len(unmatched_booked),
        "booked_without_bank_line_total": sum((signed_of[k] for k in unmatched_booked), ZERO),
        "bank_lines_booked_outside": len(booked_outside),
        "bank_lines_booked_outside_total": sum((signed_of[k] for k in booked_outside), ZERO),
    }
    return out, summary


def journal(session: Session, date_from: date, date_to: date) -> list[Entry]:
    """Every entry dated in the period, in date order, numbered per journal."""
    return journal_and_bank(session, date_from, date_to)[0]


def journal_and_bank(session: Session, date_from: date, date_to: date) -> tuple[list[Entry], dict]:
    """:func:`journal` and the bank statement's summary (see :func:`_bank_entries`)."""
    if date_to < date_from:
        raise AccountingError(f"--to {date_to:%d/%m/%Y} est avant --from {date_from:%d/%m/%Y}")
    acc = accounts(session)
    names: dict[str, str] = dict(session.execute(select(Client.client_id, Client.name)).all())
    booked = _payment_entries(session, acc, date_from, date_to, names) + _expense_entries(
        session, acc, date_from, date_to
    )
    from_bank, bank = _bank_entries(session, acc, date_from, date_to, booked)
    entries = _invoice_entries(session, acc, date_from, date_to, names) + booked + from_bank
    order = {"VT": 0, "AC": 1, "BQ": 2, "CA": 3}
    entries.sort(key=lambda e: (e.date, order[e.journal], e.document))
    seq: dict[str, int] = {}
    for e in entries:
        seq[e.journal] = seq.get(e.journal, 0) + 1
        e.number = f"{e.journal}{seq[e.journal]:06d}"
    bank["journal_512"] = sum(
        (ln.debit - ln.credit for e in entries for ln in e.lines if ln.account == acc["banque"]),
        ZERO,
    )
    return entries, bank


def rows(entries: list[Entry]) -> list[dict]:
    """One row per line, the columns of :data:`COLUMNS` (Decimal amounts, date objects)."""
    out = []
    for e in entries:
        for ln in e.lines:
            out.append({"journal": e.journal, "numero": e.number, "date": e.date, "compte": ln.account,
                        "intitule": ACCOUNT_LABELS.get(ln.account, ""), "libelle": ln.label,
                        "debit": ln.debit, "credit": ln.credit, "piece": e.document})  # fmt: skip
    return out


def _comma(value: Decimal) -> str:
    return f"{q2(value):.2f}".replace(".", ",")


def to_csv(entries: list[Entry]) -> bytes:
    """``;``-separated, decimal comma, DD/MM/YYYY, UTF-8 with BOM, CRLF line ends."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(COLUMNS)
    n = neutralise  # text cells only: amounts and dates are written by this code
    for r in rows(entries):
        w.writerow([n(r["journal"]), n(r["numero"]), f"{r['date']:%d/%m/%Y}", n(r["compte"]),
                    n(r["intitule"]), n(r["libelle"]), _comma(r["debit"]), _comma(r["credit"]),
                    n(r["piece"])])  # fmt: skip
    return buf.getvalue().encode("utf-8-sig")


def _append(ws: Any, values: list) -> None:
    """One row whose text cells no spreadsheet evaluates: the control characters XML cannot
    hold removed before openpyxl sees them (it would raise), then each text stored as a
    string (openpyxl makes ``=HYPERLINK(...)`` a formula) and, when it starts like a
    formula, flagged quote-prefixed (Excel keeps it text when the cell is edited). The text
    itself stays exact; numbers and dates stay numbers and dates."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # lazy like openpyxl in to_xlsx

    ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_START):
                cell.quotePrefix = True


def to_xlsx(entries: list[Entry], mapping: dict[str, str] | None = None) -> bytes:
    """Sheet "Journal" (numbers as numbers, dates as dates) and sheet "Comptes" (the mapping)."""
    # openpyxl is loaded only for an XLSX export (the CLI imports this module at start)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Journal"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows(entries):
        _append(ws, [r[c] for c in COLUMNS])
        ws.cell(row=ws.max_row, column=3).number_format = "DD/MM/YYYY"
        for col in (7, 8):
            ws.cell(row=ws.max_row, column=col).number_format = "#,##0.00"
    for letter, width in zip("ABCDEFGHI", (8, 11, 11, 9, 34, 60, 15, 15, 16), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ms = wb.create_sheet("Comptes")
    ms.append(["cle", "compte", "intitule"])
    for key, account in sorted((mapping or DEFAULT_ACCOUNTS).items()):
        _append(ms, [key, account, ACCOUNT_LABELS.get(account, "")])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export(session: Session, date_from: date, date_to: date, fmt: str, out: Path) -> dict:
    """Write the journal to ``out``; returns counts and totals for the command's summary."""
    entries, bank = journal_and_bank(session, date_from, date_to)
    data = to_csv(entries) if fmt == "csv" else to_xlsx(entries, accounts(session))
    out.write_bytes(data)
    debit = sum((e.total_debit for e in entries), ZERO)
    credit = sum((e.total_credit for e in entries), ZERO)
    per_journal: dict[str, int] = {}
    for e in entries:
        per_journal[e.journal] = per_journal.get(e.journal, 0) + 1
    return {"from": date_from, "to": date_to, "format": fmt, "out": str(out), "entries": len(entries),
            "lines": sum(len(e.lines) for e in entries), "journals": per_journal,
            "total_debit": debit, "total_credit": credit, "bank": bank}  # fmt: skip
