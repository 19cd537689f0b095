"""Receivables: open amounts, the aged balance (balance âgée) and DSO.

Everything is computed "as of" a date D from records dated ≤ D only, so the same functions
serve today's report and the forecast backtest (replaying history at a cut-off) without a
re-import. Sums run in SQL on integer centimes (``CAST(ROUND(x*100) AS INTEGER)``), exact
on SQLite where NUMERIC is stored as REAL; Python only sees the open invoices.

Open amount of an invoice on D = total_ttc
  − cleared payments allocated to it (``allocations`` rows whose payment is dated ≤ D and
    not rejected: a returned cheque leaves the invoice open)
  + credit notes against it (negative totals naming it in ``credited_invoice``, issued ≤ D).
Cancelled invoices are not receivables. What a client paid beyond its invoices (the
unallocated part of its payments, overpayments, credit notes naming no invoice) is its
credit, reported beside the buckets and never netted against a specific invoice.

DSO (days sales outstanding) = open receivables on D / credit sales invoiced over the 90
days ending on D (invoices + credit notes, issued in (D−90, D]) × 90.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    func,
    literal_column,
    or_,
    select,
    text,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from khazna.ledger.models import Allocation, Client, Invoice, Payment
from khazna.ledger.queries import cents

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "over_90")
# the owner's words for each bucket (the codes stay in --json)
BUCKET_LABELS = {"not_due": "non échu", "1_30": "1–30 j", "31_60": "31–60 j", "61_90": "61–90 j", "over_90": "plus de 90 j"}  # fmt: skip


def lateness(days_past_due: int) -> str:
    """« retard 12 j », « échéance aujourd'hui », « échéance dans 8 j »: never a negative delay."""
    if days_past_due > 0:
        return f"retard {days_past_due} j"
    if days_past_due == 0:
        return "échéance aujourd'hui"
    return f"échéance dans {-days_past_due} j"


DSO_WINDOW_DAYS = 90

T = TypeVar("T")


class EngineCache:
    """What aging, risk and the forecast share within one request, on one session.

    Pass one instance to :func:`aging_report`, ``riskiest``, ``forecast`` (and the functions
    under them) called on the same session: the open amounts and the payment profiles are
    then computed once per as-of date instead of once per call. It holds results, not the
    session; it never notices a change to the ledger, so make a new one per request (the
    default, ``cache=None``, computes everything afresh).
    """

    def __init__(self) -> None:
        self._values: dict[tuple, object] = {}

    def __contains__(self, key: tuple) -> bool:
        return key in self._values

    def get(self, key: tuple, make: Callable[[], T]) -> T:
        if key not in self._values:
            self._values[key] = make()
        return self._values[key]  # type: ignore[return-value]


def cached(cache: EngineCache | None, key: tuple, make: Callable[[], T]) -> T:
    """``make()``, kept in ``cache`` under ``key`` when a cache is given."""
    return make() if cache is None else cache.get(key, make)


def days_between(session: Session, later, earlier):
    """``later − earlier`` in days, as an SQL expression (SQLite or PostgreSQL)."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date - date is an integer


def scan(session: Session, col):
    """``col`` in a date range that covers much of its table: on SQLite, hide its index
    (``+col``), since a full scan reads such a range far faster than index lookups."""
    if session.get_bind().dialect.name == "sqlite":
        return type_coerce(literal_column(f"+{col.table.name}.{col.name}"), col.type)
    return col


def covered(session: Session, col, index: str):
    """``col`` for a range condition served by the covering ``index`` when the database has
    it (SQLite then reads the small index instead of the table); else :func:`scan` of it."""
    if session.get_bind().dialect.name != "sqlite":
        return col
    found = session.execute(
        text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :n"), {"n": index}
    ).first()
    return col if found else scan(session, col)


def from_cents(n: int) -> Decimal:
    return Decimal(int(n)).scaleb(-2)


def bucket_of(days_past_due: int) -> str:
    """The aging bucket of an invoice ``days_past_due`` days after its due date (0 = not due)."""
    if days_past_due <= 0:
        return "not_due"
    if days_past_due <= 30:
        return "1_30"
    if days_past_due <= 60:
        return "31_60"
    if days_past_due <= 90:
        return "61_90"
    return "over_90"


# --------------------------------------------------------------------------- models


class AgingInput(BaseModel):
    """Ask for the aged balance of receivables."""

    as_of: date = Field(
        description="Day the balance is taken on (records dated after it are ignored)."
    )
    client_id: str | None = Field(
        None, description="Only this client (its open invoices are listed too)."
    )


class OpenInvoice(BaseModel):
    number: str = Field(description="Invoice number.")
    client_id: str
    issue_date: date
    due_date: date
    total_ttc: Decimal = Field(description="Invoice total, taxes included, in DZD.")
    open_amount: Decimal = Field(description="What is still owed on the as-of date, in DZD.")
    days_past_due: int = Field(description="Days since the due date (0 or negative: not due yet).")
    bucket: str = Field(description="Aging bucket: not_due, 1_30, 31_60, 61_90 or over_90.")


class ClientAging(BaseModel):
    client_id: str
    name: str
    kind: str = Field("", description="grand_compte, pme, administration or particulier.")
    not_due: Decimal = Decimal(0)
    b1_30: Decimal = Field(Decimal(0), alias="1_30")
    b31_60: Decimal = Field(Decimal(0), alias="31_60")
    b61_90: Decimal = Field(Decimal(0), alias="61_90")
    over_90: Decimal = Decimal(0)
    total: Decimal = Field(
        Decimal(0), description="Sum of the open amounts of the client's invoices."
    )
    open_invoices: int = Field(0, description="Number of invoices with an open amount.")
    unallocated_credit: Decimal = Field(
        Decimal(0), description="Money the client paid that is not allocated to any open invoice."
    )
    invoices: list[OpenInvoice] | None = Field(
        None, description="Open invoices (when one client is asked)."
    )

    model_config = {"populate_by_name": True}

    def add(self, bucket: str, amount: Decimal) -> None:
        attr = {"1_30": "b1_30", "31_60": "b31_60", "61_90": "b61_90"}.get(bucket, bucket)
        setattr(self, attr, getattr(self, attr) + amount)
        self.total += amount


class AgingReport(BaseModel):
    """The aged balance: open receivables per client and bucket, and the DSO."""

    as_of: date
    buckets: list[str] = Field(default_factory=lambda: list(BUCKETS))
    clients: list[ClientAging]
    totals: dict[str, Decimal] = Field(description="Sum per bucket, and 'total'.")
    dso_days: Decimal | None = Field(
        description="Open receivables / credit sales of the last 90 days × 90; null without sales."
    )
    dso_formula: str = "open receivables / credit sales of the 90 days ending on as_of × 90"
    unallocated_credit: Decimal = Field(Decimal(0), description="Client credit, all clients.")

    def to_json(self) -> dict:
        return self.model_dump(mode="python", by_alias=True, exclude_none=True)


# --------------------------------------------------------------------------- queries


def credit_notes_by_invoice(as_of: date):
    """Subquery: per credited invoice (``num``), the credit notes issued up to ``as_of``
    in integer centimes (``cred_c``, negative)."""
    cn = aliased(Invoice)
    return (
        select(cn.credited_invoice.label("num"), func.sum(cents(cn.total_ttc)).label("cred_c"))
        .where(cn.credited_invoice != "", cn.issue_date <= as_of, cn.status != "cancelled")
        .group_by(cn.credited_invoice)
        .subquery()
    )


def _open_amount_query(session: Session, as_of: date, client_id: str | None = None):
    """Rows (number, client_id, issue_date, due_date, total_c, open_c) with open_c ≠ 0."""
    paid = (
        select(
            Allocation.invoice_number.label("num"),
            func.sum(cents(Allocation.amount)).label("paid_c"),
        )
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(Payment.status != "rejected", scan(session, Payment.date) <= as_of)
        .group_by(Allocation.invoice_number)
        .subquery()
    )
    credited = credit_notes_by_invoice(as_of)
    total_c = cents(Invoice.total_ttc)
    open_c = total_c - func.coalesce(paid.c.paid_c, 0) + func.coalesce(credited.c.cred_c, 0)
    q = (
        select(
            Invoice.number,
            Invoice.client_id,
            Invoice.issue_date,
            Invoice.due_date,
            total_c.label("total_c"),
            open_c.label("open_c"),
        )
        .outerjoin(paid, paid.c.num == Invoice.number)
        .outerjoin(credited, credited.c.num == Invoice.number)
        .where(
            scan(session, Invoice.issue_date) <= as_of,
            Invoice.status != "cancelled",
            or_(Invoice.credited_invoice == "", Invoice.credited_invoice.is_(None)),
            Invoice.total_ttc > 0,
            open_c != 0,
        )
    )
    if client_id is not None:
        q = q.where(Invoice.client_id == client_id)
    return q


def _open_rows(
    session: Session,
    as_of: date,
    client_id: str | None = None,
    cache: EngineCache | None = None,
) -> list[tuple]:
    """The rows of :func:`_open_amount_query` (one client's are taken from every client's
    when the cache already holds those)."""
    if cache is not None and client_id is not None and ("open_rows", as_of, None) in cache:
        return [r for r in _open_rows(session, as_of, None, cache) if r[1] == client_id]
    return cached(
        cache,
        ("open_rows", as_of, client_id),
        lambda: [tuple(r) for r in session.execute(_open_amount_query(session, as_of, client_id))],
    )


def open_invoices(
    session: Session,
    as_of: date,
    client_id: str | None = None,
    rows: list[tuple] | None = None,
    *,
    cache: EngineCache | None = None,
) -> list[OpenInvoice]:
    """Invoices with something still owed on ``as_of``, oldest due first.

    With a ``cache``, the list is shared by the callers: treat it (and its items) as read-only.
    """
    if rows is None:
        return cached(
            cache,
            ("open_invoices", as_of, client_id),
            lambda: open_invoices(
                session, as_of, client_id, _open_rows(session, as_of, client_id, cache)
            ),
        )
    out = []
    # typed by the query already (str, date, int centimes): no validation per invoice
    make = OpenInvoice.model_construct
    for num, cid, issued, due, total_c, open_c in rows:
        if open_c <= 0:
            continue
        dpd = (as_of - due).days
        out.append(
            make(
                number=num,
                client_id=cid,
                issue_date=issued,
                due_date=due,
                total_ttc=from_cents(total_c),
                open_amount=from_cents(open_c),
                days_past_due=dpd,
                bucket=bucket_of(dpd),
            )
        )
    out.sort(key=lambda o: (o.due_date, o.number))
    return out


def client_credits(
    session: Session,
    as_of: date,
    client_id: str | None = None,
    rows: list[tuple] | None = None,
    *,
    cache: EngineCache | None = None,
) -> dict[str, Decimal]:
    """Per client: unallocated parts of its cleared payments, overpayments, and credit notes
    naming no invoice, all dated ≤ ``as_of``.

    Unallocated = what the client's cleared payments total − what is allocated out of them,
    two sums per client (the sum of the per-payment differences, without a per-payment join).
    """
    cleared = (Payment.status != "rejected", scan(session, Payment.date) <= as_of)
    pay_cid = scan(session, Payment.client_id)  # group by a full scan, not an index walk
    paid_in = select(pay_cid, func.sum(cents(Payment.amount))).where(*cleared).group_by(pay_cid)
    alloc_out = (
        select(pay_cid, func.sum(cents(Allocation.amount)))
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(*cleared)
        .group_by(pay_cid)
    )
    inv_cid = scan(session, Invoice.client_id)
    loose = select(inv_cid, func.sum(-cents(Invoice.total_ttc))).where(
        Invoice.total_ttc < 0,
        or_(Invoice.credited_invoice == "", Invoice.credited_invoice.is_(None)),
        Invoice.status != "cancelled",
        scan(session, Invoice.issue_date) <= as_of,
    )
    if client_id is not None:
        paid_in = paid_in.where(Payment.client_id == client_id)
        alloc_out = alloc_out.where(Payment.client_id == client_id)
        loose = loose.where(Invoice.client_id == client_id)
    credit: dict[str, int] = defaultdict(int)
    for cid, c in session.execute(paid_in):
        credit[cid] += int(c or 0)
    for cid, c in session.execute(alloc_out):
        credit[cid] -= int(c or 0)
    for cid, c in session.execute(loose.group_by(inv_cid)):
        credit[cid] += int(c or 0)
    rows = rows if rows is not None else _open_rows(session, as_of, client_id, cache)
    for _num, cid, _i, _d, _t, open_c in rows:
        if open_c < 0:  # overpaid invoice
            credit[cid] += -int(open_c)
    return {cid: from_cents(c) for cid, c in credit.items() if c > 0}


def credit_sales(session: Session, as_of: date, days: int = DSO_WINDOW_DAYS) -> Decimal:
    """Invoiced sales (credit notes deducted) issued in (as_of − days, as_of]."""
    start = as_of - timedelta(days=days)
    total = session.execute(
        select(func.coalesce(func.sum(cents(Invoice.total_ttc)), 0)).where(
            Invoice.issue_date > start, Invoice.issue_date <= as_of, Invoice.status != "cancelled"
        )
    ).scalar_one()
    return from_cents(total)


def dso_days(session: Session, as_of: date, open_total: Decimal | None = None) -> Decimal | None:
    """Days sales outstanding = open receivables / credit sales of the last 90 days × 90.

    None when nothing was invoiced over those 90 days (the ratio means nothing then).
    """
    if open_total is None:
        open_total = sum((o.open_amount for o in open_invoices(session, as_of)), Decimal(0))
    sales = credit_sales(session, as_of)
    if sales <= 0:
        return None
    return (open_total / sales * DSO_WINDOW_DAYS).quantize(Decimal("0.1"))


def aging_report(
    session: Session,
    as_of: date,
    client_id: str | None = None,
    *,
    cache: EngineCache | None = None,
) -> AgingReport:
    """The aged balance on ``as_of`` (see the module docstring for the rules)."""
    cache = EngineCache() if cache is None else cache  # the open rows serve twice below
    rows = _open_rows(session, as_of, client_id, cache)
    # the invoices themselves only when one client is asked (they are listed); for the whole
    # book, integer centimes per client and bucket straight from the rows: no model per open
    # invoice (35 000 of them on a million-line ledger)
    items = open_invoices(session, as_of, client_id, cache=cache) if client_id else []
    credits = client_credits(session, as_of, client_id, rows)
    slot = {b: i for i, b in enumerate(BUCKETS)}
    owed: dict[str, list[int]] = {}
    for _num, cid, _issued, due, _total_c, open_c in rows if not client_id else ():
        if open_c > 0:
            cents_of = owed.get(cid)
            if cents_of is None:
                cents_of = owed[cid] = [0] * 6 + [0]
            cents_of[slot[bucket_of((as_of - due).days)]] += open_c
            cents_of[5] += open_c
            cents_of[6] += 1
    ids = {o.client_id for o in items} | set(owed) | set(credits)
    info: dict[str, tuple[str, str]] = {}
    if ids:
        q = select(Client.client_id, Client.name, Client.kind)
        if client_id is not None or len(ids) < 500:
            q = q.where(Client.client_id.in_(ids))
        info = {cid: (name, kind) for cid, name, kind in session.execute(q)}
    # per client: the five buckets, then the total and the count, added up in plain values
    sums: dict[str, list] = {cid: [Decimal(0)] * 6 + [0] for cid in ids}
    for cid, acc_c in owed.items():  # exact: what adding the Decimals of each invoice gives
        sums[cid] = [from_cents(c) if c else Decimal(0) for c in acc_c[:6]] + [acc_c[6]]
    for o in items:
        acc = sums[o.client_id]
        acc[slot[o.bucket]] += o.open_amount
        acc[5] += o.open_amount
        acc[6] += 1
    clients = []
    for cid, acc in sums.items():
        name, kind = info.get(cid, (cid, ""))
        clients.append(
            ClientAging(
                client_id=cid,
                name=name,
                kind=kind,
                unallocated_credit=credits.get(cid, Decimal(0)),
                not_due=acc[0],
                b1_30=acc[1],
                b31_60=acc[2],
                b61_90=acc[3],
                over_90=acc[4],
                total=acc[5],
                open_invoices=acc[6],
                invoices=[o for o in items if o.client_id == cid]
                if client_id is not None
                else None,
            )
        )
    clients.sort(key=lambda r: (-r.total, r.client_id))
    totals = {b: Decimal(0) for b in (*BUCKETS, "total")}
    for acc in sums.values():
        for i, b in enumerate((*BUCKETS, "total")):
            totals[b] += acc[i]
    dso = dso_days(session, as_of, totals["total"]) if client_id is None else None
    return AgingReport(
        as_of=as_of,
        clients=clients,
        totals=totals,
        dso_days=dso,
        unallocated_credit=sum(credits.values(), Decimal(0)),
    )


def _settled(session: Session, as_of: date, since: date):
    """The invoices fully settled on ``as_of`` whose last allocated payment fell in
    (since, as_of]: (client_id, due_date, last payment date, days late) as a select."""
    last_paid = func.max(Payment.date)
    paid = (
        select(
            Allocation.invoice_number.label("num"),
            func.sum(cents(Allocation.amount)).label("paid_c"),
            last_paid.label("last_paid"),
        )
        .join(Payment, Payment.payment_id == Allocation.payment_id)
        .where(Payment.status != "rejected", scan(session, Payment.date) <= as_of)
        .group_by(Allocation.invoice_number)
        .having(last_paid > since)  # only the invoices the window can use reach the join
        .subquery()
    )
    credited = credit_notes_by_invoice(as_of)
    open_c = cents(Invoice.total_ttc) - paid.c.paid_c + func.coalesce(credited.c.cred_c, 0)
    late = days_between(session, paid.c.last_paid, Invoice.due_date)
    return (
        select(Invoice.client_id, Invoice.due_date, paid.c.last_paid, late)
        .join(paid, paid.c.num == Invoice.number)
        .outerjoin(credited, credited.c.num == Invoice.number)
        .where(
            and_(paid.c.last_paid > since, Invoice.status != "cancelled", Invoice.total_ttc > 0),
            open_c <= 0,
        )
    )


def settled_invoice_delays(
    session: Session, as_of: date, since: date
) -> list[tuple[str, int, int]]:
    """(client_id, days_late, n_payments) of invoices fully settled on ``as_of`` whose last
    allocated payment fell in (since, as_of]; days_late = last payment date − due date."""
    return [(cid, int(d), 1) for cid, _, _, d in session.execute(_settled(session, as_of, since))]


def settled_invoice_dates(
    session: Session, as_of: date, since: date
) -> list[tuple[str, date, int]]:
    """(client_id, due date, days late) of the same invoices as :func:`settled_invoice_delays`."""
    out = []
    for cid, due, _, d in session.execute(_settled(session, as_of, since)):
        out.append((cid, due if isinstance(due, date) else date.fromisoformat(str(due)), int(d)))
    return out


def rejected_payments(session: Session, as_of: date, since: date) -> dict[str, int]:
    """Returned cheques (rejected payments) per client dated in (since, as_of]."""
    day, cid = scan(session, Payment.date), scan(session, Payment.client_id)
    q = (
        select(cid, func.count())
        .where(Payment.status == "rejected", day > since, day <= as_of)
        .group_by(cid)
    )
    return {cid: int(n) for cid, n in session.execute(q)}


def batch_share(session: Session, as_of: date, since: date) -> dict[str, float]:
    """Per client: the share of its payments in (since, as_of] that settle several invoices."""
    day = scan(session, Payment.date)
    per_payment = (  # the window's payments that settle something, with their invoice count
        select(Payment.client_id.label("cid"), func.count().label("n"))
        .join(Allocation, Allocation.payment_id == Payment.payment_id)
        .where(Payment.status != "rejected", day > since, day <= as_of)
        .group_by(Payment.payment_id, Payment.client_id)
        .subquery()
    )
    q = select(
        per_payment.c.cid,
        func.count(),
        func.sum(case((per_payment.c.n > 1, 1), else_=0)),
    ).group_by(per_payment.c.cid)
    return {cid: (int(b or 0) / n if n else 0.0) for cid, n, b in session.execute(q)}


def payment_dates(
    session: Session, as_of: date, since: date, client_ids: list[str]
) -> dict[str, list[date]]:
    """Distinct dates of the cleared payments of ``client_ids`` in (since, as_of], in order."""
    if not client_ids:
        return {}
    q = (
        select(Payment.client_id, Payment.date)
        .where(
            Payment.client_id.in_(client_ids),
            Payment.status != "rejected",
            Payment.date > since,
            Payment.date <= as_of,
        )
        .distinct()
        .order_by(Payment.client_id, Payment.date)
    )
    out: dict[str, list[date]] = defaultdict(list)
    for cid, d in session.execute(q):
        out[cid].append(d)
    return dict(out)
