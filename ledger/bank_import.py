"""Import a bank statement (CSV or XLSX, as Algerian banks export them) into ``bank_lines``.

All or nothing, and streaming: rows come one at a time from :mod:`khazna.ledger.bank_read`,
every row is checked and the good ones are staged in a temporary table; every problem is
collected as ``file:line: column: message``. Only when the whole file is clean are the
staged rows copied into ``bank_lines`` by one ``INSERT … SELECT … ON CONFLICT DO NOTHING``
in the same transaction (a rollback takes the temporary table with it).

Each line gets a fingerprint, the SHA-1 of its normalised (account, date, amount in
centimes, label, reference), and its occurrence number among the identical lines of this
statement, numbered in file order by the database (``row_number()``). ``(fingerprint,
occurrence)`` is unique: an overlapping statement adds nothing for the overlap, while two
genuine identical payments on the same day stay two lines (occurrence 1 and 2).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    cast,
    func,
    insert,
    literal,
    literal_column,
    select,
    true,
)
from sqlalchemy.exc import IntegrityError

from khazna.ledger.bank_checks import (
    ALREADY,
    NEW,
    AccountRefused,
    BalanceRow,
    Existing,
    LedgerAccount,
    LineVerdict,
    Staged,
    StatementBalances,
    account_number_in,
    check_running,
    classify,
    digits,
    doubling_message,
    end_of_day_balances,
    ledger_disagreement,
    resolve_account,
    statement_balances,
)
from khazna.ledger.bank_mappings import BankMapping, normalise_header
from khazna.ledger.bank_read import (
    Layout,
    StatementError,
    numbered_title_rows,
    open_statement,
    statement_rows,
)
from khazna.ledger.csvio import Problems
from khazna.ledger.fingerprints import fingerprint as fingerprint  # re-exported
from khazna.ledger.fingerprints import norm
from khazna.ledger.models import BankLine, Company, ImportRun
from khazna.ledger.queries import cents
from khazna.money import CENT, MoneyError, parse_amount

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert
    from sqlalchemy.dialects.sqlite import Insert as SQLiteInsert

MAX_COLUMNS = 200  # a statement has a dozen columns; thousands means a wrong file or separator
MAX_SHOWN = 50
BATCH = 10_000
LINE_ID_HEX = 16  # 64 bits of the fingerprint in line_id: no collision at any realistic volume
MAX_CENTS = 10**15  # 15 significant digits: what every backend stores exactly (SQLite: doubles)
FIRST_YEAR, LAST_YEAR = 1990, 2100
log = logging.getLogger(__name__)
_DATE_LIKE = re.compile(r"\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\s*$")
_SUMMARY = re.compile(r"(total|totaux|solde|report|cumul|nouveau solde|ancien solde)\b")


class TooManyDigits(MoneyError):
    """An amount the ledger cannot store exactly (more than 15 significant digits)."""


class BadDate(ValueError):
    """A date (or its time) that reads but is not a real day in the books' range."""


class BankImportError(Exception):
    """The statement was refused; ``problems`` name the file, line and column of each."""

    def __init__(self, problems: list[str], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        more = self.total - min(len(problems), MAX_SHOWN)
        text = "\n".join(problems[:MAX_SHOWN]) + (f"\n… et {more} de plus" if more > 0 else "")
        head = f"{self.total} problèmes :\n" if self.total > 1 else ""
        super().__init__(head + text)


class BankImportResult(BaseModel):
    file: str
    mapping: str
    account: str
    rows: int
    inserted: int
    already_present: int
    skipped: int  # totals, balances and footers between or after the operations
    date_from: date | None
    date_to: date | None
    total_credit: Decimal
    total_debit: Decimal
    format: str  # "csv" or "xlsx"
    encoding: str | None  # of a CSV file
    delimiter: str | None  # of a CSV file
    account_from: str = ""  # how the account was chosen
    statement_account: str | None = None  # the account number the statement gives
    dry_run: bool = False
    forced: bool = False  # --force added lines found under another account
    balances_checked: bool = False  # the statement's balances agreed with the ledger
    also_elsewhere: dict[str, int] = {}  # other account → lines of this statement found there
    lines: list[LineVerdict] = []  # every line in a dry run; else those skipped or flagged


# ---------------------------------------------------------------------------- values


_norm = norm  # one normalisation for statement and bundle lines


def date_parser(fmt: str) -> Callable[[str], str]:
    """Text → ISO date for ``fmt`` (``dd/mm/yyyy``…): ``/ - .`` all accepted, ISO too, a
    trailing time checked (``25:99`` is no time) and ignored. A two-digit year is 20yy; a
    four-digit one is taken as written and must lie in 1990–2100 (``01/01/0001`` is an
    error, not 2001). Raises ValueError (:class:`BadDate` with the reason when the text has
    the shape of a date). Cached: a statement has few distinct dates."""
    order = [t[0] for t in re.findall(r"dd|mm|yyyy|yy", fmt)]
    year = r"\d{4}" if "yyyy" in fmt else r"\d{2}|\d{4}"
    part = {"d": r"(\d{1,2})", "m": r"(\d{1,2})", "y": rf"({year})"}
    time = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    rx = re.compile(r"[/.\-]".join(part[o] for o in order) + time)
    iso = re.compile(r"(\d{4})-(\d{2})-(\d{2})" + time)
    cache: dict[str, str] = {}

    def real(text: str, y: int, m: int, d: int, hh: str | None, mm: str | None,
             ss: str | None) -> str:  # fmt: skip
        if hh is not None and (int(hh) > 23 or int(mm or 0) > 59 or int(ss or 0) > 59):
            raise BadDate(f"{text!r}: {hh}:{mm}{':' + ss if ss else ''} n'est pas une heure")
        if not FIRST_YEAR <= y <= LAST_YEAR:
            raise BadDate(f"{text!r}: l'année {y} est hors de {FIRST_YEAR}–{LAST_YEAR}")
        try:
            return date(y, m, d).isoformat()
        except ValueError:  # 31/02, month 13: "is not a date (expected dd/mm/yyyy)"
            raise ValueError(text) from None

    def parse(text: str) -> str:
        d = cache.get(text)
        if d is not None:
            return d
        if m := rx.fullmatch(text):
            n = len(order)
            raw = dict(zip(order, m.groups()[:n], strict=True))
            y = int(raw["y"]) + 2000 if len(raw["y"]) == 2 else int(raw["y"])
            d = real(text, y, int(raw["m"]), int(raw["d"]), *m.groups()[n:])
        elif m := iso.fullmatch(text):
            d = real(text, int(m[1]), int(m[2]), int(m[3]), m[4], m[5], m[6])
        else:
            raise ValueError(text)
        if len(cache) < 100_000:
            cache[text] = d
        return d

    return parse


def amount_parser(decimal_sep: str) -> Callable[[str], int]:
    """Text → integer centimes. The usual shapes (``-1 234 567,89``) take an exact integer
    path; anything else goes through :func:`khazna.money.parse_amount`. Raises MoneyError."""
    group = "." if decimal_sep == "," else ","
    fast = re.compile(
        rf"(-?)(\d{{1,3}}(?:[ \u00a0\u202f{re.escape(group)}]\d{{3}})+|\d+)"
        rf"(?:{re.escape(decimal_sep)}(\d{{1,2}}))?"
    )
    drop = str.maketrans("", "", " \u00a0\u202f" + group)

    def parse(text: str) -> int:
        if m := fast.fullmatch(text):
            sign, units, frac = m.groups()
            digits = units.translate(drop)
            if len(digits) > 13:  # checked on the text: a 4 300-digit int is slow to build
                raise TooManyDigits(_too_many(text))
            cents = int(digits) * 100 + (int(frac.ljust(2, "0")) if frac else 0)
            return -cents if sign else cents
        try:
            value = parse_amount(text, decimal_sep)
        except (ArithmeticError, IndexError) as err:  # parse_amount("-") raises IndexError
            raise MoneyError(f"pas un montant : {text!r}") from err
        if len(value.as_tuple().digits) > 40 or abs(value) * 100 >= MAX_CENTS:
            raise TooManyDigits(_too_many(text))
        if value != value.quantize(CENT):
            raise MoneyError(f"plus de deux décimales : {text!r}")
        return int(value * 100)

    return parse


def _too_many(text: str) -> str:
    return (
        f"{text!r} a plus de 15 chiffres significatifs (13 au plus avant la virgule) : il ne "
        "peut pas être gardé exactement"
    )


# ---------------------------------------------------------------------------- checking


@dataclass
class Totals:
    rows: int = 0
    skipped: int = 0
    # rows without an operation (totals, balances, footers): the first ones and the last
    summaries: list[tuple[int, list[str]]] = field(default_factory=list)
    tail: deque[tuple[int, list[str]]] = field(default_factory=lambda: deque(maxlen=10))
    first_line: int | None = None  # of the operations, in file order
    last_line: int | None = None

    def keep(self, line: int, cells: list[str]) -> None:
        if len(self.summaries) < 20:
            self.summaries.append((line, cells))
        else:
            self.tail.append((line, cells))

    credit: int = 0  # centimes
    debit: int = 0
    first: str | None = None  # ISO dates
    last: str | None = None


def check_rows(
    layout: Layout,
    rows: Iterator[tuple[int, list[str]]],
    account: str,
    problems: Problems,
    totals: Totals,
) -> Iterator[tuple]:
    """Checked lines ``(line, fingerprint, iso date, label, cents, reference, iso value
    date or None, balance in centimes or None)``, lazily.

    Every bad row adds to ``problems``; after the first problem nothing more is yielded,
    but the rest of the file is still checked. This is the hot loop of a 1M-line import:
    it stays flat, with locals (see benchmarks/bench_import_bank.py).
    """
    m, pos, heads = layout.mapping, layout.header.positions, layout.header.headers
    parse_date, parse_cents = date_parser(m.date_format), amount_parser(m.decimal_separator)
    i_date, i_label, i_ref, i_vd = (
        pos["date"],
        pos["label"],
        pos.get("reference"),
        pos.get("value_date"),
    )
    i_amt, i_bal = pos.get("amount"), pos.get("balance")
    # A layout's header has every required column (find_header): a signed amount, or else
    # both debit and credit; the two positions are read only when there is no amount column.
    i_deb, i_cred = (pos["debit"], pos["credit"]) if i_amt is None else (-1, -1)
    ref_head = heads[i_ref] if i_ref is not None else ""  # named only when a reference is read
    money_cols = [pos[k] for k in ("amount", "debit", "credit") if k in pos]
    need, acct, fmt = max(pos.values()) + 1, _norm(account), m.date_format
    sha1, nfc = hashlib.sha1, unicodedata.normalize

    def cents_of(line: int, i: int, t: str) -> int | None:
        try:
            return parse_cents(t)
        except TooManyDigits as err:
            problems.at(line, heads[i], str(err))
            return None
        except MoneyError:
            problems.at(line, heads[i], f"{t!r} n'est pas un montant")
            return None

    for line, cells in rows:
        n = len(cells)
        if n > MAX_COLUMNS:
            while cells and not cells[-1].strip():
                cells.pop()
            if len(cells) > MAX_COLUMNS:
                problems.at(line, None, f"{n} colonnes, un relevé en a {MAX_COLUMNS} au plus : "
                             "mauvais séparateur, ou pas un relevé ?")  # fmt: skip
                continue
            n = len(cells)
        if n < need:
            cells = cells + [""] * (need - n)
        ds = cells[i_date].strip()
        if not ds:
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if not any(cells[i].strip() for i in money_cols) or _SUMMARY.match(
                normalise_header(cells[i_label])
            ):
                totals.skipped += 1  # a total, a balance or a footer: not an operation
                totals.keep(line, cells)
                continue
        elif not any(cells[i].strip() for i in money_cols) and (
            _SUMMARY.match(normalise_header(cells[i_label])) or _SUMMARY.match(normalise_header(ds))
        ):
            totals.skipped += 1  # "31/08/2026;Solde précédent;;;1 234,56", "Solde au …;;;1 234,56"
            totals.keep(line, cells)
            continue
        day = None
        try:
            day = parse_date(ds)
        except BadDate as err:
            problems.at(line, heads[i_date], str(err))
        except ValueError:
            if ds and not _DATE_LIKE.match(ds) and not any(cells[i].strip() for i in money_cols):
                totals.skipped += 1  # a footer or page line ("Document édité le …"): no amount
                totals.keep(line, cells)
                continue
            problems.at(line, heads[i_date], (f"{ds!r} n'est pas une date" if ds else "la date est vide")
                         + f" (attendu {fmt})")  # fmt: skip
        value_day = None
        if i_vd is not None and (vd := cells[i_vd].strip()):
            try:
                value_day = parse_date(vd)
            except BadDate as err:
                problems.at(line, heads[i_vd], str(err))
            except ValueError:
                problems.at(line, heads[i_vd], f"{vd!r} n'est pas une date (attendu {fmt})")
        balance = None
        if i_bal is not None and (tb := cells[i_bal].strip()):
            balance = cents_of(line, i_bal, tb)
        cents = None
        if i_amt is not None:
            if t := cells[i_amt].strip():
                cents = cents_of(line, i_amt, t)
            else:
                problems.at(line, heads[i_amt], "le montant est vide")
        else:
            td, tc = cells[i_deb].strip(), cells[i_cred].strip()
            deb = cents_of(line, i_deb, td) if td else 0
            cred = cents_of(line, i_cred, tc) if tc else 0
            if deb is None or cred is None:
                pass
            elif deb and cred:
                problems.at(
                    line,
                    f"{heads[i_deb]}/{heads[i_cred]}",
                    "débit et crédit sont tous deux remplis",
                )
            elif cred < 0:
                problems.at(line, heads[i_cred], f"{tc!r}: un crédit négatif")
            elif deb:
                cents = -deb if deb > 0 else deb  # some banks print debits negative
            elif cred or td or tc:
                cents = cred  # may be an explicit 0,00
            else:
                problems.at(
                    line, f"{heads[i_deb]}/{heads[i_cred]}", "ni débit ni crédit n'est rempli"
                )
        ref = cells[i_ref].strip() if i_ref is not None else ""
        if len(ref) > 120:
            problems.at(line, ref_head, f"plus de 120 caractères ({len(ref)})")
            continue
        if day is None or cents is None or problems.count:
            continue
        label = cells[i_label].strip()
        totals.rows += 1
        if totals.first_line is None:
            totals.first_line = line
        totals.last_line = line
        if cents >= 0:
            totals.credit += cents
        else:
            totals.debit -= cents
        if totals.first is None or day < totals.first:
            totals.first = day
        if totals.last is None or day > totals.last:
            totals.last = day
        # the fingerprint's normalisation (as in fingerprint()), inlined for speed
        lab = " ".join(label.split()).casefold()
        if not lab.isascii():
            lab = nfc("NFC", lab)
        r = " ".join(ref.split()).casefold() if ref else ""
        if not r.isascii():
            r = nfc("NFC", r)
        key = f"{acct}\x1f{day}\x1f{cents}\x1f{lab}\x1f{r}"
        yield line, sha1(key.encode()).hexdigest(), day, label, cents, ref, value_day, balance


# ---------------------------------------------------------------------------- storing


def _staging_table() -> Table:
    return Table(
        "khazna_bank_staging",
        MetaData(),
        Column("line_no", Integer, nullable=False),
        Column("fingerprint", String(40), nullable=False),
        Column("date", String(10), nullable=False),  # ISO, as SQLite stores a Date
        Column("label", Text, nullable=False),
        Column("cents", BigInteger, nullable=False),
        Column("reference", String(120), nullable=False),
        Column("value_date", String(10), nullable=True),
        Column("balance", BigInteger, nullable=True),
        prefixes=["TEMPORARY"],
    )


def _staging_insert_sql(dialect, st: Table) -> str:
    """Plain driver SQL for the staging rows: SQLAlchemy's per-row processing of executemany
    cost a third of the import time, and these rows are already exact strings and ints."""
    ph = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if ph is None:
        raise BankImportError([f"bank import does not support the {dialect.name} driver"])
    cols = ", ".join(c.name for c in st.columns)
    return f"INSERT INTO {st.name} ({cols}) VALUES ({', '.join([ph] * len(st.columns))})"


def _insert_from_staging(
    dialect: str, st: Table, account: str, source: str
) -> SQLiteInsert | PgInsert:
    # Both dialects' Insert have on_conflict_do_nothing(index_elements=...), with different
    # types: the union keeps the chain below checked.
    dialect_insert: Callable[[Table], SQLiteInsert | PgInsert]
    if dialect == "sqlite":
        # lazy: the dialect of the ledger in use only
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        dialect_insert = sqlite_insert
    elif dialect == "postgresql":
        # lazy: the dialect of the ledger in use only
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        dialect_insert = pg_insert
    else:
        raise BankImportError([f"bank import supports SQLite and PostgreSQL, not {dialect}"])
    occ = func.row_number().over(partition_by=st.c.fingerprint, order_by=st.c.line_no)
    inner = select(st, occ.label("occurrence")).subquery()
    text = String()
    line_id = (
        cast(literal("BK-"), text)
        + func.substr(inner.c.fingerprint, 1, LINE_ID_HEX)
        + cast(literal("-"), text)
        + cast(inner.c.occurrence, text)
    )
    pg = dialect == "postgresql"
    day = cast(inner.c.date, Date) if pg else inner.c.date
    value_day = cast(inner.c.value_date, Date) if pg else inner.c.value_date
    rows = (
        select(
            line_id,
            cast(literal(account), text),
            day,
            inner.c.label,
            inner.c.cents / literal_column("100.0"),  # numeric on PostgreSQL: exact
            inner.c.reference,
            inner.c.fingerprint,
            inner.c.occurrence,
            cast(literal(source), text),
            value_day,
        )
        .where(true())  # SQLite needs a WHERE before ON CONFLICT in INSERT … SELECT
        # In fingerprint order (the window's own order, so no extra sort) the two unique
        # indexes grow in order (line_id starts with the fingerprint): faster than file order.
        .order_by(inner.c.fingerprint, inner.c.occurrence)
    )
    t = BankLine.__table__
    assert isinstance(t, Table), "a declarative model maps one Table"
    cols = ["line_id", "account", "date", "label", "amount", "reference", "fingerprint",
            "occurrence", "source", "value_date"]  # fmt: skip
    return (
        dialect_insert(t)
        .from_select([t.c[c] for c in cols], rows)
        .on_conflict_do_nothing(index_elements=["fingerprint", "occurrence"])
    )


def _ledger_accounts(conn) -> list[LedgerAccount]:
    rows = conn.execute(
        select(BankLine.account, func.count(), func.max(BankLine.date))
        .group_by(BankLine.account)
        .order_by(BankLine.account)
    ).all()
    return [LedgerAccount(a, n, d) for a, n, d in rows]


def _statement_number(layout: Layout, titles: list[list[str]]) -> str | None:
    """The account number the statement gives: in its title rows, or its account column
    (one account per file: a column naming several is refused)."""
    number = account_number_in(titles)
    i_acc = layout.header.positions.get("account")
    if number is not None or i_acc is None:
        return number
    seen: set[str] = set()
    for _, cells in statement_rows(layout):
        if i_acc < len(cells) and (d := digits(cells[i_acc])):
            seen.add(d)
            if len(seen) > 1:
                raise BankImportError(
                    [
                        f"{layout.path.name}: la colonne '{layout.header.headers[i_acc]}' nomme "
                        f"plusieurs comptes ({', '.join(sorted(seen))}) : importez le relevé "
                        "d'un seul compte à la fois"
                    ]  # fmt: skip
                )
    return next(iter(seen), None)


EXACT_TABLE = "khazna_bank_exact"
VALUE_DATE_DAYS = 7  # how far a value date may lie from its operation date
MAX_VERDICTS = 5000  # lines listed in a result (a dry run of a million lines lists these)


def _exact_table() -> Table:
    return Table(
        EXACT_TABLE,
        MetaData(),
        Column("line_id", String(80), primary_key=True),
        Column("line_no", Integer, nullable=False, index=True),
        prefixes=["TEMPORARY"],
    )


def _fill_exact(exact: Table, st: Table):
    """Staged lines whose (fingerprint, occurrence) is already a ledger line."""
    occ = func.row_number().over(partition_by=st.c.fingerprint, order_by=st.c.line_no)
    inner = select(st.c.line_no, st.c.fingerprint, occ.label("occurrence")).subquery()
    found = select(BankLine.line_id, inner.c.line_no).join(
        BankLine,
        (BankLine.fingerprint == inner.c.fingerprint) & (BankLine.occurrence == inner.c.occurrence),
    )
    return insert(exact).from_select(["line_id", "line_no"], found)


def _iso(day) -> str | None:
    return None if day is None else str(day)[:10]


def _newest_first(conn, st: Table) -> bool:
    """A statement listed newest first (its first line later than its last)."""
    first = conn.scalar(select(st.c.date).order_by(st.c.line_no).limit(1))
    last = conn.scalar(select(st.c.date).order_by(st.c.line_no.desc()).limit(1))
    return first is not None and last is not None and str(first) > str(last)


def _existing_lines(
    conn, first: str, last: str, exact: Table
) -> dict[tuple[str, int], list[Existing]]:
    """The ledger's lines of the period in every account, those matched exactly left out."""
    # a value date is at most a few days from its operation date: lines dated just outside
    # the period may carry one of its days
    lo = date.fromisoformat(first) - timedelta(days=VALUE_DATE_DAYS)
    hi = date.fromisoformat(last) + timedelta(days=VALUE_DATE_DAYS)
    rows = conn.execute(
        select(
            BankLine.line_id,
            BankLine.account,
            BankLine.date,
            cents(BankLine.amount),
            BankLine.label,
            BankLine.reference,
            BankLine.fingerprint,
            BankLine.occurrence,
            BankLine.value_date,
        )
        .outerjoin(exact, exact.c.line_id == BankLine.line_id)
        .where(BankLine.date >= lo, BankLine.date <= hi, exact.c.line_id.is_(None))
    )
    out: dict[tuple[str, int], list[Existing]] = {}
    for line_id, acct, day, c, label, ref, fp, occ, vd in rows:
        iso, viso = day.isoformat(), vd.isoformat() if vd else None
        e = Existing(line_id, acct, label or "", ref or "", fp, occ, iso, viso)
        out.setdefault((iso, int(c)), []).append(e)
        if viso and viso != iso:
            out.setdefault((viso, int(c)), []).append(e)
    return out


def _ledger_check(conn, name: str, account: str, eod: list[tuple[str, int, int]]) -> str | None:
    """The ledger's balance of the account after the import, day by day, against the
    statement's end-of-day balances ``eod``."""
    first_day, last_day = date.fromisoformat(eod[0][0]), date.fromisoformat(eod[-1][0])
    company = conn.execute(select(Company.opening_balance, Company.opening_date)).first()
    only = [a.account for a in _ledger_accounts(conn)] == [account]
    opening = None
    where = [BankLine.account == account, BankLine.date <= last_day]
    if only and company is not None and company.opening_date <= first_day:
        opening = int(company.opening_balance * 100)
        where.append(BankLine.date >= company.opening_date)
    per_day = conn.execute(
        select(BankLine.date, func.sum(cents(BankLine.amount)))
        .where(*where)
        .group_by(BankLine.date)
        .order_by(BankLine.date)
    ).all()
    cum: dict[str, int] = {}
    running, k = 0, 0
    for day, _, _ in eod:
        while k < len(per_day) and per_day[k][0].isoformat() <= day:
            running += int(per_day[k][1])
            k += 1
        cum[day] = running
    return ledger_disagreement(name, account, eod, cum, opening)


def import_bank_statement(
    engine: Engine,
    path: Path,
    mappings: list[BankMapping],
    *,
    mapping_name: str | None = None,
    account: str | None = None,
    encoding: str | None = None,
    now: datetime | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> BankImportResult:
    """Check the whole statement, then store its lines in one transaction, or none.

    The account comes from ``account``, else from the statement's own account number
    matched against the ledger's accounts (:func:`bank_checks.resolve_account`). Lines
    already in the ledger are skipped; a statement mostly found under another account is
    refused (``force`` adds it anyway); balances printed on the statement must agree with
    the ledger after the import. ``dry_run`` does all of it and writes nothing.

    Raises :class:`BankImportError` listing every problem (``file:line: column: message``).
    """
    try:
        layout = open_statement(path, mappings, mapping_name=mapping_name, encoding=encoding)
        numbered_titles = numbered_title_rows(layout)
        titles = [cells for _, cells in numbered_titles]
    except StatementError as err:
        raise BankImportError([str(err)]) from None
    number = _statement_number(layout, titles)
    problems, totals = Problems(path.name, limit=MAX_SHOWN), Totals()
    st, t0 = _staging_table(), time.perf_counter()
    with engine.connect() as conn:
        staging_sql = _staging_insert_sql(conn.dialect, st)
        sqlite = conn.dialect.name == "sqlite"
        temp_schema = "temp" if sqlite else "pg_temp"
        try:
            with conn.begin() as tx:
                try:
                    acct, acct_from = resolve_account(
                        (account or "").strip() or None,
                        number,
                        layout.mapping.account,
                        _ledger_accounts(conn),
                        force=force,
                        company_rib=conn.scalar(select(Company.rib)) or "",
                    )
                except AccountRefused as err:
                    raise BankImportError([f"{path.name}: {err}"]) from None
                if not acct or len(acct) > 60:
                    raise BankImportError(
                        [f"l'identifiant du compte a de 1 à 60 caractères, pas {acct!r}"]
                    )
                # pysqlite runs DDL outside the transaction: a failed import's staging table
                # may still be on this pooled connection.
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {temp_schema}.{st.name}")
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {temp_schema}.{EXACT_TABLE}")
                if sqlite:
                    # 64 MiB of page cache for this import: random fingerprints thrash the
                    # default 2 MiB (1M lines: 15 s → 8 s of CPU; more cache gained nothing).
                    conn.exec_driver_sql("PRAGMA cache_size=-65536")
                st.create(conn)
                batch: list[tuple] = []
                balances = 0
                try:
                    for row in check_rows(layout, statement_rows(layout), acct, problems, totals):
                        balances += row[-1] is not None
                        batch.append(row)
                        if len(batch) >= BATCH:
                            conn.exec_driver_sql(staging_sql, batch)
                            batch.clear()
                except StatementError as err:  # unreadable from here on (a bad byte…)
                    problems.note(str(err))
                if problems.count:
                    raise BankImportError(problems.items, problems.count)
                if batch:
                    conn.exec_driver_sql(staging_sql, batch)
                log.info(
                    "checked and staged %d lines in %.1f s", totals.rows, time.perf_counter() - t0
                )
                parse_cents = amount_parser(layout.mapping.decimal_separator)
                given = StatementBalances()
                if totals.first_line is not None:
                    given = statement_balances(
                        numbered_titles + totals.summaries + list(totals.tail),
                        parse_cents,
                        totals.first_line,
                        totals.last_line or totals.first_line,
                        date.fromisoformat(totals.first or ""),
                        date.fromisoformat(totals.last or ""),
                        _newest_first(conn, st),
                    )
                staged_rows = select(
                    st.c.line_no, st.c.fingerprint, st.c.date, st.c.label, st.c.cents,
                    st.c.reference, st.c.balance, st.c.value_date,
                )  # fmt: skip
                # Statement lines already in the ledger exactly (same fingerprint and
                # occurrence, so the same account): found in SQL, counted, a few shown.
                exact = _exact_table()
                exact.create(conn)
                near = timedelta(days=VALUE_DATE_DAYS)
                in_period = totals.first is not None and bool(
                    conn.scalar(
                        select(func.count())
                        .select_from(BankLine)
                        .where(BankLine.date >= date.fromisoformat(totals.first) - near,
                               BankLine.date <= date.fromisoformat(totals.last or totals.first)
                               + near)
                    )
                )  # fmt: skip
                verdicts: list[LineVerdict] = []
                if in_period:
                    conn.execute(_fill_exact(exact, st))
                    for line, day, label, c, line_id in conn.execute(
                        select(st.c.line_no, st.c.date, st.c.label, st.c.cents, exact.c.line_id)
                        .join(exact, exact.c.line_no == st.c.line_no)
                        .order_by(st.c.line_no)
                        .limit(MAX_VERDICTS)
                    ):
                        verdicts.append(LineVerdict(
                            line=line, date=date.fromisoformat(str(day)),
                            amount=Decimal(c).scaleb(-2), label=label, action="skip",
                            reason=ALREADY, matches=line_id,
                        ))  # fmt: skip
                # The other lines against every account's lines of the same day and amount
                # (those exactly matched left out): only when the period holds any.
                not_exact = staged_rows.outerjoin(exact, exact.c.line_no == st.c.line_no).where(
                    exact.c.line_no.is_(None)
                )
                staged: list[Staged] = []
                if in_period:
                    staged = [
                        Staged(*r[:6], balance=r[6], value_day=_iso(r[7]))
                        for r in conn.execute(not_exact.order_by(st.c.line_no))
                    ]
                elif dry_run:
                    staged = [
                        Staged(*r[:6], balance=r[6], value_day=_iso(r[7]))
                        for r in conn.execute(not_exact.order_by(st.c.line_no).limit(MAX_VERDICTS))
                    ]
                existing = (
                    _existing_lines(conn, totals.first or "", totals.last or "", exact)
                    if in_period
                    else {}
                )
                found = classify(staged, existing, acct)
                if found.found_elsewhere * 2 > totals.rows and not force:
                    raise BankImportError(
                        [f"{path.name}: {doubling_message(found, totals.rows, acct)}"]
                    )
                # The statement's balances, read in date order straight from the staging
                # table (before same-operation lines leave it: they count in the balances).
                reconciled = bool(balances or given.opening or given.closing)
                eod: list[tuple[str, int, int]] = []
                if reconciled:

                    def chronological() -> Iterator[BalanceRow]:
                        by_line = st.c.line_no.desc() if _newest_first(conn, st) else st.c.line_no
                        for line, day, c, bal in conn.execute(
                            select(st.c.line_no, st.c.date, st.c.cents, st.c.balance).order_by(
                                by_line
                            )
                        ):
                            yield BalanceRow(line, str(day), c, bal)

                    if problem := check_running(chronological(), given, path.name):
                        raise BankImportError([problem])
                    eod = end_of_day_balances(chronological(), given)
                for i in range(0, len(found.skip_lines), 500):
                    conn.execute(st.delete().where(st.c.line_no.in_(found.skip_lines[i : i + 500])))
                insert_lines = _insert_from_staging(conn.dialect.name, st, acct, path.name[:200])
                # rowcount of an INSERT is only kept on request (SQLAlchemy 2: -1 otherwise
                # on psycopg)
                inserted = conn.execute(
                    insert_lines, execution_options={"preserve_rowcount": True}
                ).rowcount
                log.info("inserted %d new lines at %.1f s", inserted, time.perf_counter() - t0)
                if eod and (problem := _ledger_check(conn, path.name, acct, eod)):
                    raise BankImportError([problem])
                shown = sorted(
                    verdicts + [v for v in found.verdicts if dry_run or v.reason != NEW],
                    key=lambda v: v.line,
                )[:MAX_VERDICTS]
                result = BankImportResult(
                    file=str(path),
                    mapping=layout.mapping.name,
                    account=acct,
                    account_from=acct_from,
                    statement_account=number,
                    rows=totals.rows,
                    inserted=inserted,
                    already_present=totals.rows - inserted,
                    skipped=totals.skipped,
                    date_from=date.fromisoformat(totals.first) if totals.first else None,
                    date_to=date.fromisoformat(totals.last) if totals.last else None,
                    total_credit=Decimal(totals.credit).scaleb(-2),
                    total_debit=Decimal(totals.debit).scaleb(-2),
                    format=layout.kind,
                    encoding=layout.encoding if layout.kind == "csv" else None,
                    delimiter=layout.delimiter if layout.kind == "csv" else None,
                    dry_run=dry_run,
                    forced=force and found.found_elsewhere * 2 > totals.rows,
                    balances_checked=reconciled,
                    also_elsewhere=found.accounts_elsewhere(),
                    lines=shown,
                )
                if dry_run:
                    tx.rollback()
                else:
                    conn.execute(
                        insert(ImportRun).values(
                            kind="bank",
                            source=str(path),
                            at=now or datetime.now(),
                            counts=result.model_dump(mode="json", exclude={"file", "lines"}),
                        )
                    )
                    st.drop(conn)
                    exact.drop(conn)
            log.info("committed at %.1f s", time.perf_counter() - t0)
        except IntegrityError as err:
            raise BankImportError(
                [
                    f"{path.name}: un identifiant de ligne existe déjà pour une autre ligne ({err.orig})"
                ]
            ) from None
        finally:  # the connection goes back to the pool
            conn.rollback()
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {temp_schema}.{st.name}")
            conn.exec_driver_sql(f"DROP TABLE IF EXISTS {temp_schema}.{EXACT_TABLE}")
            if sqlite:
                conn.exec_driver_sql("PRAGMA cache_size=-2000")
            conn.commit()
    return result
