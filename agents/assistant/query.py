"""The typed query of the accountant's assistant and its one executor.

A question, however it was read (offline parser or model), becomes a :class:`Query`: a
measure, filters, one or two periods, an aggregation and optionally a combination with a
second query. :func:`execute` runs it over the ledger: the measures the typed tools already
cover (receivables and aging, expenses, VAT of a month, bank balance, DSO …) through those
tools, the others (invoicing totals, stamp duty, client receipts, bank debits and credits) in
SQL. Money stays Decimal; ``value`` and ``items`` always come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from khazna.agents.assistant.periods import month_period
from khazna.agents.assistant.tools import ToolResult, run_tool
from khazna.ledger.models import (
    Allocation,
    BankLine,
    Client,
    Expense,
    Invoice,
    Payment,
    Supplier,
)
from khazna.ledger.queries import cash_position, get_company
from khazna.tools.receivables import open_invoices

Measure = Literal[
    "open_receivables",
    "invoiced_ttc",
    "invoiced_ht",
    "vat",
    "stamp_duty",
    "client_receipts",
    "supplier_payments",
    "expenses",
    "expenses_without_receipt",
    "bank_debits",
    "bank_credits",
    "balance",
    "days_late",
    "days_since_payment",
    "dso",
    "rejected_payments",
    "unallocated_receipts",
    "forecast",
    "clients",  # the clients of the books ("combien de clients avons-nous ?"), by kind
]
# first / last: the earliest or latest dated item (its date is the value: "quand … dernier")
# "status": a yes/no question of the forecast ("vais-je pouvoir payer les salaires ?"), its value
# the lowest balance and its verdict the forecast's status (ok, a_surveiller, tension)
Aggregation = Literal["sum", "count", "count_clients", "max", "min", "avg", "weighted_avg", "list", "top", "first", "last", "status"]  # fmt: skip
Combine = Literal["ratio", "difference", "share", "change"]


class Period(BaseModel):
    """Days ``start`` to ``end``, both included (never after the as-of day when executed)."""

    start: date | None = None
    end: date | None = None
    label: str = ""


class Filters(BaseModel):
    client: str | None = Field(None, description="Client id (resolved from the question).")
    invoice: str | None = Field(None, description="One invoice number.")
    client_kind: Literal["grand_compte", "pme", "administration", "particulier"] | None = None
    supplier: str | None = Field(None, description="Supplier id or payee name.")
    suppliers: list[str] | None = Field(
        None, description="Several suppliers named together (supplier ids): their total."
    )
    payees: list[str] | None = Field(
        None, description="Several payees one word names (Naftal: every Naftal station)."
    )
    category: str | None = Field(None, description="Expense category code.")
    invoice_status: (
        Literal["issued", "cancelled", "credit_note", "partially_paid", "paid"] | None
    ) = Field(None, description="paid: settled in full, by a last payment within the period.")
    min_days_late: int | None = Field(None, description="More than this many days past due.")
    max_days_late: int | None = Field(None, description="At most this many days past due.")
    overdue: bool | None = Field(None, description="Only items past their due date.")
    payment_method: str | None = None
    employee: str | None = Field(None, description="Employee name as the expenses spell it.")
    card: str | None = Field(None, description="Company card id (CARD-01).")
    min_amount: Decimal | None = None
    issued_from: date | None = None
    issued_to: date | None = None


class Query(BaseModel):
    """One question over the ledger, typed."""

    measure: Measure
    filters: Filters = Field(default_factory=Filters)
    period: Period | None = None
    period2: Period | None = Field(None, description="Second period (a change, a difference).")
    on: date | None = Field(None, description="The day of a balance.")
    aggregation: Aggregation = "sum"
    top_n: int | None = None
    combine: Combine | None = None
    other: Query | None = Field(None, description="The second query of a combination.")


class QueryResult(BaseModel):
    value: Decimal | int | date | None = Field(
        None, description="A sum, a count, a number of days; a day for first / last."
    )
    items: list[str] = Field(default_factory=list)
    found: bool = True
    tools: list[str] = Field(default_factory=list)
    note: str = ""
    tool_result: ToolResult | None = None
    day: date | None = Field(None, description="The day the value is about (a forecast).")
    low: Decimal | None = Field(None, description="Lowest projected balance up to that day.")
    end_balance: Decimal | None = Field(None, description="Projected balance on that day.")
    low_day: date | None = None
    threshold: Decimal | None = None
    status: str | None = Field(None, description="Forecast status up to that day.")
    parts: list[Decimal | int | date | None] = Field(
        default_factory=list, description="The two sides of a combination, as computed."
    )
    ranked: list[tuple[str, str, Decimal]] = Field(
        default_factory=list,
        description="A ranking's rows in rank order: id, name (empty if none), own amount.",
    )


# the typed tools that already answer a measure, and how a query maps to their arguments
_TOOL = {
    "open_receivables": "receivables",
    "days_late": "client_invoices",
    "expenses": "expenses",
    "supplier_payments": "expenses",
    "expenses_without_receipt": "expenses_without_receipt",
    "vat": "vat_collected",
    "balance": "bank_balance",
    "dso": "dso",
    "rejected_payments": "rejected_payments",
}


# the filters each typed tool applies; a query with any other filter set goes to the SQL path,
# so that no filter is ever dropped on the way to a tool
_TOOL_FILTERS = {
    "open_receivables": {"client", "min_days_late", "max_days_late", "overdue", "issued_from", "issued_to"},
    "days_late": {"client", "overdue"},
    "expenses": {"supplier", "category", "min_amount"},
    "supplier_payments": {"supplier", "category", "min_amount"},
    "expenses_without_receipt": {"min_amount"},
    "vat": set(),
    "balance": set(),
    "dso": set(),
    "rejected_payments": {"client"},
}  # fmt: skip


def _tool_call(q: Query, as_of: date) -> tuple[str, dict[str, Any]] | None:
    f, p = q.filters, q.period
    if f.invoice is not None:
        return None  # one invoice: the SQL path
    taken = _TOOL_FILTERS.get(q.measure, set())
    if q.measure != "open_receivables" and any(
        v is not None and k not in taken for k, v in f.model_dump().items()
    ):
        return None
    if q.measure == "open_receivables" and q.aggregation == "top":
        if any(v is not None for v in f.model_dump().values()):
            return None  # a ranking over some receivables (overdue, a kind): the SQL path
        return "top_clients", {"n": q.top_n or 5}
    if q.measure == "open_receivables" and q.aggregation in ("sum", "count", "list"):
        if (
            f.client_kind
            or f.invoice_status
            or f.min_amount is not None
            or f.overdue is False
            or q.aggregation == "list"
        ):
            return None  # SQL path below
        args: dict[str, Any] = {}
        if f.client:
            args["client"] = f.client
        if f.min_days_late is not None:
            args["min_days_late"] = f.min_days_late
        if f.max_days_late is not None:
            args["max_days_late"] = f.max_days_late
        if f.overdue:
            args["overdue_only"] = True
        if f.issued_from:
            args["issued_from"] = f.issued_from
        if f.issued_to:
            args["issued_to"] = f.issued_to
        if q.aggregation == "count":
            args["measure"] = "count"
        return "receivables", args
    if q.measure == "days_late" and f.client and q.aggregation == "list" and f.overdue is not False:
        return "client_invoices", {"client": f.client, **({"overdue_only": True} if f.overdue else {})}  # fmt: skip
    if q.measure in ("expenses", "supplier_payments", "expenses_without_receipt"):
        if f.payees or f.employee or f.card:
            return None  # a group of payees, an employee, a card: the SQL path
        args = {}
        if p:
            args.update(start=p.start, end=p.end)
        if q.measure != "expenses_without_receipt":
            if f.supplier:
                args["supplier"] = f.supplier
            if f.category:
                args["category"] = f.category
        if f.min_amount is not None:
            args["min_amount"] = f.min_amount
        if q.aggregation in ("sum", "count"):
            if q.measure == "expenses_without_receipt":
                args["measure"] = "total" if q.aggregation == "sum" else "count"
            elif q.aggregation == "count":
                args["measure"] = "count"
            return _TOOL[q.measure], args
        return None
    if (
        q.measure == "vat"
        and p
        and p.start
        and p.end
        and (p.start.year, p.start.month)
        == (
            p.end.year,
            p.end.month,
        )
    ):
        return "vat_collected", {"year": p.start.year, "month": p.start.month}
    if q.measure == "balance" and q.aggregation in ("min", "max") and q.period is not None:
        return None  # the lowest / highest balance of a period: the SQL path
    if q.measure == "balance":
        return "bank_balance", {"on": min(q.on or as_of, as_of)}
    if q.measure == "dso":
        return "dso", {}
    if q.measure == "rejected_payments":
        args = {}
        if p:
            args.update(start=p.start, end=p.end)
        if f.client:
            args["client"] = f.client
        if q.aggregation == "sum":
            args["measure"] = "total"
        return "rejected_payments", args
    return None


def _agg(pairs: list[tuple[str, Decimal]], how: str) -> Decimal | int | None:
    vals = [v for _, v in pairs]
    if how == "count":
        return len(vals)
    if how in ("sum", "list"):
        return sum(vals, Decimal("0.00"))
    if not vals:
        return None
    if how == "max":
        return max(vals)
    if how == "min":
        return min(vals)
    if how == "avg":
        return (sum(vals, Decimal("0")) / len(vals)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return None


def _span(q: Query, as_of: date) -> tuple[date | None, date]:
    p = q.period
    start = p.start if p else None
    end = min((p.end if p and p.end else as_of), as_of)
    return start, end


def _sql(session: Session, q: Query, as_of: date) -> QueryResult:
    f = q.filters
    start, end = _span(q, as_of)
    pairs: list[tuple[str, Decimal]] = []
    days: dict[str, date] = {}  # each item's date, for first / last
    if q.measure in ("invoiced_ttc", "invoiced_ht") and f.invoice_status == "paid":
        paid = _paid_invoices(session, q, start, end)
        if q.aggregation == "count_clients":
            ids = sorted({c for _, c, _ in paid})
            return QueryResult(value=len(ids), items=ids, tools=["sql:allocations"])
        pairs = [(n, v) for n, _, v in paid]
        tool = "sql:allocations"
    elif q.measure in ("invoiced_ttc", "invoiced_ht", "vat", "stamp_duty"):
        col = {
            "invoiced_ttc": Invoice.total_ttc,
            "invoiced_ht": Invoice.total_ht,
            "vat": Invoice.total_tva,
            "stamp_duty": Invoice.timbre,
        }[q.measure]
        s = select(Invoice.number, Invoice.client_id, col, Invoice.issue_date).where(
            Invoice.issue_date <= end
        )
        if start:
            s = s.where(Invoice.issue_date >= start)
        if f.invoice_status == "cancelled":
            s = s.where(Invoice.status == "cancelled")
        elif f.invoice_status == "credit_note":
            s = s.where(Invoice.credited_invoice != "")
        elif f.invoice_status == "issued":  # "hors avoirs": invoices only
            s = s.where(Invoice.status != "cancelled", Invoice.credited_invoice == "")
        else:
            s = s.where(Invoice.status != "cancelled")
            # the largest/smallest/average invoice, or how many were issued: invoices, not the
            # credit notes that correct them
            if q.aggregation in ("max", "min", "count", "avg"):
                s = s.where(Invoice.credited_invoice == "")
        if q.measure == "stamp_duty":  # the invoices that carry it (paid in cash), not all
            s = s.where(Invoice.timbre != 0)
        if f.invoice:  # one invoice: its own amount
            s = s.where(Invoice.number == f.invoice)
        if f.client:
            s = s.where(Invoice.client_id == f.client)
        if f.client_kind:
            s = s.join(Client, Client.client_id == Invoice.client_id).where(
                Client.kind == f.client_kind
            )
        if f.payment_method:
            s = s.where(Invoice.payment_method == f.payment_method)
        rows = session.execute(s.order_by(Invoice.issue_date, Invoice.number)).all()
        # a credit note is stored negative; "le montant des avoirs" is what they credit
        sign = -1 if f.invoice_status == "credit_note" else 1
        pairs = [(n, sign * Decimal(v)) for n, _, v, _ in rows]
        days = {n: d for n, _, _, d in rows}
        if f.min_amount is not None:
            keep = {n for n, v in pairs if v > f.min_amount}
            pairs = [pv for pv in pairs if pv[0] in keep]
            rows = [r for r in rows if r[0] in keep]
        if q.aggregation == "count_clients":
            return QueryResult(value=len({r[1] for r in rows}), items=sorted({r[1] for r in rows}), tools=["sql:invoices"])  # fmt: skip
        tool = "sql:invoices"
    elif q.measure == "client_receipts":
        sp = select(Payment.payment_id, Payment.date, Payment.amount).where(
            Payment.date <= end, Payment.status == "cleared"
        )
        if start:
            sp = sp.where(Payment.date >= start)
        if f.client:
            sp = sp.where(Payment.client_id == f.client)
        if f.client_kind:  # "combien les particuliers nous ont payé"
            sp = sp.join(Client, Client.client_id == Payment.client_id).where(
                Client.kind == f.client_kind
            )
        if f.payment_method:
            sp = sp.where(Payment.method == f.payment_method)
        got = session.execute(sp.order_by(Payment.date, Payment.payment_id)).all()
        pairs = [(r[0], Decimal(r[-1])) for r in got]
        days = {r[0]: r[1] for r in got}
        if f.min_amount is not None:
            pairs = [pv for pv in pairs if pv[1] > f.min_amount]
        tool = "sql:payments"
    elif q.measure == "unallocated_receipts":
        return _unallocated(session, q, start, end)
    elif q.measure == "clients":
        sc = select(Client.client_id).order_by(Client.client_id)
        if f.client_kind:
            sc = sc.where(Client.kind == f.client_kind)
        ids = list(session.scalars(sc))
        return QueryResult(value=len(ids), items=ids, tools=["sql:clients"])
    elif q.measure in ("expenses", "supplier_payments"):
        se = select(Expense.expense_id, Expense.amount, Expense.date).where(Expense.date <= end)
        if start:
            se = se.where(Expense.date >= start)
        if f.supplier:
            se = se.where((Expense.supplier_id == f.supplier) | (Expense.payee == f.supplier))
        if f.payees:
            se = se.where(Expense.payee.in_(f.payees))
        if f.suppliers:
            se = se.where(Expense.supplier_id.in_(f.suppliers))
        if f.employee:
            se = se.where(Expense.employee == f.employee)
        if f.card:
            se = se.where(Expense.card_id == f.card)
        if f.category:
            se = se.where(Expense.category == f.category)
        if f.payment_method:
            se = se.where(Expense.method == f.payment_method)
        spent = session.execute(se.order_by(Expense.date, Expense.expense_id)).all()
        pairs = [(r[0], Decimal(r[1])) for r in spent]
        days = {r[0]: r[2] for r in spent}
        if f.min_amount is not None:
            pairs = [pv for pv in pairs if pv[1] > f.min_amount]
        tool = "sql:expenses"
    elif q.measure == "days_since_payment":
        if not f.client:
            return QueryResult(found=False, note="days since the last payment: of which client?")
        last = session.execute(
            select(Payment.payment_id, Payment.date)
            .where(Payment.client_id == f.client, Payment.status == "cleared", Payment.date <= end)
            .order_by(Payment.date.desc(), Payment.payment_id.desc())
            .limit(1)
        ).first()
        if last is None:
            return QueryResult(found=False, note=f"no cleared payment from {f.client}")
        return QueryResult(value=(end - last[1]).days, items=[last[0]], tools=["sql:payments"])
    elif q.measure in ("bank_debits", "bank_credits"):
        sp = select(BankLine.line_id, BankLine.date, BankLine.amount).where(BankLine.date <= end)
        if start:
            sp = sp.where(BankLine.date >= start)
        sp = sp.where(BankLine.amount < 0 if q.measure == "bank_debits" else BankLine.amount > 0)
        lines = session.execute(sp.order_by(BankLine.date, BankLine.line_id)).all()
        pairs = [(r[0], abs(Decimal(r[-1]))) for r in lines]
        days = {r[0]: r[1] for r in lines}
        tool = "sql:bank_lines"
    elif q.measure == "days_late" and f.invoice:
        row = next((r for r in open_invoices(session, as_of) if r.number == f.invoice), None)
        if row is None:
            return QueryResult(found=False, note=f"{f.invoice} has nothing left to pay")
        return QueryResult(
            value=max(row.days_past_due, 0), items=[row.number], tools=["receivables"]
        )
    elif q.measure == "days_late" and q.aggregation in ("max", "min"):
        # the open invoice furthest past due (or nearest), over the filters
        late = _open_selected(session, q, as_of)
        if not late:
            return QueryResult(found=False, note="no open invoice matches")
        pick = max if q.aggregation == "max" else min
        best = pick(late, key=lambda r: (r.days_past_due, r.open_amount))
        return QueryResult(value=best.days_past_due, items=[best.number], tools=["receivables"])
    elif q.measure == "balance" and q.aggregation in ("min", "max"):
        return _balance_extreme(session, q, start, end)
    elif q.measure == "forecast":
        return _forecast(session, q, as_of)
    elif q.measure == "open_receivables":
        rows_o = open_invoices(session, as_of, f.client)
        if f.invoice:  # one invoice: what is left to pay on it (0 when settled)
            one = [r for r in rows_o if r.number == f.invoice]
            return QueryResult(
                value=one[0].open_amount if one else Decimal("0.00"),
                items=[f.invoice],
                tools=["receivables"],
            )
        passes = _open_filter(session, f)
        if q.aggregation == "top":  # the clients owing most of what passes the filters
            per: dict[str, Decimal] = {}
            for r in rows_o:
                if passes(r) and (f.min_amount is None or r.open_amount > f.min_amount):
                    per[r.client_id] = per.get(r.client_id, Decimal("0.00")) + r.open_amount
            ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[: q.top_n or 5]
            return QueryResult(
                value=sum((v for _, v in ranked), Decimal("0.00")) if ranked else None,
                items=[c for c, _ in ranked],
                tools=["receivables"],
                ranked=_named(session, ranked),
            )
        sel = [
            r
            for r in rows_o
            if passes(r) and (f.invoice_status != "partially_paid" or r.open_amount < r.total_ttc)
        ]
        if q.aggregation == "count_clients":
            owed: dict[str, Decimal] = {}
            for r in sel:
                owed[r.client_id] = owed.get(r.client_id, Decimal("0")) + r.open_amount
            # "clients qui doivent plus de 1 M DA": the amount bounds what each client owes
            ids = sorted(c for c, v in owed.items() if f.min_amount is None or v > f.min_amount)
            return QueryResult(value=len(ids), items=ids, tools=["receivables"])
        if f.min_amount is not None:  # invoices above an amount
            sel = [r for r in sel if r.open_amount > f.min_amount]
        if q.aggregation == "weighted_avg" or (q.aggregation == "avg" and f.overdue):
            late = [r for r in sel if r.days_past_due > 0] if f.overdue else sel
            tot = sum((r.open_amount for r in late), Decimal("0"))
            if q.aggregation == "weighted_avg":
                v = sum((r.open_amount * r.days_past_due for r in late), Decimal("0")) / tot if tot else None  # fmt: skip
            else:
                v = Decimal(sum(r.days_past_due for r in late)) / len(late) if late else None
            return QueryResult(
                value=v.quantize(Decimal("0.01"), ROUND_HALF_UP) if v is not None else None,
                items=[r.number for r in late],
                tools=["receivables"],
            )
        pairs = [(r.number, r.open_amount) for r in sel]
        tool = "receivables"
    else:
        return QueryResult(found=False, note=f"not expressible: {q.measure}/{q.aggregation}")
    if q.aggregation in ("first", "last"):
        return _dated_pick(pairs, days, q.aggregation, tool)
    if q.aggregation == "top":
        return _ranking(session, q, pairs, tool)
    value = _agg(pairs, q.aggregation)
    if q.aggregation in ("sum", "list"):
        # a sum rests on what it adds: an invoice with no stamp duty is not a source of it
        pairs = [pv for pv in pairs if pv[1] != 0]
    if q.aggregation in ("max", "min") and pairs:
        pick = max if q.aggregation == "max" else min
        best = pick(pairs, key=lambda p: p[1])
        return QueryResult(value=best[1], items=[best[0]], tools=[tool])
    return QueryResult(value=value, items=[i for i, _ in pairs], tools=[tool])


def _ranking(
    session: Session, q: Query, pairs: list[tuple[str, Decimal]], tool: str
) -> QueryResult:
    """The parties with the largest totals of the items that passed the filters (clients for
    invoicing and receipts, suppliers or payees for spending): the value is what the first N
    add up to, the items are their ids in order (ties by id)."""
    ids = [i for i, _ in pairs]
    owner: dict[str, str] = {}
    if q.measure in ("invoiced_ttc", "invoiced_ht"):
        owner = {n: c for n, c in session.execute(select(Invoice.number, Invoice.client_id).where(Invoice.number.in_(ids)))}  # fmt: skip
    elif q.measure == "client_receipts":
        owner = {p: c for p, c in session.execute(select(Payment.payment_id, Payment.client_id).where(Payment.payment_id.in_(ids)))}  # fmt: skip
    else:
        # suppliers are ranked among suppliers; spending (a payee, the staff) among payees too
        suppliers_only = q.measure == "supplier_payments"
        owner = {
            e: (sid or ("" if suppliers_only else payee))
            for e, sid, payee in session.execute(
                select(Expense.expense_id, Expense.supplier_id, Expense.payee).where(Expense.expense_id.in_(ids))
            )
        }  # fmt: skip
    per: dict[str, Decimal] = {}
    for i, v in pairs:
        who = owner.get(i)
        if who:
            per[who] = per.get(who, Decimal("0.00")) + v
    ranked = sorted(per.items(), key=lambda kv: (-kv[1], kv[0]))[: q.top_n or 5]
    return QueryResult(
        value=sum((v for _, v in ranked), Decimal("0.00")) if ranked else None,
        items=[w for w, _ in ranked],
        tools=[tool],
        ranked=_named(session, ranked),
    )


def _named(session: Session, ranked: list[tuple[str, Decimal]]) -> list[tuple[str, str, Decimal]]:
    """A ranking's rows with the name of each client or supplier id (a payee is its own name:
    no name added)."""
    ids = [w for w, _ in ranked]
    names = dict(session.execute(select(Client.client_id, Client.name).where(Client.client_id.in_(ids))).all())  # fmt: skip
    names.update(session.execute(select(Supplier.supplier_id, Supplier.name).where(Supplier.supplier_id.in_(ids))).all())  # fmt: skip
    return [(w, str(names.get(w) or ""), v) for w, v in ranked]


def _dated_pick(
    pairs: list[tuple[str, Decimal]], days: dict[str, date], how: str, tool: str
) -> QueryResult:
    """The earliest (first) or latest (last) item that passed the filters: its date is the
    value, its ids every item of that day (two payments the same day are both the last one),
    its amount theirs together."""
    dated = [(days[i], n, i) for n, (i, _) in enumerate(pairs) if i in days]
    if not dated:
        return QueryResult(found=False, note="nothing matches", tools=[tool])
    day = (max(dated) if how == "last" else min(dated))[0]
    same = [i for d, _, i in sorted(dated) if d == day]
    amounts = dict(pairs)
    amount = sum((amounts[i] for i in same), Decimal(0))
    return QueryResult(value=day, items=same, tools=[tool], day=day, end_balance=amount)


def _unallocated(session: Session, q: Query, start: date | None, end: date) -> QueryResult:
    """Client receipts not (entirely) allocated to an invoice: the part of each cleared
    payment its allocations leave over (a payment on account, an unidentified transfer)."""
    f = q.filters
    allocated = (
        select(Allocation.payment_id, func.coalesce(func.sum(Allocation.amount), 0).label("a"))
        .group_by(Allocation.payment_id)
        .subquery()
    )
    s = (
        select(Payment.payment_id, Payment.amount, allocated.c.a)
        .outerjoin(allocated, allocated.c.payment_id == Payment.payment_id)
        .where(Payment.status == "cleared", Payment.date <= end)
    )
    if start:
        s = s.where(Payment.date >= start)
    if f.client:
        s = s.where(Payment.client_id == f.client)
    left: list[tuple[str, Decimal]] = []
    for pid, amount, done in session.execute(s.order_by(Payment.date, Payment.payment_id)):
        rest = Decimal(amount) - Decimal(done or 0)
        if rest > 0:
            left.append((pid, rest.quantize(Decimal("0.01"))))
    value = len(left) if q.aggregation == "count" else _agg(left, "sum")
    return QueryResult(value=value, items=[i for i, _ in left], tools=["sql:allocations"])


def _paid_invoices(
    session: Session, q: Query, start: date | None, end: date
) -> list[tuple[str, str, Decimal]]:
    """Invoices settled in full whose last cleared payment falls within ``start``–``end``:
    (number, client, amount TTC or HT)."""
    f = q.filters
    col = Invoice.total_ttc if q.measure == "invoiced_ttc" else Invoice.total_ht
    s = (
        select(
            Invoice.number,
            Invoice.client_id,
            col,
            Invoice.total_ttc,
            func.max(Payment.date),
            func.sum(Allocation.amount),
        )
        .join(Allocation, Allocation.invoice_number == Invoice.number)
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(Payment.status == "cleared", Payment.date <= end, Invoice.status != "cancelled")
        .group_by(Invoice.number, Invoice.client_id, col, Invoice.total_ttc)
    )
    if f.client:
        s = s.where(Invoice.client_id == f.client)
    if f.client_kind:
        s = s.join(Client, Client.client_id == Invoice.client_id).where(
            Client.kind == f.client_kind
        )
    out = []
    for number, client, value, ttc, last, allocated in session.execute(s.order_by(Invoice.number)):
        if Decimal(allocated) >= Decimal(ttc) and (start is None or last >= start):
            if f.min_amount is None or Decimal(value) > f.min_amount:
                out.append((number, client, Decimal(value)))
    return out


def _open_filter(session: Session, f: Filters) -> Callable[[Any], bool]:
    """Whether an open invoice passes the client kind and age filters (overdue, not yet
    due, days late between bounds)."""
    kinds = dict(session.execute(select(Client.client_id, Client.kind)).all())

    def keep(r: Any) -> bool:
        return (
            (f.client_kind is None or kinds.get(r.client_id) == f.client_kind)
            and (f.min_days_late is None or r.days_past_due > f.min_days_late)
            and (f.max_days_late is None or r.days_past_due <= f.max_days_late)
            and (not f.overdue or r.days_past_due > 0)
            and (f.overdue is not False or r.days_past_due <= 0)
        )

    return keep


def _open_selected(session: Session, q: Query, as_of: date) -> list[Any]:
    """The open invoices a receivables filter keeps (client, kind, age, amount)."""
    f = q.filters
    keep = _open_filter(session, f)
    return [
        r
        for r in open_invoices(session, as_of, f.client)
        if keep(r) and (f.min_amount is None or r.open_amount > f.min_amount)
    ]


def _balance_extreme(session: Session, q: Query, start: date | None, end: date) -> QueryResult:
    """The lowest (or highest) end-of-day bank balance between ``start`` and ``end``: the
    balance carried over the days without a line; the day it happened in the note."""
    company = get_company(session)
    if company is None:
        return QueryResult(found=False, note="no company in the ledger")
    first = max(start or company.opening_date, company.opening_date)
    if first > end:
        return QueryResult(found=False, note=f"the books start on {company.opening_date.isoformat()}")  # fmt: skip
    balance = cash_position(session, date.fromordinal(first.toordinal() - 1))
    moves: dict[date, Decimal] = {}
    for day, amount in session.execute(
        select(BankLine.date, BankLine.amount).where(BankLine.date >= first, BankLine.date <= end)
    ):
        moves[day] = moves.get(day, Decimal("0")) + Decimal(amount)
    best: tuple[Decimal, date] | None = None
    pick = min if q.aggregation == "min" else max
    for n in range(first.toordinal(), end.toordinal() + 1):
        day = date.fromordinal(n)
        balance += moves.get(day, Decimal("0"))
        if best is None or pick(balance, best[0]) != best[0]:
            best = (balance, day)
    assert best is not None
    return QueryResult(
        value=best[0], items=[], tools=["sql:bank_lines"], day=best[1], low_day=best[1]
    )


FORECAST_DAYS = 30  # the horizon when the question names no day


def _forecast(session: Session, q: Query, as_of: date) -> QueryResult:
    """The projected balance on the day asked (P50 of the engine's forecast), the lowest
    balance up to that day and the status against the safety threshold; the ids are the
    projected flows' sources (invoices, commitments) up to that day."""
    # the forecast engine (and numpy under it) is loaded only for a question about the future
    from khazna.tools.forecast import ForecastError, forecast

    day = q.on if q.on is not None and q.on > as_of else None
    horizon = (day - as_of).days if day else FORECAST_DAYS
    if horizon > 366:
        return QueryResult(found=False, note="a forecast reaches 366 days at most")
    try:
        # never shorter than the engine's own horizon: a day's figure must not depend on how
        # far the question looks (the same as ``khazna forecast``)
        fc = forecast(session, as_of, max(horizon, FORECAST_DAYS), explain=True)
    except ForecastError as err:
        return QueryResult(found=False, note=str(err))
    days = [d for d in fc.days if d.date <= date.fromordinal(as_of.toordinal() + horizon)]
    last = days[-1]
    low = min(days, key=lambda d: (d.balance, d.date))
    rank = {"ok": 0, "a_surveiller": 1, "tension": 2}
    status = max((d.status for d in days), key=lambda s: rank.get(s, 0))
    sources = []
    for fl in fc.flows or []:
        # the ids of the books (invoices, commitments); learned habits have no id
        if fl.kind not in ("invoice", "commitment", "expense", "doubtful", "invoice_late"):
            continue
        if fl.date <= last.date and fl.source and fl.source not in sources:
            sources.append(fl.source)
    value = low.balance if q.aggregation in ("min", "status") else last.balance
    return QueryResult(
        value=value,
        items=sources,
        tools=["forecast"],
        day=last.date,
        end_balance=last.balance,
        low=low.balance,
        low_day=low.date,
        threshold=fc.threshold,
        status=status,
    )


def _combine(
    how: str, a: Decimal | int | date | None, b: Decimal | int | date | None
) -> Decimal | None:
    if not isinstance(a, Decimal | int) or not isinstance(b, Decimal | int):
        return None
    x, y = Decimal(a), Decimal(b)
    if how == "difference":
        return x - y
    if y == 0:
        return None
    if how == "ratio":
        return (x / y).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    if how == "share":
        return (x * 100 / y).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return ((x - y) * 100 / y).quantize(Decimal("0.01"), ROUND_HALF_UP)  # change, in %


# measures of the books as they stood on one day: ``on`` moves that day back
AS_OF_MEASURES = ("open_receivables", "days_late", "days_since_payment", "dso")


def books_start(session: Session) -> date | None:
    """The first day the books know anything (an invoice, a payment, a bank line, a spend)."""
    firsts = [
        session.scalar(select(func.min(col)))
        for col in (Invoice.issue_date, Payment.date, BankLine.date, Expense.date)
    ]
    known = [d for d in firsts if d is not None]
    return min(known) if known else None


def _outside_books(session: Session, q: Query, as_of: date) -> str | None:
    """Why a period cannot be answered: it ends before the books start or starts after the
    as-of day. A sum of 0 there would be a guess, not a figure; so would a bank balance before
    the bank's opening day, or receivables before the books start."""
    if q.on is not None and q.measure == "balance":
        company = get_company(session)
        if company is not None and q.on < company.opening_date:
            return f"the bank balance is known from {company.opening_date.isoformat()}: nothing before"  # fmt: skip
    if q.on is not None and q.measure in AS_OF_MEASURES:
        first = books_start(session)
        if first is not None and q.on < first:
            return f"the books start on {first.isoformat()}: nothing before"
    for sub in (q, q.other):
        p = sub.period if sub is not None else None
        if sub is None or p is None or (p.start is None and p.end is None):
            continue
        if p.start is not None and p.start > as_of:
            return f"the period starts after {as_of.isoformat()}: not known yet"
        first = books_start(session)
        if first is not None and p.end is not None and p.end < first:
            return f"the books start on {first.isoformat()}: nothing before"
        # a flow measured before its own records begin (receipts before the first payment was
        # recorded, spending before the first expense): 0 would be a guess, not a figure
        col = _RECORDS_OF.get(sub.measure)
        own = session.scalar(select(func.min(col))) if col is not None else None
        if own is not None and p.end is not None and p.end < own:
            return f"these records start on {own.isoformat()}: nothing before"
    return None


_RECORDS_OF: dict[str, Any] = {
    "client_receipts": Payment.date,
    "unallocated_receipts": Payment.date,
    "expenses": Expense.date,
    "supplier_payments": Expense.date,
    "expenses_without_receipt": Expense.date,
    "bank_debits": BankLine.date,
    "bank_credits": BankLine.date,
}


def execute(session: Session, q: Query, as_of: date) -> QueryResult:
    """Run ``q`` over the ledger as it stood on ``as_of``: the headline value and its ids."""
    why = _outside_books(session, q, as_of)
    if why is not None:
        return QueryResult(found=False, note=why)
    if q.on is not None and q.measure in (*AS_OF_MEASURES, "balance"):
        if q.on > as_of:  # a balance of a later day is a forecast, never today's figure
            return QueryResult(found=False, note=f"{q.on.isoformat()} is after {as_of.isoformat()}: not known yet")  # fmt: skip
        if q.measure != "balance":
            as_of = q.on  # the books as they stood that day
    if q.combine and q.other is not None:
        a = execute(session, q.model_copy(update={"combine": None, "other": None}), as_of)
        b = execute(session, q.other, as_of)
        found = a.found and b.found
        return QueryResult(
            value=_combine(q.combine, a.value, b.value) if found else None,
            parts=[a.value, b.value],
            # a share is traced by its part (the whole is every item of its kind, said in the
            # reading); a difference, a change or a ratio by both sides
            items=a.items
            if q.combine == "share"
            else a.items + [i for i in b.items if i not in a.items],
            found=found,
            tools=a.tools + b.tools,
            note="; ".join(x for x in (a.note, b.note) if x),
        )
    call = _tool_call(q, as_of)
    if call is not None:
        name, args = call
        res = run_tool(session, as_of, name, args)
        return QueryResult(
            value=res.value if res.found else None,
            items=res.items if res.found else [],
            found=res.found,
            tools=[name],
            note=res.note,
            tool_result=res,
        )
    return _sql(session, q, as_of)


def from_tool_call(tool: str, args: dict[str, Any], as_of: date) -> Query:
    """The typed query of a typed-tool call (the parser's intents, a model's tool call)."""
    a = dict(args)
    period = (
        Period(start=a.get("start"), end=a.get("end")) if a.get("start") or a.get("end") else None
    )
    count = a.get("measure") == "count"
    if tool == "receivables":
        return Query(
            measure="open_receivables",
            aggregation="count" if count else "sum",
            filters=Filters(
                client=a.get("client"),
                min_days_late=a.get("min_days_late"),
                max_days_late=a.get("max_days_late"),
                overdue=True if a.get("overdue_only") else None,
                issued_from=a.get("issued_from"),
                issued_to=a.get("issued_to"),
            ),
        )
    if tool == "client_invoices":
        overdue = True if a.get("overdue_only") else None
        return Query(measure="days_late", aggregation="list", filters=Filters(client=a.get("client"), overdue=overdue))  # fmt: skip
    if tool == "top_clients":
        return Query(measure="open_receivables", aggregation="top", top_n=a.get("n", 5))
    if tool == "expenses":
        return Query(
            measure="supplier_payments" if a.get("supplier") or a.get("payees") else "expenses",
            aggregation="count" if count else "sum",
            period=period,
            filters=Filters(
                supplier=a.get("supplier"),
                payees=a.get("payees"),
                category=a.get("category"),
                min_amount=a.get("min_amount"),
            ),
        )
    if tool == "expenses_without_receipt":
        return Query(
            measure="expenses_without_receipt",
            aggregation="sum" if a.get("measure") == "total" else "count",
            period=period,
            filters=Filters(min_amount=a.get("min_amount")),
        )
    if tool == "vat_collected":
        mp = month_period(int(a["year"]), int(a["month"]))
        return Query(measure="vat", period=Period(start=mp.start, end=mp.end, label=mp.label))
    if tool == "bank_balance":
        return Query(measure="balance", on=a.get("on") or as_of)
    if tool == "rejected_payments":
        return Query(
            measure="rejected_payments",
            aggregation="sum" if a.get("measure") == "total" else "count",
            period=period,
            filters=Filters(client=a.get("client")),
        )
    if tool == "dso":
        return Query(measure="dso", aggregation="avg")
    raise ValueError(f"unknown tool {tool!r}")


__all__ = ["Filters", "Period", "Query", "QueryResult", "execute", "from_tool_call"]
