"""The two tools a model answers with: the typed query and a read-only SQL query.

``query`` is the semantic layer the offline reader fills (:class:`~.query.Query`), offered to
the model as one JSON schema (:class:`QueryArgs`): the model names clients, suppliers and
categories as the question writes them, the same resolvers as the offline reader turn them
into ledger ids (:func:`khazna.tools.names.find_party`, :func:`.tools.category_code`), and the
one executor (:func:`.query.execute`) computes ``value`` and ``items``. A name the ledger does
not hold is reported with the closest names, never widened to all clients.

``sql`` is for what the typed query cannot express: one ``SELECT`` (``WITH`` allowed) over an
allow-list of the books' tables, checked with sqlglot before it runs (one statement, no
writes, no schema-qualified or system tables, no function outside an allow-list), run inside a
read-only savepoint (``PRAGMA query_only`` on SQLite, ``SET TRANSACTION READ ONLY`` on
PostgreSQL) with a time budget, and cut at :data:`ROW_LIMIT` rows. Its figures come from the
database, as typed values: money as ``Decimal`` to the centime (SQLite keeps money as REAL,
so a computed amount there is rounded to the centime; PostgreSQL's NUMERIC is exact).
"""

from __future__ import annotations

import re
import time
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field, PrivateAttr, SerializeAsAny
from sqlalchemy import Numeric, select, text
from sqlalchemy.orm import Session

from khazna.agents.assistant.query import (
    Aggregation,
    Combine,
    Filters,
    Measure,
    Period,
    Query,
    QueryResult,
    execute,
)
from khazna.agents.assistant.render import day, money, not_found, render
from khazna.agents.assistant.tools import ToolResult, category_code
from khazna.agents.assistant.understood import answer_text, describe
from khazna.ledger.models import Base, Invoice
from khazna.tools.names import close_names, find_party, parties

QUERY_TOOL = "query"
SQL_TOOL = "sql"
ROW_LIMIT = 200
SQL_SECONDS = 5.0
CENT = Decimal("0.01")

# what each measure means, for the model (docs/assistant.md says the same to the owner)
MEASURES: dict[str, str] = {
    "open_receivables": "what clients still owe (TTC minus cleared payments and credit notes), as of today",
    "invoiced_ttc": "amount invoiced TTC in the period (credit notes netted)",
    "invoiced_ht": "amount invoiced HT: the turnover (chiffre d'affaires, CA)",
    "vat": "VAT invoiced in the period",
    "stamp_duty": "stamp duty (droit de timbre) on invoices of the period",
    "client_receipts": "cleared client payments received in the period (encaissements)",
    "supplier_payments": "payments to a supplier or payee (set filters.supplier)",
    "expenses": "expenses of the period (any payee), by category with filters.category",
    "expenses_without_receipt": "expenses with no receipt (justificatif)",
    "bank_debits": "bank lines going out in the period (positive amounts)",
    "bank_credits": "bank lines coming in in the period",
    "balance": "bank balance at the end of the day `on` (today by default; never a later day)",
    "days_late": "days past due of open invoices (one client, or aggregation max/avg)",
    "days_since_payment": "days since a client's last payment",
    "dso": "days sales outstanding",
    "rejected_payments": "rejected payments (returned cheques)",
    "unallocated_receipts": "client payments not allocated to an invoice",
    "forecast": "projected bank balance up to the day `on` (aggregation min: its lowest day)",
    "clients": "the clients of the books (aggregation count, optionally by client_kind)",
}


class PeriodArgs(BaseModel):
    start: date | None = Field(None, description="First day, ISO YYYY-MM-DD (included).")
    end: date | None = Field(None, description="Last day, ISO YYYY-MM-DD (included).")


class FilterArgs(BaseModel):
    """Filters; names exactly as the question writes them (the tool finds them)."""

    client: str | None = Field(None, description="Client name or id, as written.")
    client_kind: Literal["grand_compte", "pme", "administration", "particulier"] | None = None
    supplier: str | None = Field(None, description="Supplier or payee name or id, as written.")
    suppliers: list[str] | None = Field(None, description="Several suppliers named together.")
    category: str | None = Field(
        None, description="Expense category, a code (carburant, loyer, energie, telecom, "
        "salaires, cotisations_sociales, impots_taxes, fournitures, restaurant, deplacements, "
        "sous_traitance, honoraires, assurance, maintenance, publicite, transport, equipement) "
        "or a word for it.",
    )  # fmt: skip
    invoice: str | None = Field(None, description="One invoice number.")
    invoice_status: (
        Literal["issued", "cancelled", "credit_note", "partially_paid", "paid"] | None
    ) = None
    min_days_late: int | None = Field(None, description="More than this many days past due.")
    max_days_late: int | None = Field(None, description="At most this many days past due.")
    overdue: bool | None = Field(None, description="Only items past their due date.")
    payment_method: str | None = Field(None, description="virement, cheque, especes, carte…")
    employee: str | None = Field(None, description="Employee name as the expenses spell it.")
    card: str | None = Field(None, description="Company card id (CARD-01).")
    min_amount: Decimal | None = Field(None, description="Only items of at least this amount.")
    issued_from: date | None = None
    issued_to: date | None = None


class QueryPart(BaseModel):
    measure: Measure = Field(
        description="What is measured: " + "; ".join(f"{k}: {v}" for k, v in MEASURES.items())
    )
    filters: FilterArgs = Field(default_factory=FilterArgs)
    period: PeriodArgs | None = Field(None, description="The period of a flow.")
    on: date | None = Field(None, description="The day of a balance or of a forecast.")
    aggregation: Aggregation = Field(
        "sum", description="sum, count, count_clients (clients, not invoices), max, min, avg, "
        "weighted_avg (by amount), list, top (with top_n), first / last (the day of the "
        "earliest / latest item), status (forecast only: a yes/no question such as 'can we "
        "pay the salaries this month?', answered by the forecast's status)",
    )  # fmt: skip
    top_n: int | None = Field(None, description="N of a top-N ranking.")


class QueryArgs(QueryPart):
    """One question over the ledger, typed: the figures are computed by the ledger's executor.
    For a share, a difference or a change, fill ``combine`` and the second query ``other``
    (or ``period2`` for the same measure over a second period)."""

    period2: PeriodArgs | None = Field(None, description="Second period (change, difference).")
    combine: Combine | None = Field(
        None, description="ratio, difference (this − other), share (this as % of other), "
        "change (from other to this, in %)",
    )  # fmt: skip
    other: QueryPart | None = Field(None, description="The second query of a combination.")


class QueryToolResult(ToolResult):
    """The executor's result of a typed query, with the query as it was run."""

    value: Decimal | int | date | None = Field(None, description="The headline figure.")  # type: ignore[assignment]
    query: dict[str, Any] = Field(default_factory=dict, description="The typed query run.")
    resolved_name: list[str] = Field(
        default_factory=list, description="The ledger's names of the parties the query names."
    )
    parts: list[Decimal | int | date | None] = Field(default_factory=list)
    details: SerializeAsAny[ToolResult] | None = Field(
        None, description="Per-item figures, when there are."
    )
    low: Decimal | None = None
    low_day: date | None = None
    end_balance: Decimal | None = None
    threshold: Decimal | None = None
    status: str | None = None
    _typed: Query | None = PrivateAttr(default=None)
    _result: QueryResult | None = PrivateAttr(default=None)

    @property
    def typed(self) -> Query | None:
        return self._typed

    def template(self, lang: str, as_of: date) -> str:
        """The offline answer's wording for this result ("Compris : …" then the figure)."""
        q, r = self._typed, self._result
        if q is None or r is None or not self.found:
            return not_found(self, lang)
        if r.tool_result is not None:
            body = render(r.tool_result, lang, q.on or as_of)
        else:
            body = answer_text(q, r, lang, as_of)
        return f"{describe(q, lang, as_of)}\n{body}"


class SqlArgs(BaseModel):
    """A read-only SELECT over the books' tables, for what the typed query cannot express."""

    sql: str = Field(description="One SELECT statement (WITH allowed), no semicolon chain.")


class SqlResult(ToolResult):
    value: Decimal | int | date | None = Field(None, description="A single-cell result.")  # type: ignore[assignment]
    columns: list[str] = Field(default_factory=list)
    rows: list[list[Any]] = Field(default_factory=list)
    truncated: bool = Field(False, description=f"More than {ROW_LIMIT} rows: the rest cut.")

    def template(self, lang: str, as_of: date) -> str:
        if not self.found:
            return {"fr": f"Requête refusée : {self.note}.", "ar": f"طلب مرفوض: {self.note}.",
                    "en": f"Query refused: {self.note}."}[lang]  # fmt: skip
        n = len(self.rows)
        shown = "" if self.value is None else f" : {_cell_text(self.value, lang)}"
        more = {"fr": " (tronqué)", "ar": " (مقتطع)", "en": " (truncated)"}[lang] if self.truncated else ""  # fmt: skip
        return {"fr": f"Résultat de la requête ({n} ligne{'s' if n != 1 else ''}{more}){shown}.",
                "ar": f"نتيجة الطلب ({n} سطر{more}){shown}.",
                "en": f"Query result ({n} row{'s' if n != 1 else ''}{more}){shown}."}[lang]  # fmt: skip


def _cell_text(v: Any, lang: str) -> str:
    if isinstance(v, Decimal):
        return money(v, lang)
    if isinstance(v, date):
        return day(v)
    return str(v)


# --------------------------------------------------------------------------- the typed query


def _close(session: Session, name: str, kinds: tuple[str, ...]) -> list[str]:
    return close_names(session, name, kinds, 5) or [p.name for p in parties(session, kinds)][:5]


class _Unknown(Exception):
    def __init__(self, what: str, candidates: list[str]) -> None:
        super().__init__(what)
        self.candidates = candidates


def _filters(session: Session, a: FilterArgs) -> Filters:
    f = Filters(**a.model_dump(exclude={"client", "supplier", "suppliers", "category", "invoice"}))
    if a.client:
        m = find_party(session, a.client, ("client",))
        if m.party is None:
            close = [p.name for p in m.ambiguous] or _close(session, a.client, ("client",))
            raise _Unknown(f"no client named {a.client!r}", close)
        f.client = m.party.party_id
    named = [a.supplier] if a.supplier else []
    ids: list[str] = []
    for name in named + list(a.suppliers or []):
        m = find_party(session, name, ("supplier", "payee"))
        if m.party is None:
            close = [p.name for p in m.ambiguous] or _close(session, name, ("supplier", "payee"))
            raise _Unknown(f"no supplier or payee named {name!r}", close)
        ids.append(m.party.party_id)
    if a.suppliers:
        f.suppliers = ids
    elif ids:
        f.supplier = ids[0]
    if a.category:
        code = category_code(a.category)
        if code is None:
            raise _Unknown(f"no expense category {a.category!r}", [])
        f.category = code
    if a.invoice:
        number = session.scalar(select(Invoice.number).where(Invoice.number == a.invoice.strip()))
        if number is None:
            raise _Unknown(f"no invoice numbered {a.invoice!r}", [])
        f.invoice = number
    return f


def _period(p: PeriodArgs | None) -> Period | None:
    return Period(start=p.start, end=p.end) if p is not None and (p.start or p.end) else None


def _part(session: Session, a: QueryPart) -> Query:
    return Query(
        measure=a.measure,
        filters=_filters(session, a.filters),
        period=_period(a.period),
        on=a.on,
        aggregation=a.aggregation,
        top_n=a.top_n,
    )


def typed_query(session: Session, args: QueryArgs) -> Query:
    """The executor's :class:`Query` of the model's arguments; raises ``_Unknown`` for a name,
    a category or an invoice the ledger does not hold."""
    q = _part(session, args)
    q.period2 = _period(args.period2)
    if args.combine:
        q.combine = args.combine
        if args.other is not None:
            q.other = _part(session, args.other)
        elif q.period2 is not None:  # the same measure over the second period
            q.other = q.model_copy(update={"period": q.period2, "period2": None})
        else:
            raise ValueError("a combination needs `other` or `period2`")
    return q


def _party_names(session: Session, q: Query) -> list[str]:
    by_id = {p.party_id: p.name for p in parties(session, ("client", "supplier"))}
    out = []
    for side in (q, q.other):
        if side is None:
            continue
        f = side.filters
        for pid in [f.client, f.supplier, *(f.suppliers or [])]:
            if pid and by_id.get(pid, pid) not in out:
                out.append(by_id.get(pid, pid))
    return out


def run_query(session: Session, as_of: date, args: QueryArgs) -> QueryToolResult:
    try:
        q = typed_query(session, args)
    except _Unknown as err:
        return QueryToolResult(
            tool=QUERY_TOOL, found=False, note=str(err), candidates=err.candidates
        )
    r = execute(session, q, as_of)
    out = QueryToolResult(
        tool=QUERY_TOOL,
        value=r.value if r.found else None,
        items=r.items if r.found else [],
        found=r.found,
        note=r.note,
        candidates=r.tool_result.candidates if r.tool_result is not None else [],
        query=q.model_dump(mode="python", exclude_defaults=True),
        resolved_name=_party_names(session, q),
        parts=r.parts,
        details=r.tool_result,
        low=r.low,
        low_day=r.low_day,
        end_balance=r.end_balance,
        threshold=r.threshold,
        status=r.status,
    )
    out._typed, out._result = q, r
    return out


# --------------------------------------------------------------------------- read-only SQL

# the books' tables a model may read; mail, drafts, users, sessions and replies are not books
# (and replies are untrusted text: they never reach the model through this tool)
ALLOWED_TABLES = (
    "company", "clients", "suppliers", "invoices", "invoice_lines", "payments", "allocations",
    "expenses", "bank_lines", "commitments",
)  # fmt: skip
# functions outside sqlglot's typed ones (which are plain SQL functions) a query may call
_ANONYMOUS_OK = {
    "strftime", "julianday", "date", "datetime", "ifnull", "iif", "nullif", "printf", "total",
    "group_concat", "string_agg", "date_part", "to_char", "age", "instr", "trim", "ltrim", "rtrim",
}  # fmt: skip


class SqlRefused(ValueError):
    """A statement the SQL tool will not run, and why."""


def schema_text() -> str:
    """The allowed tables and their columns, for the tool's description."""
    lines = []
    for name in ALLOWED_TABLES:
        table = Base.metadata.tables[name]
        lines.append(f"{name}({', '.join(c.name for c in table.columns)})")
    return "; ".join(lines)


@cache
def _money_names() -> frozenset[str]:
    return frozenset(
        c.name
        for name in ALLOWED_TABLES
        for c in Base.metadata.tables[name].columns
        if isinstance(c.type, Numeric) and c.type.scale == 2
    )


def money_columns(tree: Any) -> list[bool] | None:
    """Per output column of ``tree``, whether it is an amount: a money column, or an
    expression over one that is not a count. None when a ``*`` hides the columns."""
    from sqlglot import exp

    first = tree
    while isinstance(first, exp.Union | exp.Intersect | exp.Except):
        first = first.left
    if not isinstance(first, exp.Select):
        return None
    money = _money_names()
    out = []
    for p in first.expressions:
        if p.find(exp.Star) is not None:
            return None
        inner = p.this if isinstance(p, exp.Alias) else p
        out.append(
            not isinstance(inner, exp.Count)
            and any(c.name in money for c in inner.find_all(exp.Column))
        )
    return out


def checked_sql(sql: str, dialect: str) -> str:
    """``sql`` as it will run (with a row limit), or :class:`SqlRefused` saying why not."""
    return _checked(sql, dialect)[0]


def _checked(sql: str, dialect: str) -> tuple[str, list[bool] | None]:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ParseError

    try:
        statements = [s for s in sqlglot.parse(sql, read=dialect) if s is not None]
    except ParseError as err:
        raise SqlRefused(f"not valid SQL ({str(err).splitlines()[0]})") from err
    if len(statements) != 1:
        raise SqlRefused("exactly one statement is allowed")
    tree = statements[0]
    if not isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except):
        raise SqlRefused(f"only SELECT is allowed, not {tree.key.upper()}")
    forbidden = (exp.Insert, exp.Update, exp.Delete, exp.Create, exp.Drop, exp.Alter, exp.Command,
                 exp.Into, exp.Merge, exp.Set, exp.Pragma, exp.Use, exp.Transaction, exp.Lock,
                 exp.Attach, exp.Detach, exp.Copy)  # fmt: skip
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    for node in tree.walk():
        if isinstance(node, forbidden):
            raise SqlRefused(f"{node.key.upper()} is not allowed")
        if isinstance(node, exp.Table):
            if node.args.get("db") or node.args.get("catalog"):
                raise SqlRefused(f"qualified table names are not allowed ({node.sql()})")
            if not isinstance(node.this, exp.Identifier):
                raise SqlRefused("a table must be named")
            name = node.name.lower()
            if name not in ALLOWED_TABLES and name not in ctes:
                raise SqlRefused(
                    f"table {node.name!r} is not readable (tables: {', '.join(ALLOWED_TABLES)})"
                )
        if isinstance(node, exp.Anonymous) and str(node.this).lower() not in _ANONYMOUS_OK:
            raise SqlRefused(f"function {node.this}() is not allowed")
    limited = (
        tree.limit(ROW_LIMIT + 1)
        if isinstance(tree, exp.Select)
        else exp.select("*").from_(tree.subquery("q")).limit(ROW_LIMIT + 1)
    )
    current = tree.args.get("limit")
    if isinstance(tree, exp.Select) and current is not None:
        try:
            if int(current.expression.name) <= ROW_LIMIT:
                limited = tree
        except (AttributeError, ValueError):
            raise SqlRefused("LIMIT must be a number") from None
    return limited.sql(dialect=dialect), money_columns(tree)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
_IDS = (
    "number",
    "invoice_number",
    "payment_id",
    "expense_id",
    "line_id",
    "client_id",
    "supplier_id",
)


def _typed(v: Any) -> Any:
    if isinstance(v, bool) or v is None or isinstance(v, int | Decimal):
        return v.quantize(CENT, ROUND_HALF_UP) if isinstance(v, Decimal) else v
    if isinstance(v, float):  # SQLite's REAL money: two decimals at most, to the centime
        return Decimal(repr(v)).quantize(CENT, ROUND_HALF_UP)
    if isinstance(v, datetime):
        return v.date() if v.time() == datetime.min.time() else v.isoformat()
    if isinstance(v, date):
        return v
    if isinstance(v, str) and _ISO_DAY.match(v):
        try:
            return date.fromisoformat(v)
        except ValueError:
            return v
    return str(v)


def run_sql(session: Session, sql: str, *, seconds: float = SQL_SECONDS) -> SqlResult:
    """Run one checked SELECT read-only; a refused statement is a result with ``found``
    False and the reason as its note (the model may try again), never an exception."""
    conn = session.connection()
    dialect = "postgres" if conn.dialect.name == "postgresql" else conn.dialect.name
    try:
        statement, money = _checked(sql, dialect)
    except SqlRefused as err:
        return SqlResult(tool=SQL_TOOL, found=False, note=str(err))
    nested = conn.begin_nested()
    raw = conn.connection.driver_connection
    try:
        if dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA query_only = ON")
            stop = time.monotonic() + seconds
            raw.set_progress_handler(lambda: int(time.monotonic() > stop), 10_000)  # type: ignore[union-attr]
        else:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(seconds * 1000)}")
        result = conn.execute(text(statement).execution_options(no_parameters=True))
        columns = list(result.keys())
        rows = [[_typed(v) for v in row] for row in result.fetchmany(ROW_LIMIT + 1)]
    except Exception as err:  # the database refused or the budget ran out: tell the model
        reason = str(getattr(err, "orig", err)).splitlines()[0]
        if "interrupted" in reason or "statement timeout" in reason:
            reason = f"the query took more than {seconds:g} s"
        return SqlResult(tool=SQL_TOOL, found=False, note=f"the database refused it: {reason}")
    finally:
        if dialect == "sqlite":
            raw.set_progress_handler(None, 0)  # type: ignore[union-attr]
        nested.rollback()  # reverts PostgreSQL's READ ONLY; nothing was written anyway
        if dialect == "sqlite":
            conn.exec_driver_sql("PRAGMA query_only = OFF")
    truncated = len(rows) > ROW_LIMIT
    rows = rows[:ROW_LIMIT]
    names = _money_names()
    is_money = money or [c in names for c in columns]
    for row in rows:  # an amount SQLite returned as an integer is still an amount
        for i, v in enumerate(row):
            if i < len(is_money) and is_money[i] and isinstance(v, int) and not isinstance(v, bool):
                row[i] = Decimal(v).quantize(CENT)
    value = rows[0][0] if len(rows) == 1 and len(columns) == 1 else None
    if isinstance(value, bool) or not isinstance(value, Decimal | int | date | None):
        value = None
    items: list[str] = []
    for i, col in enumerate(columns):
        if col.lower() in _IDS:
            items.extend(
                str(r[i]) for r in rows if r[i] not in (None, "") and str(r[i]) not in items
            )
    return SqlResult(
        tool=SQL_TOOL, value=value, items=items, columns=columns, rows=rows, truncated=truncated,
        note=f"{len(rows)} row(s)" + (f", cut at {ROW_LIMIT}" if truncated else ""),
    )  # fmt: skip


# --------------------------------------------------------------------------- for LangChain

QUERY_DESCRIPTION = (
    "Answer a question about the books with a typed query; the ledger computes the figure "
    "(value) and the ids it rests on (items). Use this first."
)
SQL_DESCRIPTION = (
    "Read-only SQL for what the typed query cannot express: one SELECT over the tables "
    "{schema}. Amounts are dinars with 2 decimals; credit notes are invoices with status "
    "credit_note and negative totals; payments.status is cleared or rejected; a bank line's "
    "amount is negative for a debit. At most {limit} rows are returned."
)


def make_model_tools(session: Session, as_of: date) -> list[Any]:
    """``query`` and ``sql`` as LangChain tools bound to ``session`` and ``as_of``; each
    returns (JSON content for the model, the result as the message's artifact)."""
    # lazy: langchain_core.tools only on the model path
    from langchain_core.tools import StructuredTool

    def query(**kwargs: Any) -> tuple[str, QueryToolResult]:
        result = run_query(session, as_of, QueryArgs.model_validate(kwargs))
        return result.content(), result

    def sql(sql: str) -> tuple[str, SqlResult]:
        result = run_sql(session, sql)
        return result.content(), result

    return [
        StructuredTool.from_function(
            func=query, name=QUERY_TOOL, description=QUERY_DESCRIPTION, args_schema=QueryArgs,
            response_format="content_and_artifact",
        ),
        StructuredTool.from_function(
            func=sql, name=SQL_TOOL, args_schema=SqlArgs, response_format="content_and_artifact",
            description=SQL_DESCRIPTION.format(schema=schema_text(), limit=ROW_LIMIT),
        ),
    ]  # fmt: skip


__all__ = [
    "ALLOWED_TABLES", "QueryArgs", "QueryToolResult", "SqlResult", "SqlRefused", "checked_sql",
    "make_model_tools", "run_query", "run_sql", "typed_query",
]  # fmt: skip
