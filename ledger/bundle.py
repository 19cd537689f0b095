"""Import and export of ledger bundles (``spec/bundle.md``).

An import is one transaction: every file is read and checked, every problem is listed as
``file:line: column: message``, and only a bundle with no problem is committed. Records
are keyed by their ids, so importing the same bundle twice changes nothing. Records the
books rest on (invoices and their lines, payments, bank lines, documents) are never edited
in place: a re-import that changes one is refused (use ``replace``, or record a
correction). Reference data (clients, suppliers, commitments, interactions, the policy)
is updated.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from operator import attrgetter, itemgetter, mul
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Connection, Date, Table, insert, literal, select, text
from sqlalchemy.orm import Session

from khazna.filenames import UnsafePathError, inside, name_of, safe_name
from khazna.ledger import bundle_spec as bs
from khazna.ledger.bundle_columns import ColumnReader
from khazna.ledger.csvio import (
    Problems,
    ReadState,
    Unusual,
    neutralise,
    read_blocks,
    read_cells,
    restore,
)
from khazna.ledger.db import Ledger
from khazna.ledger.documents import INVOICE_KIND, piece_of
from khazna.ledger.fingerprints import Fingerprints
from khazna.ledger.models import (
    Allocation,
    BankLine,
    Client,
    Commitment,
    Company,
    Document,
    Expense,
    ImportRun,
    Interaction,
    Invoice,
    InvoiceLine,
    Payment,
    Setting,
    Supplier,
)
from khazna.ledger.policy import Policy, PolicyError, get_policy_json, policy_to_json
from khazna.ledger.replace import Replaced, clear_books, put_back
from khazna.text import count

MAX_FILE_BYTES = 1 << 30  # bank statements of any size go through `khazna import-bank`
BATCH = 5000
COLUMN_BLOCK = 50_000  # rows read, checked and inserted at a time by the columnar path
# files read a column at a time (``bundle_columns``); the others are small, read row by row
COLUMNAR = {
    "clients.csv",
    "suppliers.csv",
    "invoices.csv",
    "payments.csv",
    "expenses.csv",
    "bank_lines.csv",
    "interactions.csv",
}
IMPORT_CACHE_KIB = 256 * 1024  # SQLite page cache during an import
DEFER_INDEXES_BYTES = 4 << 20  # a file this large fills an empty table before its indexes

MODELS: dict[str, Any] = {
    "clients.csv": Client,
    "suppliers.csv": Supplier,
    "invoices.csv": Invoice,
    "invoice_lines.csv": InvoiceLine,
    "payments.csv": Payment,
    "expenses.csv": Expense,
    "bank_lines.csv": BankLine,
    "commitments.csv": Commitment,
    "interactions.csv": Interaction,
}
IMMUTABLE_FILES = {"invoices.csv", "invoice_lines.csv", "payments.csv", "bank_lines.csv"}
COMPANY_FIELDS = (
    "name",
    "legal_form",
    "capital",
    "address",
    "rc",
    "nif",
    "nis",
    "ai",
    "rib",
    "email",
    "phone",
    "language",
    "opening_balance",
    "opening_date",
)


class BundleError(Exception):
    """A refused bundle; ``problems`` lists every ``file:line: column: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"bundle refused: {len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)  # new records per file
    unchanged: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # --replace: rows deleted and kept per table (``ledger.replace``); empty otherwise
    deleted: dict[str, int] = field(default_factory=dict)
    kept: dict[str, int] = field(default_factory=dict)


def _load_json(text: str) -> Any:
    """``json.loads`` with exact decimals; nesting too deep for the parser, or a number too
    long to read, is a :class:`json.JSONDecodeError` like any other bad JSON."""
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("nested too deep", text, 0) from None
    except ValueError as err:  # e.g. an integer of more than 4300 digits
        raise json.JSONDecodeError(str(err), text, 0) from None


def _plain(value: Any) -> Any:
    """A JSON value with its decimals as text (exact), at any depth: stored as it came."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _json_line(text: str, key: str) -> int:
    m = re.search(rf'"{re.escape(key)}"\s*:', text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _read_company(
    path: Path, problems: Problems, warnings: list[str] | None = None
) -> dict[str, Any] | None:
    name = "company.json"
    try:
        text = path.read_bytes().decode("utf-8-sig")
        raw = _load_json(text)
    except UnicodeDecodeError as err:
        problems.add(
            name, "-", f"byte {err.start}", "pas en UTF-8 ; enregistrez le fichier en UTF-8"
        )
        return None
    except json.JSONDecodeError as err:
        problems.add(name, err.lineno, f"char {err.colno}", f"JSON invalide : {err.msg}")
        return None
    if not isinstance(raw, dict):
        problems.add(name, 1, "-", "doit être un objet JSON")
        return None
    out: dict[str, Any] = {}
    for key in ("name", "opening_balance", "opening_date"):
        if raw.get(key) in (None, ""):
            problems.add(name, _json_line(text, key), key, "obligatoire")
    for key in COMPANY_FIELDS:
        value = raw.get(key)
        if value is None:
            continue
        line = _json_line(text, key)
        try:
            if key in ("capital", "opening_balance"):
                if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
                    raise bs.Invalid(f"pas un montant : {value!r}")
                out[key] = bs.money(str(value))
            elif key == "opening_date":
                out[key] = bs.iso_date(str(value))
            elif key == "language":
                out[key] = bs.one_of("fr", "ar")(str(value))
            elif key == "email":
                out[key] = bs.email(str(value))
            elif isinstance(value, dict | list):
                raise bs.Invalid("un texte est attendu, pas un objet ni une liste JSON")
            else:
                out[key] = _clean_text(
                    str(value), name, line, key, problems, [] if warnings is None else warnings
                )
        except bs.Invalid as err:
            problems.add(name, line, key, str(err))
    out["extra"] = {k: _plain(v) for k, v in raw.items() if k not in COMPANY_FIELDS}
    return out


def _clean_text(
    v: str, file: str, line: int | str, col: str, problems: Problems, warnings: list[str]
) -> str:
    """A free text without the control characters no text needs (TAB, LF, CR stay); their
    removal is said as a warning of that cell."""
    cleaned = bs.TEXT_CONTROLS.sub("", v)
    if cleaned != v:
        n = len(v) - len(cleaned)
        warnings.append(
            f"{file}:{line}: {col}: {count(n, 'caractère de contrôle retiré', 'caractères de contrôle retirés')}"
        )
    return cleaned


def _read_policy(path: Path, problems: Problems, warnings: list[str]) -> dict[str, Any] | None:
    try:
        text = path.read_bytes().decode("utf-8-sig")
        raw = _load_json(text)
        return policy_to_json(Policy.from_json(raw, warnings=warnings))
    except UnicodeDecodeError as err:
        problems.add(
            "policy.json",
            "-",
            f"byte {err.start}",
            "pas en UTF-8 ; enregistrez le fichier en UTF-8",
        )
    except json.JSONDecodeError as err:
        problems.add("policy.json", err.lineno, f"char {err.colno}", f"JSON invalide : {err.msg}")
    except PolicyError as err:
        for where, msg in err.problems:
            problems.add("policy.json", _json_line(text, where.split(".")[-1]), where, msg)
    return None


_HUNDRED = partial(mul, 100)  # amount → centimes (then int), as the row-by-row path computes
MEMO_MAX = 50_000  # remembered results per column of few values (dates, enumerations)


class _RowReader:
    """Reads the cells of one file's rows into records, column by column as the spec says;
    the plan (which cell, which parser) is made once per file, and the results of parsers
    of few values (``bundle_spec.FEW_VALUES``) are remembered."""

    def __init__(self, spec: bs.FileSpec, header: list[str], problems: Problems,
                 warnings: list[str]) -> None:  # fmt: skip
        self.name, self.problems, self.warnings = spec.name, problems, warnings
        at = {h: i for i, h in enumerate(header)}  # a column named twice is already a problem
        self.plan: list[tuple[str, int, Any, bool, Any, dict | None, bool]] = [
            (col, at.get(col, -1), cs.parse, cs.required, cs.default,
             {} if cs.parse in bs.FEW_VALUES else None, cs.parse is bs.text)
            for col, cs in spec.columns.items()
        ]  # fmt: skip

    def read(self, line: int, cells: list[str]) -> dict | None:
        out: dict[str, Any] = {}
        ok = True
        controls = bs.TEXT_CONTROLS.search
        for col, i, parse, required, default, memo, is_text in self.plan:
            v = cells[i] if i >= 0 else ""
            # a cell `khazna export` wrote as '=... (spreadsheets run no formula) reads back exact
            if (
                v[:1] == "'"
            ):  # only such a cell can need restoring (the common case skips the regex)
                v = restore(v)
            if is_text:
                if controls(v):
                    v = _clean_text(v, self.name, line, col, self.problems, self.warnings)
                if v or not required:
                    out[col] = v if v else default
                    continue
            if v == "":
                if required:
                    self.problems.add(self.name, line, col, "valeur obligatoire vide")
                    ok = False
                out[col] = default
                continue
            if memo is not None:
                got = memo.get(v, memo)
                if got is not memo:
                    out[col] = got
                    continue
            try:
                out[col] = value = parse(v)
            except bs.Invalid as err:
                self.problems.add(self.name, line, col, str(err))
                ok = False
                continue
            if memo is not None and len(memo) < MEMO_MAX:
                memo[v] = value
        return out if ok else None


class _InvoiceFacts(NamedTuple):
    number: str
    issue_date: date
    due_date: date
    total_ttc: Decimal


def _same(existing: Any, new: dict[str, Any]) -> list[str]:
    """Names of the columns where an existing record differs from the imported one."""
    diffs = []
    for k, v in new.items():
        old = getattr(existing, k)
        if isinstance(old, Decimal) and isinstance(v, Decimal):
            if old.compare(v) != 0:
                diffs.append(k)
        elif (old or "") != (v or ""):
            diffs.append(k)
    return diffs


class _Importer:
    def __init__(
        self,
        session: Session,
        root: Path,
        problems: Problems,
        report: ImportReport,
        *,
        replacing: bool = False,
    ) -> None:
        self.s, self.root, self.problems, self.report = session, root, problems, report
        self.replacing = replacing
        self.client_terms: dict[str, int] = dict(
            session.execute(select(Client.client_id, Client.payment_terms_days)).all()
        )  # type: ignore[arg-type]
        self.suppliers: set[str] = set(session.scalars(select(Supplier.supplier_id)))
        self.invoices: set[str] = set(session.scalars(select(Invoice.number)))
        self.new_invoice_lines: dict[str, list[dict]] = defaultdict(list)
        self.new_payments: list[dict] = []
        self.broken: set[str] = set()  # files that could not be read through
        self.bank_occurrences: Counter[str] = Counter()  # fingerprint → lines so far in the file
        self._empty: dict[str, bool] = {}
        self.fingerprint = Fingerprints()
        # number → (number, issue_date, due_date, total_ttc) of the invoices this import
        # inserted a column at a time: what allocation needs, without reading them back
        self.new_invoices: dict[str, _InvoiceFacts] = {}

    def _defer_indexes(self, model: Any) -> list[str]:
        """When ``model``'s table is empty, drop its secondary indexes inside the import's
        transaction and return their ``CREATE INDEX`` statements, run once the file is
        loaded: building an index from all rows costs a fraction of maintaining it row by
        row (1M bank lines on SQLite: 12 s of CPU instead of 15). DDL is transactional on
        SQLite and PostgreSQL: a refused bundle rolls the drop back with the rows. On
        PostgreSQL only in a first import (``--replace`` empties tables that readers may be
        reading: a dropped index would lock them out until the import ends); elsewhere, or
        outside an open transaction (where a DDL statement would commit by itself), nothing
        is deferred. Indexes that carry a constraint (keys, unique) stay."""
        conn = self.s.connection()
        if not self.was_empty(model):
            return []
        if conn.dialect.name == "postgresql" and not self.replacing:
            found = conn.execute(
                text(
                    "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
                    "JOIN pg_class i ON i.oid = x.indexrelid "
                    "WHERE x.indrelid = to_regclass(:t) AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)"
                ),
                {"t": model.__tablename__},
            ).all()
        elif conn.dialect.name == "sqlite" and getattr(
            conn.connection.driver_connection, "in_transaction", False
        ):
            found = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t "
                    "AND sql IS NOT NULL"
                ),
                {"t": model.__tablename__},
            ).all()
        else:
            return []
        quote = conn.dialect.identifier_preparer.quote
        for name, _sql in found:
            conn.exec_driver_sql(f"DROP INDEX {quote(name)}")
        return [sql for _name, sql in found]

    def was_empty(self, model: Any) -> bool:
        """Whether ``model``'s table held no row when this file started loading (asked once):
        then no record of the file can already be in the ledger."""
        name = model.__tablename__
        if name not in self._empty:
            self._empty[name] = (
                self.s.execute(select(literal(1)).select_from(model).limit(1)).first() is None
            )
        return self._empty[name]

    # -- one CSV file ---------------------------------------------------------------
    def load(self, spec: bs.FileSpec) -> None:
        path = self.root / spec.name
        if not path.exists():
            if spec.required_file:
                self.problems.add(spec.name, "-", "-", "fichier obligatoire absent du lot")
            return
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.problems.add(
                spec.name,
                "-",
                "-",
                f"le fichier fait {f'{size / (1 << 30):.1f}'.replace('.', ',')} Gio, plus que les {MAX_FILE_BYTES >> 30} Gio qu'un fichier du lot peut contenir ; "
                "coupez-le, ou chargez les relevés bancaires avec `khazna import-bank` (qui lit toute taille)",
            )
            return
        model = MODELS[spec.name]
        deferred = self._defer_indexes(model) if size >= DEFER_INDEXES_BYTES else []
        counted = self._load_columns(spec, model, path) if spec.name in COLUMNAR else None
        if counted is None:
            counted = self._load_rows(spec, model, path)
        new, unchanged, updated = counted
        for sql in deferred if not self.problems else []:  # a refused bundle rolls back anyway
            self.s.execute(text(sql))  # built once from all the rows, not row by row
        self.report.counts[spec.name] = new
        self.report.unchanged[spec.name] = unchanged
        if updated:
            self.report.updated[spec.name] = updated

    def _load_rows(self, spec: bs.FileSpec, model: Any, path: Path) -> tuple[int, int, int]:
        """Read the file row by row, each problem named with its line; (new, unchanged,
        updated) records."""
        seen: set[str] = set()
        batch: list[tuple[int, dict]] = []
        new = unchanged = updated = 0
        state = ReadState()
        cells = read_cells(
            path,
            spec.name,
            self.problems,
            required=spec.required_columns,
            known=set(spec.columns),
            warnings=self.report.warnings,
            state=state,
        )
        reader: _RowReader | None = None
        for line, row in cells:
            if reader is None:  # the header is read with the first row
                reader = _RowReader(spec, state.header, self.problems, self.report.warnings)
            rec = reader.read(line, row)
            if rec is None or not self._check_refs(spec, rec, line):
                continue
            if spec.key:
                key = rec[spec.key]
                if key in seen:
                    self.problems.add(
                        spec.name, line, spec.key, f"identifiant {key!r} en double dans ce fichier"
                    )
                    continue
                seen.add(key)
            batch.append((line, rec))
            if len(batch) >= BATCH:
                self._fingerprint_rows(spec, batch)
                n, u, d = self._store(spec, model, batch)
                new, unchanged, updated = new + n, unchanged + u, updated + d
                batch = []
        if batch:
            self._fingerprint_rows(spec, batch)
            n, u, d = self._store(spec, model, batch)
            new, unchanged, updated = new + n, unchanged + u, updated + d
        if state.broken:
            self.broken.add(spec.name)
        return new, unchanged, updated

    def _fingerprint_rows(self, spec: bs.FileSpec, batch: list[tuple[int, dict]]) -> None:
        if spec.name == "bank_lines.csv":  # occurrences count every line of the file, in order
            occurrences, fp_of = self.bank_occurrences, self.fingerprint
            for _line, rec in batch:
                cents = int(rec["amount"] * 100)
                fp = fp_of(
                    rec["account"] or "main", rec["date"], cents, rec["label"], rec["reference"]
                )
                occurrences[fp] += 1
                rec["fingerprint"], rec["occurrence"] = fp, occurrences[fp]

    # -- one CSV file, a column at a time --------------------------------------------------
    def _load_columns(
        self, spec: bs.FileSpec, model: Any, path: Path
    ) -> tuple[int, int, int] | None:
        """Read the file a block of columns at a time (``bundle_columns``), inside a
        savepoint; None when something in it is out of the ordinary (a value that does not
        read, an unknown reference, a duplicate id, a record that differs from the
        ledger's...): then the savepoint is rolled back, what the file had changed in the
        importer is put back, and the caller reads the file row by row, which names every
        problem with its line. The same records, counts and warnings either way."""
        warnings = len(self.report.warnings)
        problems = (len(self.problems.items), self.problems.count)
        payments = len(self.new_payments)
        saved = (
            dict(self.client_terms),
            set(self.suppliers),
            set(self.invoices),
            Counter(self.bank_occurrences) if spec.name == "bank_lines.csv" else None,
        )
        savepoint = self.s.begin_nested()
        try:
            counted = self._columns(spec, model, path)
        except Unusual:
            savepoint.rollback()
            del self.report.warnings[warnings:]
            del self.problems.items[problems[0] :]
            self.problems.count = problems[1]
            del self.new_payments[payments:]
            for number in set(self.invoices) - saved[2]:
                self.new_invoices.pop(number, None)
            self.client_terms, self.suppliers, self.invoices = saved[0], saved[1], saved[2]
            if saved[3] is not None:
                self.bank_occurrences = saved[3]
            return None
        savepoint.commit()
        return counted

    def _columns(self, spec: bs.FileSpec, model: Any, path: Path) -> tuple[int, int, int]:
        state = ReadState()
        blocks = read_blocks(
            path,
            spec.name,
            required=spec.required_columns,
            known=set(spec.columns),
            warnings=self.report.warnings,
            state=state,
            rows=COLUMN_BLOCK,
        )
        reader: ColumnReader | None = None
        seen: set[str] = set()
        new = unchanged = updated = 0
        for block in blocks:
            reader = reader or ColumnReader(spec, state.header)
            cols = reader.read(block)
            n = len(block[0])
            keys = cols[spec.key]
            if len(set(keys)) != n or not seen.isdisjoint(keys):
                raise Unusual("duplicate id")
            seen.update(keys)
            self._check_columns(spec, cols, n)
            if spec.name == "bank_lines.csv":
                self._fingerprint_columns(cols, n)
            if self.was_empty(model):  # nothing to compare with: every record is new
                if not self.problems:
                    insert_columns(self.s.connection(), _table(model), cols, n)
                if spec.name == "invoices.csv":
                    facts = ("number", "issue_date", "due_date", "total_ttc")
                    rows = map(_InvoiceFacts._make, zip(*(cols[c] for c in facts), strict=True))
                    self.new_invoices.update(zip(cols["number"], rows, strict=True))
                if spec.name == "payments.csv":
                    names = list(cols)
                    self.new_payments.extend(
                        dict(zip(names, row, strict=True))
                        for row in zip(*cols.values(), strict=True)
                    )
                new += n
                continue
            names = list(cols)
            batch = [
                (0, dict(zip(names, row, strict=True))) for row in zip(*cols.values(), strict=True)
            ]
            before = self.problems.count
            for k in range(0, n, BATCH):
                got = self._store(spec, model, batch[k : k + BATCH])
                if self.problems.count != before:  # said again, with its line, by the rows
                    raise Unusual("differs from the ledger")
                new, unchanged, updated = new + got[0], unchanged + got[1], updated + got[2]
        return new, unchanged, updated

    def _check_columns(self, spec: bs.FileSpec, cols: dict[str, Any], n: int) -> None:
        """:meth:`_check_refs` for a block of columns: raises :class:`Unusual` where it would
        refuse a row; fills the due dates it would fill."""
        name, terms = spec.name, self.client_terms
        if name == "clients.csv":
            terms.update(zip(cols["client_id"], cols["payment_terms_days"], strict=True))
        elif name == "suppliers.csv":
            self.suppliers.update(cols["supplier_id"])
        elif name in ("invoices.csv", "payments.csv", "interactions.csv"):
            if not terms.keys() >= set(cols["client_id"]):
                raise Unusual("unknown client")
        elif name == "expenses.csv":
            if not self.suppliers >= set(cols["supplier_id"]) - {""}:
                raise Unusual("unknown supplier")
        if name == "invoices.csv":
            self._check_invoices(cols, n)
        elif name == "payments.csv":
            refs = cols["invoice_number"]
            wanted = (
                {num for v in refs for num in _numbers(v)}
                if ";" in "".join(refs)
                else set(refs) - {""}
            )
            if not self.invoices >= wanted:
                raise Unusual("unknown invoice")

    def _check_invoices(self, cols: dict[str, Any], n: int) -> None:
        due, issued, clients = cols["due_date"], cols["issue_date"], cols["client_id"]
        if "" in due or None in due:
            terms = self.client_terms
            cols["due_date"] = [
                d if d not in (None, "") else i + timedelta(days=terms[c])
                for d, i, c in zip(due, issued, clients, strict=True)
            ]
        numbers, ttc, credited = cols["number"], cols["total_ttc"], cols["credited_invoice"]
        if any(credited):  # a credit note names an invoice of the ledger or of an earlier row
            at = dict(zip(numbers, range(n), strict=True))
            for j, (c, t) in enumerate(zip(credited, ttc, strict=True)):
                if not c:
                    if t < 0:
                        raise Unusual("credit note without its invoice")
                elif t > 0 or (c not in self.invoices and at.get(c, n) >= j):
                    raise Unusual("credit note")
        elif n and min(ttc) < 0:
            raise Unusual("credit note without its invoice")
        self.invoices.update(numbers)

    def _fingerprint_columns(self, cols: dict[str, Any], n: int) -> None:
        """:meth:`_fingerprint_rows` for a block of columns: the same fingerprints and
        occurrences."""
        accounts = cols["account"]
        fps = self.fingerprint.many(
            [a or "main" for a in accounts] if "" in accounts else accounts,
            cols["date"],
            map(int, map(_HUNDRED, cols["amount"])),
            cols["label"],
            cols["reference"],
        )
        occurrences = self.bank_occurrences
        if len(set(fps)) == n and occurrences.keys().isdisjoint(fps):
            occurrences.update(fps)
            cols["occurrence"] = (1,) * n
        else:
            got = []
            for fp in fps:
                occurrences[fp] += 1
                got.append(occurrences[fp])
            cols["occurrence"] = got
        cols["fingerprint"] = fps

    def _check_refs(self, spec: bs.FileSpec, rec: dict, line: int) -> bool:
        name, ok = spec.name, True

        def refuse(col: str, msg: str) -> None:
            nonlocal ok
            # a reference into a file that could not be read is not this row's fault
            target = {"client_id": "clients.csv", "supplier_id": "suppliers.csv"}.get(
                col, "invoices.csv"
            )
            if (
                target not in self.broken
            ):  # else nothing is written anyway: the bundle already failed
                self.problems.add(name, line, col, msg)
                ok = False

        if name == "clients.csv":
            self.client_terms[rec["client_id"]] = rec["payment_terms_days"]
        elif name == "suppliers.csv":
            self.suppliers.add(rec["supplier_id"])
        elif name == "invoices.csv":
            if rec["client_id"] not in self.client_terms:
                refuse(
                    "client_id",
                    f"client inconnu {rec['client_id']!r} (ni dans clients.csv ni au grand livre)",
                )
            elif rec["due_date"] in (None, ""):
                rec["due_date"] = rec["issue_date"] + timedelta(
                    days=self.client_terms[rec["client_id"]]
                )
            credited = rec["credited_invoice"]
            if rec["total_ttc"] < 0 and not credited:
                refuse(
                    "credited_invoice",
                    "un total négatif est un avoir : nommez la facture qu'il corrige",
                )
            if credited and rec["total_ttc"] > 0:
                refuse("total_ttc", "a credit note (credited_invoice set) has a negative total")
            if credited and credited not in self.invoices:
                refuse("credited_invoice", f"facture inconnue {credited!r}")
            if ok:
                self.invoices.add(rec["number"])
        elif name == "invoice_lines.csv":
            if rec["number"] not in self.invoices:
                refuse("number", f"facture inconnue {rec['number']!r}")
        elif name == "payments.csv":
            if rec["client_id"] not in self.client_terms:
                refuse("client_id", f"client inconnu {rec['client_id']!r}")
            for num in _numbers(rec["invoice_number"]):
                if num not in self.invoices:
                    refuse("invoice_number", f"facture inconnue {num!r}")
        elif name == "expenses.csv":
            if rec["supplier_id"] and rec["supplier_id"] not in self.suppliers:
                refuse("supplier_id", f"fournisseur inconnu {rec['supplier_id']!r}")
        elif name == "interactions.csv":
            if rec["client_id"] not in self.client_terms:
                refuse("client_id", f"client inconnu {rec['client_id']!r}")
        elif name == "commitments.csv":
            if rec["start"] and rec["end"] and rec["end"] < rec["start"]:
                refuse("end", "ends before it starts")
        return ok

    def _store(
        self, spec: bs.FileSpec, model: Any, batch: list[tuple[int, dict]]
    ) -> tuple[int, int, int]:
        if spec.name == "invoice_lines.csv":
            for _line, rec in batch:
                self.new_invoice_lines[rec["number"]].append(rec)
            return 0, 0, 0
        key_col = getattr(model, spec.key)
        keys = [r[spec.key] for _, r in batch]
        if self.was_empty(model):  # nothing to compare with (ids are unique in the file)
            existing = {}
        elif spec.name in IMMUTABLE_FILES:  # only compared, never updated: plain rows will do
            cols = [getattr(model, c) for c in spec.columns]
            existing = {
                getattr(o, spec.key): o
                for o in self.s.execute(select(*cols).where(key_col.in_(keys)))
            }
        else:
            existing = {
                getattr(o, spec.key): o
                for o in self.s.scalars(select(model).where(key_col.in_(keys)))
            }
        fresh, unchanged, updated = [], 0, 0
        if not existing:
            fresh = [rec for _, rec in batch]
            batch = []
        for line, rec in batch:
            old = existing.get(rec[spec.key])
            if old is None:
                fresh.append(rec)
                continue
            diffs = _same(old, {c: rec[c] for c in spec.columns})
            if spec.name == "expenses.csv" and "receipt" in diffs and old.receipt == "yes":
                diffs.remove("receipt")  # a receipt on file is never un-filed by an older bundle
            if not diffs:
                unchanged += 1
            elif spec.name in IMMUTABLE_FILES:
                self.problems.add(
                    spec.name,
                    line,
                    diffs[0],
                    f"{rec[spec.key]} est déjà au grand livre avec d'autres valeurs ({', '.join(diffs)}) ; "
                    "les comptes enregistrés ne se modifient pas : enregistrez une correction (avoir, contre-passation) ou utilisez --replace",
                )
            else:
                if not self.problems:
                    for k in diffs:
                        setattr(old, k, rec[k])
                updated += 1
        if spec.name == "bank_lines.csv" and not self.was_empty(model):
            fresh, known = self._fingerprint(fresh)
            unchanged += known
        if fresh and not self.problems:
            # Core executemany on the table: no ORM unit of work for rows nobody reads back
            bulk_insert(self.s.connection(), _table(model), fresh)
        if spec.name == "payments.csv":
            self.new_payments.extend(fresh)
        return len(fresh), unchanged, updated

    def _fingerprint(self, fresh: list[dict]) -> tuple[list[dict], int]:
        """Give new bank lines the fingerprint a statement import would give them, so that a
        statement of the same period later adds nothing; a line a statement already brought
        (same fingerprint and occurrence) counts as already there."""
        keyed = fresh
        if not keyed:
            return [], 0
        have = set(
            self.s.execute(
                select(BankLine.fingerprint, BankLine.occurrence).where(
                    BankLine.fingerprint.in_({r["fingerprint"] for r in keyed})
                )
            ).all()
        )
        kept = [r for r in keyed if (r["fingerprint"], r["occurrence"]) not in have]
        return kept, len(keyed) - len(kept)

    # -- derived records ----------------------------------------------------------------
    def store_invoice_lines(self) -> None:
        new = unchanged = 0
        have = (
            {
                n
                for (n,) in self.s.execute(
                    select(InvoiceLine.number)
                    .where(InvoiceLine.number.in_(list(self.new_invoice_lines)))
                    .distinct()
                )
            }
            if self.new_invoice_lines
            else set()
        )
        rows = []
        for number, lines in self.new_invoice_lines.items():
            if number in have:
                stored = self.s.scalars(
                    select(InvoiceLine)
                    .where(InvoiceLine.number == number)
                    .order_by(InvoiceLine.position)
                ).all()
                same = len(stored) == len(lines) and all(
                    not _same(o, r) for o, r in zip(stored, lines, strict=True)
                )
                if same:
                    unchanged += len(lines)
                else:
                    self.problems.add(
                        "invoice_lines.csv",
                        "-",
                        "number",
                        f"les lignes de {number} diffèrent de celles du grand livre ; les comptes enregistrés ne se modifient pas",
                    )
                continue
            for pos, rec in enumerate(lines, start=1):
                rows.append({**rec, "position": pos})
                new += 1
        if rows and not self.problems:
            for i in range(0, len(rows), BATCH):
                bulk_insert(self.s.connection(), _table(InvoiceLine), rows[i : i + BATCH])
        if self.new_invoice_lines or (self.root / "invoice_lines.csv").exists():
            self.report.counts["invoice_lines.csv"] = new
            self.report.unchanged["invoice_lines.csv"] = unchanged

    def allocate_payments(self) -> None:
        """Allocate each new cleared payment to its invoices, oldest first."""
        if self.problems:
            return
        payments = sorted(
            (p for p in self.new_payments if p["status"] == "cleared"),
            key=itemgetter("date", "payment_id"),
        )
        targets_of = [_numbers(p["invoice_number"]) for p in payments]
        wanted: set[str] = set().union(*targets_of)
        if not wanted:
            return
        inv = self._invoices_among(wanted)
        remaining: dict[str, Decimal] = {n: i.total_ttc for n, i in inv.items()}
        if not self.was_empty(Allocation):  # else no payment was allocated before this one
            for part in _parts(sorted(wanted)):
                for number, amount in self.s.execute(
                    select(Allocation.invoice_number, Allocation.amount).where(
                        Allocation.invoice_number.in_(part)
                    )
                ):
                    remaining[number] -= amount
        for number, ttc in self.s.execute(  # credit notes are few: all of them, then sifted
            select(Invoice.credited_invoice, Invoice.total_ttc).where(
                Invoice.credited_invoice != ""
            )
        ):
            if number in wanted:
                remaining[number] += ttc  # credit notes are negative
        rows = []
        by_age = attrgetter("issue_date", "due_date", "number")
        for p, numbers in zip(payments, targets_of, strict=True):
            left = p["amount"]
            targets = [inv[n] for n in numbers if n in inv]
            if len(targets) > 1:
                targets.sort(key=by_age)
            for i in targets:
                if left <= 0:
                    break
                take = min(left, max(remaining[i.number], Decimal("0")))
                if take > 0:
                    rows.append(
                        {"payment_id": p["payment_id"], "invoice_number": i.number, "amount": take}
                    )
                    remaining[i.number] -= take
                    left -= take
        many = len(rows) * 100 >= DEFER_INDEXES_BYTES  # as many as a file of that size holds
        deferred = self._defer_indexes(Allocation) if many else []
        for k in range(0, len(rows), COLUMN_BLOCK):
            bulk_insert(self.s.connection(), _table(Allocation), rows[k : k + COLUMN_BLOCK])
        for sql in deferred:
            self.s.execute(text(sql))

    def _invoices_among(self, wanted: set[str]) -> dict[str, Any]:
        """Number, dates and total of the invoices numbered in ``wanted``: bounded IN lists
        for a few, one pass over the table for many (a statement of 5 000 parameters costs
        more to compile than a scan of 200 000 invoices)."""
        found: dict[str, Any] = {n: self.new_invoices[n] for n in wanted & self.new_invoices.keys()}
        wanted = wanted - found.keys()
        cols = (Invoice.number, Invoice.issue_date, Invoice.due_date, Invoice.total_ttc)
        if len(wanted) > BATCH:
            found.update((i.number, i) for i in self.s.execute(select(*cols)) if i.number in wanted)
        elif wanted:
            found.update(
                (i.number, i)
                for part in _parts(sorted(wanted))
                for i in self.s.execute(select(*cols).where(Invoice.number.in_(part)))
            )
        return found

    def load_documents(self) -> None:
        folder = self.root / "documents"
        if not folder.is_dir():
            return
        new = unchanged = 0
        existing: dict[str, str] = {
            f: h for f, h in self.s.execute(select(Document.filename, Document.sha256))
        }
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in (".pdf", ".json") or not path.is_file():
                self.report.warnings.append(
                    f"documents/{path.name}:-: -: ni une facture .pdf ni une facture .json, ignoré"
                )
                continue
            name = f"documents/{path.name}"
            content = path.read_bytes()
            if path.suffix.lower() == ".json":
                try:
                    if not isinstance(json.loads(content.decode("utf-8-sig")), dict):
                        raise ValueError("pas un objet JSON")
                except (UnicodeDecodeError, ValueError) as err:
                    self.problems.add(name, 1, "-", f"pas une facture JSON : {err}")
                    continue
            elif not content.startswith(b"%PDF"):
                self.problems.add(name, 1, "-", "pas un fichier PDF (pas d'en-tête %PDF)")
                continue
            number, kind = path.stem, INVOICE_KIND
            piece = piece_of(path.stem) if path.suffix.lower() == ".pdf" else None
            if number not in self.invoices:  # `khazna export` names 2026/0001 2026%2F0001.pdf
                number = _decoded(path.stem)
                if number not in self.invoices and piece is not None:
                    # <number>-BL.pdf, <number>-ASF.pdf: a piece that goes with the invoice
                    base, kind = piece
                    number = base if base in self.invoices else _decoded(base)
            if problem := bs.id_problem(number):
                self.problems.add(
                    name, "-", "-", f"le numéro de facture de ce nom de fichier : {problem}"
                )
                continue
            if number not in self.invoices:
                self.report.warnings.append(
                    f"{name}:-: -: aucune facture {number!r} au grand livre ; gardé quand même"
                )
            digest = hashlib.sha256(content).hexdigest()
            if path.name in existing:
                if existing[path.name] != digest:
                    self.problems.add(
                        name,
                        "-",
                        "-",
                        "diffère du document déjà au grand livre ; les documents ne se modifient pas",
                    )
                else:
                    unchanged += 1
                continue
            if not self.problems:
                self.s.add(
                    Document(
                        filename=path.name,
                        number=number,
                        kind=kind,
                        content=content,
                        sha256=digest,
                        media_type="application/pdf"
                        if path.suffix.lower() == ".pdf"
                        else "application/json",
                    )
                )
            new += 1
        self.report.counts["documents"] = new
        self.report.unchanged["documents"] = unchanged


def _decoded(stem: str) -> str:
    """The text a file name part stands for (:func:`khazna.filenames.name_of`), else itself."""
    try:
        return name_of(stem)
    except UnicodeDecodeError:
        return stem


def _table(model: Any) -> Table:
    """The Core table of a model: inserts go through Core, rows are not read back."""
    return model.__table__


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows`` (dicts keyed by column) into ``table`` on ``conn``'s transaction
    (:func:`insert_columns` of their columns, transposed in C)."""
    if not rows:
        return
    first = rows[0]
    given = [c.key for c in table.columns if c.key in first]
    get = itemgetter(*given)
    columns = list(zip(*map(get, rows), strict=True)) if len(given) > 1 else [tuple(map(get, rows))]
    insert_columns(conn, table, dict(zip(given, columns, strict=True)), len(rows))


def insert_columns(
    conn: Connection, table: Table, given: Mapping[str, Sequence[Any]], n: int
) -> None:
    """Insert ``n`` rows given as columns (keyed by column, other keys ignored) into
    ``table`` on ``conn``'s transaction, the fast way of the back end: PostgreSQL ``COPY
    ... FROM STDIN`` (psycopg), elsewhere one DBAPI ``executemany`` of tuples. Values go
    through the columns' own bind processors (the same stored values as a Core insert),
    without compiling a statement per batch (a Core ``insert`` of dicts spent more time
    there than SQLite spent inserting). Columns not given get their scalar default; an
    autoincrement key is left to the database."""
    if not n:
        return
    dialect = conn.dialect
    cols: list[Any] = []
    columns: list[Sequence[Any]] = []
    for c in table.columns:
        if c.key in given:
            cols.append(c)
            columns.append(given[c.key])
            continue
        if c.primary_key and c.autoincrement in (True, "auto"):
            continue
        if c.default is None:
            value = None
        elif getattr(c.default, "is_scalar", False):
            value = c.default.arg  # type: ignore[attr-defined]
        else:  # a callable default: let Core apply it
            keys = [k for k in given if k in table.columns]
            rows = zip(*(given[k] for k in keys), strict=True)
            conn.execute(insert(table), [dict(zip(keys, r, strict=True)) for r in rows])
            return
        cols.append(c)
        columns.append((value,) * n)
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in cols)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        raw = conn.connection.driver_connection
        texts = _copy_texts(columns)
        with raw.cursor() as cur:  # type: ignore[union-attr]
            with cur.copy(f"COPY {quote(table.name)} ({names}) FROM STDIN") as copy:
                if texts is not None:  # the rows as COPY's text format, joined in C
                    copy.write("\n".join(map("\t".join, zip(*texts, strict=True))) + "\n")
                else:  # COPY adapts Python values itself (Decimal, date, None)
                    for row in zip(*columns, strict=True):
                        copy.write_row(row)
        return
    marks = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(dialect.paramstyle)
    if marks is None:
        keys = [c.key for c in cols]
        rows = zip(*columns, strict=True)
        conn.execute(insert(table), [dict(zip(keys, r, strict=True)) for r in rows])
        return
    for i, c in enumerate(cols):
        p = c.type._cached_bind_processor(dialect)
        if p is None:
            continue
        if isinstance(c.type, Date):  # few distinct dates: each converted once
            memo: dict = {None: None}
            for v in set(columns[i]) - memo.keys():
                memo[v] = p(v)
            columns[i] = list(map(memo.__getitem__, columns[i]))
        elif None in columns[i]:
            columns[i] = [None if v is None else p(v) for v in columns[i]]
        else:
            columns[i] = list(map(p, columns[i]))
    # a column of one value throughout (a default, occurrence 1, one account) is written
    # once into the statement: a bound value less per row (1M bank lines: a fifth of the
    # time of executemany)
    values = [_sql_literal(col) for col in columns]
    bound = [col for col, literal in zip(columns, values, strict=True) if literal is None]
    marks_sql = ", ".join(marks if literal is None else literal for literal in values)
    sql = f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks_sql})"
    conn.exec_driver_sql(sql, list(zip(*bound, strict=True)) if bound else [()] * n)


def _sql_literal(col: Sequence[Any]) -> str | None:
    """The SQL literal of the one value a column holds throughout (None, a whole number, a
    text without NUL), or None when it holds several or another kind."""
    first = col[0]
    if col.count(first) != len(col) or (first is not None and {*map(type, col)} != {type(first)}):
        return None  # several values, or equal ones of several kinds (1 and 1.0)
    if first is None:
        return "NULL"
    if type(first) is int:
        return str(first)
    if type(first) is str and "\x00" not in first:
        return "'" + first.replace("'", "''") + "'"
    return None


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_COPY_TEXT: dict[type, Any] = {Decimal: str, int: str, date: date.isoformat}


def _copy_texts(columns: list[Sequence[Any]]) -> list[Sequence[str]] | None:
    """Each column as the cells of PostgreSQL COPY's text format (``\\N`` for None, text
    escaped), or None when a column holds a value of another kind (then psycopg adapts)."""
    out: list[Sequence[str]] = []
    for col in columns:
        kinds = set(map(type, col))
        has_none = type(None) in kinds
        kinds.discard(type(None))
        if not kinds:
            out.append(("\\N",) * len(col))
            continue
        if len(kinds) > 1:
            return None
        kind = kinds.pop()
        none = "\\N"  # how COPY's text format writes NULL
        if kind is str:
            texts: Sequence[str] = [none if t is None else t for t in col] if has_none else col
            if any(c in "".join(texts) for c in "\\\t\n\r"):
                texts = [t.translate(_COPY_ESCAPES) if t is not None else none for t in col]
        elif kind in _COPY_TEXT:
            f = _COPY_TEXT[kind]
            texts = [none if v is None else f(v) for v in col] if has_none else list(map(f, col))
        else:
            return None
        out.append(texts)
    return out


def _numbers(field_value: str) -> list[str]:
    if ";" not in field_value and field_value == field_value.strip():  # one number, or none
        return [field_value] if field_value else []
    return [n.strip() for n in field_value.split(";") if n.strip()]


def _parts(values: list[str]) -> Iterator[list[str]]:
    """``values`` in slices of :data:`BATCH`: bounded IN lists, on every backend."""
    for k in range(0, len(values), BATCH):
        yield values[k : k + BATCH]


def clear_ledger(session: Session) -> Replaced:
    """Delete the books (``--replace``), keeping what is not books (``ledger.replace``)."""
    return clear_books(session)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while an import runs: a million-row import allocates
    millions of lists, tuples and dicts that hold no cycle, and each collection walks
    every container still alive (the ids seen, the fingerprints counted...); 1M bank lines
    read into blocks: 1.4 s of CPU with it, 0.9 s without. Memory is freed by reference
    counting as usual; the collector resumes (and runs) when the import ends."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def import_bundle(ledger: Ledger, path: Path, *, replace: bool = False) -> ImportReport:
    """Import the bundle at ``path`` in one transaction, or raise :class:`BundleError`."""
    root = Path(path)
    problems = Problems()
    report = ImportReport()
    if not root.is_dir():
        raise BundleError(
            [f"{root}:-: -: pas un dossier (un lot est un dossier de fichiers CSV/JSON)"]
        )
    company_file = root / "company.json"
    company = (
        _read_company(company_file, problems, report.warnings) if company_file.exists() else None
    )
    if not company_file.exists():
        problems.add("company.json", "-", "-", "fichier obligatoire absent du lot")
    policy = (
        _read_policy(root / "policy.json", problems, report.warnings)
        if (root / "policy.json").exists()
        else None
    )
    with _no_cycle_collection(), ledger.session() as s:
        raw, cache = None, None
        if s.get_bind().dialect.name == "sqlite":
            # pages of the tables and indexes being filled stay in memory (256 MiB at most;
            # the default 2 MiB made a million-line import thrash its indexes); the
            # connection's own size comes back after (it may serve the web app next)
            raw = s.connection().connection.driver_connection
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]  # type: ignore[union-attr]
            raw.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")  # type: ignore[union-attr]
            if not raw.in_transaction:  # type: ignore[union-attr]
                # the import's one transaction starts now, not at its first INSERT (pysqlite
                # would begin it there): the savepoint of each file and the indexes dropped
                # while a file loads are then inside it, whatever the first statement is
                raw.execute("BEGIN")  # type: ignore[union-attr]
        try:
            _import_into(s, root, problems, report, company, policy, replace=replace)
        finally:
            if raw is not None:
                raw.execute(f"PRAGMA cache_size = {int(cache)}")  # type: ignore[union-attr,arg-type]
    return report


def _import_into(
    s: Session,
    root: Path,
    problems: Problems,
    report: ImportReport,
    company: dict[str, Any] | None,
    policy: dict[str, Any] | None,
    *,
    replace: bool,
) -> None:
    replaced = clear_ledger(s) if replace else None
    if company and not problems:
        _store_company(s, company, problems)
    imp = _Importer(s, root, problems, report, replacing=replace)
    for spec in bs.CSV_FILES:
        imp.load(spec)
    imp.store_invoice_lines()
    imp.allocate_payments()
    imp.load_documents()
    if problems:
        s.rollback()
        raise BundleError(problems.render())
    if policy is not None:
        s.merge(Setting(key="policy", value=policy))
    if replaced is not None:
        put_back(s, replaced)
        report.deleted, report.kept = replaced.deleted, replaced.kept
    s.add(
        ImportRun(
            kind="bundle", source=str(root.resolve()), at=datetime.now(), counts=report.counts
        )
    )


def _store_company(s: Session, data: dict[str, Any], problems: Problems) -> None:
    current = s.get(Company, 1)
    if current is None:
        s.add(Company(id=1, **data))
        return
    for key in ("opening_balance", "opening_date"):
        old, new = getattr(current, key), data.get(key)
        if old != new:
            problems.add(
                "company.json",
                "-",
                key,
                f"diffère du grand livre ({old} → {new}) ; les comptes reposent dessus : utilisez --replace",
            )
    for key, value in data.items():
        setattr(current, key, value)


# -- export -------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return (
            f"{value:.2f}"
            if isinstance(exponent, int) and exponent >= -2
            else format(value.normalize(), "f")
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_bundle(ledger: Ledger, path: Path) -> dict[str, int]:
    """Write the ledger as a bundle into ``path`` (created); returns counts per file.

    The files are written first into a hidden folder beside ``path``
    (``.<name>.<random>.partial``) and moved into ``path`` only once all are written: a full
    disk (or any error) half way leaves ``path`` as it was — never a bundle whose
    ``invoices.csv`` stops at some row, which would import as fewer books without a word."""
    root = Path(path)
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}.", suffix=".partial", dir=root.parent))
    try:
        counts = _write_bundle(ledger, staging)
        root.mkdir(exist_ok=True)
        for src in sorted(staging.rglob("*")):  # renames in one file system: no new bytes
            dest = root / src.relative_to(staging)
            if src.is_dir():
                dest.mkdir(exist_ok=True)
            else:
                os.replace(src, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return counts


def _write_bundle(ledger: Ledger, root: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    with ledger.read() as s:
        company = s.get(Company, 1)
        if company is None:
            raise BundleError([f"{ledger.url}:-: -: le grand livre est vide : rien à exporter"])
        doc: dict[str, Any] = {k: getattr(company, k) for k in COMPANY_FIELDS}
        doc.update(company.extra or {})
        (root / "company.json").write_text(
            json.dumps(_jsonable(doc), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        for spec in bs.CSV_FILES:
            model = MODELS[spec.name]
            cols = list(spec.columns)
            order = (
                [InvoiceLine.number, InvoiceLine.position]
                if model is InvoiceLine
                else [getattr(model, spec.key)]
            )
            n = 0
            with (root / spec.name).open("w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(cols)
                for obj in s.scalars(select(model).order_by(*order)).yield_per(BATCH):
                    w.writerow([_cell(getattr(obj, c)) for c in cols])
                    n += 1
            counts[spec.name] = n
        policy = get_policy_json(s)
        if policy is not None:
            (root / "policy.json").write_text(
                json.dumps(policy, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
        docs = s.scalars(select(Document).order_by(Document.filename)).all()
        if docs:
            (root / "documents").mkdir(exist_ok=True)
            for d in docs:
                try:
                    target = inside(root / "documents", d.filename)
                except UnsafePathError:  # a name not from a folder listing: rebuilt from the number
                    suffix = ".pdf" if d.media_type == "application/pdf" else ".json"
                    target = root / "documents" / safe_name(d.number, suffix)
                target.write_bytes(d.content)
        counts["documents"] = len(docs)
    return counts


def _cell(value: Any) -> str:
    """A CSV cell of the bundle: text neutralised for spreadsheets (``csvio.neutralise``,
    undone by the import), numbers and dates as they are."""
    return neutralise(value) if isinstance(value, str) else _fmt(value)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, date):
        return v.isoformat()
    return v
