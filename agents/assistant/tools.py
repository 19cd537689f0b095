"""Read-only typed tools over the ledger for the accountant's assistant.

Each tool is a plain function ``f(session, as_of, **args) -> <Result>`` that tests call
directly, a pydantic input model whose ``Field`` descriptions are what a model reads, and a
tool the model calls (:mod:`.model_tools`: the typed query runs them) bound to one session and one as-of day. The as-of day
is never an argument the model picks: records dated after it are not known yet.

Every result carries ``value`` (the headline figure, or None) and ``items`` (the ids the
figure rests on), so the assistant's answer is always the tool's, never the model's.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.agents.assistant.periods import month_period
from khazna.ledger.models import Client, Expense, Invoice, Payment
from khazna.ledger.queries import cash_position, get_company, sum_money
from khazna.money import jsonable
from khazna.tools.names import Party, find_party, fold
from khazna.tools.receivables import BUCKETS, dso_days, open_invoices

# Expense categories of the ledger and the words people use for them.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "carburant": ("carburant", "essence", "gasoil", "fuel", "petrol", "gas", "وقود", "بنزين", "مازوت"),
    "loyer": ("loyer", "loyers", "rent", "إيجار", "ايجار", "الإيجار", "الايجار", "كراء"),
    "energie": ("energie", "électricité", "electricite", "énergie", "electricity", "energy", "كهرباء", "الكهرباء", "gaz", "غاز", "الغاز"),
    "telecom": ("telecom", "télécom", "télécoms", "téléphone", "internet", "telephone", "اتصالات", "الاتصالات", "هاتف"),
    "salaires": ("salaires", "salaire", "paie", "salaries", "salary", "payroll", "wages", "رواتب", "الرواتب", "أجور", "الأجور"),
    "cotisations_sociales": ("cotisations", "cnas", "social security", "contributions", "اشتراكات", "الضمان"),
    "impots_taxes": ("impôts", "impots", "taxes", "tax", "ضرائب", "الضرائب"),
    "fournitures": ("fournitures", "fournitures de bureau", "office supplies", "supplies", "stationery", "لوازم", "اللوازم", "مستلزمات"),
    "restaurant": ("restaurant", "restaurants", "resto", "restos", "restau", "restaus", "الريسطورة", "ريسطورة", "repas", "meals", "مطاعم", "المطاعم", "مطعم"),
    "deplacements": ("déplacements", "deplacements", "déplacement", "voyages", "travel", "سفر", "السفر", "تنقلات", "التنقلات"),
    "sous_traitance": ("sous-traitance", "sous traitance", "sous-traitant", "sous-traitants", "sous traitant", "subcontractor", "subcontractors", "subcontracting", "مناولة", "المناولة"),
    "honoraires": ("honoraires", "fees", "أتعاب", "الأتعاب"),
    "assurance": ("assurance", "assurances", "insurance", "تأمين", "التأمين"),
    "maintenance": ("maintenance", "entretien", "صيانة", "الصيانة"),
    "publicite": ("publicité", "publicite", "advertising", "marketing", "إشهار", "الإشهار", "إعلان"),
    "transport": ("transport", "livraison", "shipping", "delivery", "نقل", "النقل"),
    "equipement": ("équipement", "equipement", "matériel", "equipment", "hardware", "معدات", "المعدات", "تجهيزات"),
}  # fmt: skip


def category_code(text: str | None) -> str | None:
    """A category code from its code or one of its words, any language; None if unknown."""
    if not text:
        return None
    t = fold(text.strip())
    for code, names in CATEGORIES.items():
        if t == code or any(t == fold(n) for n in names):
            return code
    return None


class ToolResult(BaseModel):
    """What every tool returns beside its details."""

    tool: str
    value: Decimal | int | None = Field(None, description="The headline figure.")
    items: list[str] = Field(default_factory=list, description="Ids the figure rests on.")
    found: bool = Field(True, description="False when a named client/supplier is unknown.")
    note: str = Field("", description="What is included or excluded.")
    candidates: list[str] = Field(default_factory=list, description="Names to choose from.")

    def content(self) -> str:
        return json.dumps(jsonable(self), ensure_ascii=False)


def _resolve(
    session: Session, text: str | None, kinds: tuple[str, ...]
) -> Party | list[str] | None:
    """The party ``text`` names; a list of candidate names when unknown or ambiguous."""
    if not text:
        return None
    m = find_party(session, text, kinds)
    if m.party is not None:
        return m.party
    return [p.name for p in m.ambiguous] or [f"no match for {text!r}"]


def _clip(start: date | None, end: date | None, as_of: date) -> tuple[date | None, date]:
    return start, min(end or as_of, as_of)


# --------------------------------------------------------------------------- receivables


class ReceivablesInput(BaseModel):
    """Open receivables (what clients still owe), optionally filtered."""

    client: str | None = Field(None, description="Client name or id (partial names are fine).")
    min_days_late: int | None = Field(
        None, description="Only invoices more than this many days past their due date."
    )
    max_days_late: int | None = Field(
        None, description="Only invoices at most this many days past their due date."
    )
    overdue_only: bool = Field(False, description="Only invoices past their due date.")
    bucket: Literal["not_due", "1_30", "31_60", "61_90", "over_90"] | None = Field(
        None, description="Only this aging bucket (days past due)."
    )
    issued_from: date | None = Field(None, description="Only invoices issued on or after.")
    issued_to: date | None = Field(None, description="Only invoices issued on or before.")
    measure: Literal["total", "count"] = Field(
        "total", description="Headline: the total open amount, or the number of invoices."
    )


class InvoiceRow(BaseModel):
    number: str
    client_id: str
    client_name: str = ""
    issue_date: date
    due_date: date
    open_amount: Decimal = Field(description="Still owed, DZD.")
    days_past_due: int = Field(description="Days since the due date (≤ 0: not due yet).")


class ReceivablesResult(ToolResult):
    tool: str = "receivables"
    total: Decimal = Decimal("0.00")
    count: int = 0
    client_id: str | None = None
    client_name: str | None = None
    filters: dict[str, Any] = Field(default_factory=dict)
    invoices: list[InvoiceRow] = Field(default_factory=list)


def _names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    q = select(Client.client_id, Client.name).where(Client.client_id.in_(ids))
    return {cid: name for cid, name in session.execute(q)}


def receivables(
    session: Session,
    as_of: date,
    *,
    client: str | None = None,
    min_days_late: int | None = None,
    max_days_late: int | None = None,
    overdue_only: bool = False,
    bucket: str | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
    measure: str = "total",
) -> ReceivablesResult:
    """Open invoices on ``as_of`` (khazna.tools.receivables rules), filtered; oldest due first."""
    party = _resolve(session, client, ("client",))
    if isinstance(party, list):
        return ReceivablesResult(found=False, candidates=party, note="unknown client")
    cid = party.party_id if party else None
    rows = open_invoices(session, as_of, cid)
    if min_days_late is not None:
        rows = [r for r in rows if r.days_past_due > min_days_late]
    if max_days_late is not None:
        rows = [r for r in rows if r.days_past_due <= max_days_late]
    if overdue_only:
        rows = [r for r in rows if r.days_past_due > 0]
    if bucket in BUCKETS:
        rows = [r for r in rows if r.bucket == bucket]
    if issued_from is not None:
        rows = [r for r in rows if r.issue_date >= issued_from]
    if issued_to is not None:
        rows = [r for r in rows if r.issue_date <= issued_to]
    names = _names(session, {r.client_id for r in rows})
    invoices = [
        InvoiceRow(
            number=r.number,
            client_id=r.client_id,
            client_name=names.get(r.client_id, ""),
            issue_date=r.issue_date,
            due_date=r.due_date,
            open_amount=r.open_amount,
            days_past_due=r.days_past_due,
        )
        for r in rows
    ]
    total = sum((r.open_amount for r in rows), Decimal("0.00"))
    filters = {
        k: v
        for k, v in dict(
            min_days_late=min_days_late,
            max_days_late=max_days_late,
            overdue_only=overdue_only or None,
            bucket=bucket,
            issued_from=issued_from,
            issued_to=issued_to,
        ).items()
        if v is not None
    }
    return ReceivablesResult(
        value=len(rows) if measure == "count" else total,
        items=[r.number for r in rows],
        total=total,
        count=len(rows),
        client_id=cid,
        client_name=party.name if party else None,
        filters=filters,
        invoices=invoices,
        note="days late = days since the due date; cancelled invoices are not receivables",
    )


class ClientInvoicesInput(BaseModel):
    """A client's unpaid invoices, each with its days late."""

    client: str = Field(description="Client name or id (partial names are fine).")
    overdue_only: bool = Field(False, description="Only the invoices already past due.")


def client_invoices(
    session: Session, as_of: date, *, client: str, overdue_only: bool = False
) -> ReceivablesResult:
    """The client's open invoices (only those past due if asked) with their days past due; a
    list, so no headline figure."""
    res = receivables(session, as_of, client=client, overdue_only=overdue_only)
    res.tool = "client_invoices"
    res.value = None
    return res


# --------------------------------------------------------------------------- expenses


class ExpensesInput(BaseModel):
    """Money paid out (expenses), by supplier/payee and/or category over a period."""

    supplier: str | None = Field(None, description="Supplier or payee name or id (partial ok).")
    category: str | None = Field(
        None,
        description="Category code: " + ", ".join(CATEGORIES) + " (or a word for it).",
    )
    start: date | None = Field(None, description="First day of the period (included).")
    end: date | None = Field(None, description="Last day of the period (included).")
    without_receipt: bool = Field(False, description="Only expenses with no receipt.")
    min_amount: Decimal | None = Field(None, description="Only expenses above this amount, DZD.")
    measure: Literal["total", "count"] = Field(
        "total", description="Headline: the total paid, or the number of expenses."
    )


class ExpenseRow(BaseModel):
    expense_id: str
    date: date
    payee: str
    category: str
    amount: Decimal
    receipt: str


class ExpensesResult(ToolResult):
    tool: str = "expenses"
    total: Decimal = Decimal("0.00")
    count: int = 0
    supplier_id: str | None = None
    supplier_name: str | None = None
    category: str | None = None
    start: date | None = None
    end: date | None = None
    expenses: list[ExpenseRow] = Field(default_factory=list)


def expenses(
    session: Session,
    as_of: date,
    *,
    supplier: str | None = None,
    category: str | None = None,
    start: date | None = None,
    end: date | None = None,
    without_receipt: bool = False,
    min_amount: Decimal | None = None,
    measure: str = "total",
) -> ExpensesResult:
    party = _resolve(session, supplier, ("supplier", "payee"))
    if isinstance(party, list):
        return ExpensesResult(found=False, candidates=party, note="unknown supplier")
    code = category_code(category)
    if category and code is None:
        return ExpensesResult(
            found=False, candidates=list(CATEGORIES), note=f"unknown category {category!r}"
        )
    start, end = _clip(start, end, as_of)
    q = select(Expense).where(Expense.date <= end).order_by(Expense.date, Expense.expense_id)
    if start is not None:
        q = q.where(Expense.date >= start)
    if party is not None and party.kind == "supplier":
        q = q.where(Expense.supplier_id == party.party_id)
    elif party is not None:
        q = q.where(Expense.payee == party.party_id)
    if code:
        q = q.where(Expense.category == code)
    if without_receipt:
        q = q.where(Expense.receipt != "yes")
    if min_amount is not None:
        q = q.where(Expense.amount > min_amount)
    rows = list(session.scalars(q))
    total = sum((e.amount for e in rows), Decimal("0.00"))
    return ExpensesResult(
        tool="expenses_without_receipt" if without_receipt else "expenses",
        value=len(rows) if measure == "count" else total,
        items=[e.expense_id for e in rows],
        total=total,
        count=len(rows),
        supplier_id=party.party_id if party and party.kind == "supplier" else None,
        supplier_name=party.name if party else None,
        category=code,
        start=start,
        end=end,
        expenses=[
            ExpenseRow(
                expense_id=e.expense_id,
                date=e.date,
                payee=e.payee,
                category=e.category,
                amount=e.amount,
                receipt=e.receipt,
            )
            for e in rows
        ],
    )


class NoReceiptInput(BaseModel):
    """Expenses recorded without a receipt (justificatif)."""

    start: date | None = Field(None, description="First day of the period (included).")
    end: date | None = Field(None, description="Last day of the period (included).")
    min_amount: Decimal | None = Field(None, description="Only expenses above this amount, DZD.")
    measure: Literal["total", "count"] = Field(
        "count", description="Headline: the number of expenses (default) or their total."
    )


def expenses_without_receipt(
    session: Session,
    as_of: date,
    *,
    start: date | None = None,
    end: date | None = None,
    min_amount: Decimal | None = None,
    measure: str = "count",
) -> ExpensesResult:
    return expenses(
        session,
        as_of,
        start=start,
        end=end,
        without_receipt=True,
        min_amount=min_amount,
        measure=measure,
    )


# --------------------------------------------------------------------------- VAT, bank


class VatInput(BaseModel):
    """VAT collected on the invoices issued in one month."""

    year: int = Field(description="Year, e.g. 2026.")
    month: int = Field(ge=1, le=12, description="Month number, 1 to 12.")


class VatResult(ToolResult):
    tool: str = "vat_collected"
    total_tva: Decimal = Decimal("0.00")
    start: date | None = None
    end: date | None = None
    invoices: int = 0
    credit_notes: list[str] = Field(default_factory=list)
    cancelled_excluded: list[str] = Field(default_factory=list)


def vat_collected(session: Session, as_of: date, *, year: int, month: int) -> VatResult:
    """Sum of total_tva of the invoices issued that month: credit notes count with their
    negative VAT, cancelled invoices are left out (and listed)."""
    p = month_period(year, month)
    end = min(p.end, as_of)
    in_month = (Invoice.issue_date >= p.start, Invoice.issue_date <= end)
    kept = list(
        session.execute(
            select(Invoice.number, Invoice.total_ttc)
            .where(*in_month, Invoice.status != "cancelled")
            .order_by(Invoice.number)
        ).all()
    )
    cancelled = list(
        session.scalars(
            select(Invoice.number)
            .where(*in_month, Invoice.status == "cancelled")
            .order_by(Invoice.number)
        )
    )
    total = sum_money(session, Invoice.total_tva, *in_month, Invoice.status != "cancelled")
    return VatResult(
        value=total,
        items=[n for n, _ in kept],
        total_tva=total,
        start=p.start,
        end=end,
        invoices=len(kept),
        credit_notes=[n for n, ttc in kept if ttc < 0],
        cancelled_excluded=cancelled,
        note="invoices issued in the month; credit notes included with their negative VAT; "
        "cancelled invoices excluded",
    )


class BalanceInput(BaseModel):
    """The bank balance at the end of a day."""

    on: date = Field(description="The day (its end-of-day balance).")


class BalanceResult(ToolResult):
    tool: str = "bank_balance"
    on: date
    balance: Decimal = Decimal("0.00")
    opening_balance: Decimal = Decimal("0.00")
    opening_date: date | None = None


def bank_balance(session: Session, as_of: date, *, on: date) -> BalanceResult:
    """Opening balance + every bank line up to ``on`` (never later than the as-of day)."""
    day = min(on, as_of)
    company = get_company(session)
    bal = cash_position(session, day)
    note = "opening balance + bank lines up to that day"
    if on > as_of:
        note += f"; {on.isoformat()} is after the as-of day, balance taken on {day.isoformat()}"
    return BalanceResult(
        value=bal,
        on=day,
        balance=bal,
        opening_balance=company.opening_balance if company else Decimal("0.00"),
        opening_date=company.opening_date if company else None,
        note=note,
    )


# --------------------------------------------------------------------------- payments, clients


class RejectedInput(BaseModel):
    """Rejected payments (returned / bounced cheques) over a period."""

    start: date | None = Field(None, description="First day of the period (included).")
    end: date | None = Field(None, description="Last day of the period (included).")
    client: str | None = Field(None, description="Only this client (name or id).")
    measure: Literal["count", "total"] = Field("count", description="Their number, or their total amount.")  # fmt: skip


class RejectedResult(ToolResult):
    tool: str = "rejected_payments"
    count: int = 0
    total: Decimal = Decimal("0.00")
    start: date | None = None
    end: date | None = None
    payments: list[dict[str, Any]] = Field(default_factory=list)


def rejected_payments(
    session: Session,
    as_of: date,
    *,
    start: date | None = None,
    end: date | None = None,
    client: str | None = None,
    measure: str = "count",
) -> RejectedResult:
    """Payments returned unpaid (a rejected cheque): their number, or with ``measure="total"``
    their amount."""
    party = _resolve(session, client, ("client",))
    if isinstance(party, list):
        return RejectedResult(found=False, candidates=party, note="unknown client")
    start, end = _clip(start, end, as_of)
    q = select(Payment).where(Payment.status == "rejected", Payment.date <= end)
    if start is not None:
        q = q.where(Payment.date >= start)
    if party is not None:
        q = q.where(Payment.client_id == party.party_id)
    rows = list(session.scalars(q.order_by(Payment.date, Payment.payment_id)))
    total = sum((p.amount for p in rows), Decimal("0.00"))
    return RejectedResult(
        value=total if measure == "total" else len(rows),
        items=[p.payment_id for p in rows],
        count=len(rows),
        total=sum((p.amount for p in rows), Decimal("0.00")),
        start=start,
        end=end,
        payments=[
            dict(
                payment_id=p.payment_id,
                date=p.date,
                client_id=p.client_id,
                amount=p.amount,
                method=p.method,
                reference=p.reference,
            )
            for p in rows
        ],
    )


class TopClientsInput(BaseModel):
    """Clients who owe the most (open receivables), largest first."""

    n: int = Field(5, ge=1, le=50, description="How many clients.")


class TopClientsResult(ToolResult):
    tool: str = "top_clients"
    clients: list[dict[str, Any]] = Field(default_factory=list)


def top_clients(session: Session, as_of: date, *, n: int = 5) -> TopClientsResult:
    """Largest open amounts first (ties by id); the headline is what they owe together
    (with n = 1, that client's amount)."""
    per: dict[str, Decimal] = {}
    for o in open_invoices(session, as_of):
        per[o.client_id] = per.get(o.client_id, Decimal("0.00")) + o.open_amount
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    names = _names(session, {c for c, _ in ranked})
    return TopClientsResult(
        value=sum((a for _, a in ranked), Decimal("0.00")) if ranked else None,
        items=[c for c, _ in ranked],
        clients=[{"client_id": c, "name": names.get(c, c), "open": a} for c, a in ranked],
    )


class DsoInput(BaseModel):
    """Days sales outstanding (DSO) on the as-of day."""


class DsoResult(ToolResult):
    tool: str = "dso"
    dso_days: Decimal | None = None
    window_start: date | None = None
    formula: str = "open receivables / credit sales of the 90 days ending on as_of × 90"


def dso(session: Session, as_of: date) -> DsoResult:
    days = dso_days(session, as_of)
    return DsoResult(value=days, dso_days=days, window_start=as_of - timedelta(days=89))


# --------------------------------------------------------------------------- LangChain

TOOLS: dict[str, tuple[Any, type[BaseModel], str]] = {
    "receivables": (receivables, ReceivablesInput, "Open receivables: total or count, filtered by client, days late, bucket or issue period."),
    "client_invoices": (client_invoices, ClientInvoicesInput, "A client's unpaid invoices with their days late."),
    "expenses": (expenses, ExpensesInput, "Amounts paid to a supplier/payee or in a category over a period."),
    "expenses_without_receipt": (expenses_without_receipt, NoReceiptInput, "Expenses with no receipt (justificatif)."),
    "vat_collected": (vat_collected, VatInput, "VAT collected on invoices issued in a month."),
    "bank_balance": (bank_balance, BalanceInput, "Bank balance at the end of a day."),
    "rejected_payments": (rejected_payments, RejectedInput, "Rejected payments (returned cheques) over a period."),
    "top_clients": (top_clients, TopClientsInput, "Clients with the largest open receivables."),
    "dso": (dso, DsoInput, "Days sales outstanding (DSO)."),
}  # fmt: skip


def run_tool(session: Session, as_of: date, name: str, args: dict[str, Any]) -> ToolResult:
    """Validate ``args`` with the tool's input model and run it."""
    func, schema, _ = TOOLS[name]
    parsed = schema.model_validate(args)
    return func(session, as_of, **parsed.model_dump(exclude_unset=False))
