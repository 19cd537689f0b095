"""The checker on the ledger: one invoice (``--number``) or all of them (``--all``).

An invoice is checked on its stored document (table ``documents``: JSON or PDF) when there is
one, else on a document built from the ledger's rows (company, client, invoice, lines). The
buyer is a private person when the client's ``kind`` is ``particulier``.

``--all`` adds ledger-wide findings per yearly series (``F2026-0142`` = prefix ``F``, year
2026, sequence 142): ``NUMBER_DUPLICATE`` (one number printed on two documents, or a document
printing another invoice's number) and ``NUMBERING_GAP`` (a missing sequence number between
the smallest and the largest of a year), plus ``DOCUMENT_NUMBER_MISMATCH`` (a stored
document whose printed number is not the invoice's).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.documents import INVOICE_KIND, DocLine, InvoiceDocument, Party
from khazna.ledger.models import Client, Company, Document, Invoice, InvoiceLine
from khazna.ledger.state import write_aside
from khazna.ledger.tables_cache import InvoiceCheckRow
from khazna.tools.invoice_check.files import check_bytes
from khazna.tools.invoice_check.models import (
    CheckResult,
    CheckSettings,
    Finding,
    InvoiceReadError,
    LedgerCheck,
    LedgerSummary,
)
from khazna.tools.invoice_check.rules import check_document
from khazna.words import amount_in_words

_SERIES = re.compile(r"^(?P<prefix>.*?)(?P<year>(?:19|20)\d{2})(?P<sep>[-/_.]?)(?P<seq>\d+)$")


class _Books:
    """What every invoice of one check reads, loaded once: the company and the clients (the
    session's identity map holds its objects weakly, so the three ``session.get`` of each
    invoice went back to the database: 200 000 invoices cost 600 000 queries); the invoice
    lines of a batch of :data:`BATCH` invoices (:meth:`load_lines`), not all at once: they
    could be millions of objects."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.company = session.get(Company, 1) or session.scalars(select(Company)).first()
        self.clients = {c.client_id: c for c in session.scalars(select(Client))}
        self.lines: dict[str, list[InvoiceLine]] | None = None
        # the parties as printed, built once: every document of a check shares them
        self._seller: Party | None = None
        self._buyers: dict[str, tuple[Party, str | None]] = {}

    def seller(self) -> Party:
        if self._seller is None:
            self._seller = _seller_of(self.company)
        return self._seller

    def buyer(self, client_id: str) -> tuple[Party, str | None]:
        if client_id not in self._buyers:
            self._buyers[client_id] = _buyer_of(self.clients.get(client_id))
        return self._buyers[client_id]

    def load_lines(self, numbers: list[str]) -> None:
        self.lines = {n: [] for n in numbers}
        for r in self.session.scalars(
            select(InvoiceLine)
            .where(InvoiceLine.number.in_(numbers))
            .order_by(InvoiceLine.number, InvoiceLine.position)
        ):
            self.lines[r.number].append(r)


BATCH = 500  # invoices whose lines are read in one query


def _seller_of(company: Company | None) -> Party:
    if company is None:
        return Party()
    return Party(
        name=company.name, legal_form=company.legal_form or None, capital=company.capital,
        address=company.address or None, rc=company.rc or None, nif=company.nif or None,
        nis=company.nis or None, ai=company.ai or None, rib=company.rib or None,
    )  # fmt: skip


def _buyer_of(client: Client | None) -> tuple[Party, str | None]:
    """The buyer as printed, and the payment terms."""
    if client is None:
        return Party(), None
    buyer = Party(
        name=client.name, address=client.address or None, rc=client.rc or None,
        nif=client.nif or None, nis=client.nis or None, ai=client.ai or None,
        kind=client.kind,
    )  # fmt: skip
    return buyer, f"{client.payment_terms_days} jours" if client.payment_terms_days else None


def document_from_rows(
    session: Session, invoice: Invoice, books: _Books | None = None
) -> InvoiceDocument:
    """The invoice as the ledger would print it (``books``: preloaded, see :class:`_Books`)."""
    if books is not None:
        seller, (buyer, terms) = books.seller(), books.buyer(invoice.client_id)
    else:
        company = session.get(Company, 1) or session.scalars(select(Company)).first()
        seller = _seller_of(company)
        buyer, terms = _buyer_of(session.get(Client, invoice.client_id))
    if books is not None and books.lines is not None and invoice.number in books.lines:
        rows = books.lines[invoice.number]
    else:
        rows = list(
            session.scalars(
                select(InvoiceLine)
                .where(InvoiceLine.number == invoice.number)
                .order_by(InvoiceLine.position)
            )
        )
    try:
        words = amount_in_words(invoice.total_ttc)
    except ImportError:  # pragma: no cover - khazna.words ships with the package
        words = None
    return InvoiceDocument(
        number=invoice.number, issue_date=invoice.issue_date, due_date=invoice.due_date,
        payment_terms=terms, payment_method=invoice.payment_method, seller=seller, buyer=buyer,
        lines=[
            DocLine(description=r.description, quantity=r.quantity, unit=r.unit or None,
                    unit_price_ht=r.unit_price_ht, tva_rate=r.tva_rate)
            for r in rows
        ],
        total_ht=invoice.total_ht, total_tva=invoice.total_tva, timbre=invoice.timbre,
        total_ttc=invoice.total_ttc, amount_in_words=words,
    )  # fmt: skip


def _is_person(session: Session, number: str) -> bool:
    inv = session.get(Invoice, number)
    client = session.get(Client, inv.client_id) if inv else None
    return bool(client and client.kind == "particulier")


def _check_stored(
    session: Session, doc: Document, as_of: date, rules: CheckSettings | None
) -> CheckResult:
    person = _is_person(session, doc.number)
    source = f"documents/{doc.filename}"
    try:
        return check_bytes(
            bytes(doc.content), source, as_of,
            pdf=doc.media_type == "application/pdf" or bytes(doc.content[:5]) == b"%PDF-",
            buyer_is_person=person, rules=rules,
        )  # fmt: skip
    except InvoiceReadError as err:
        return CheckResult(
            number=doc.number, ok=False, source=source,
            document=InvoiceDocument(number=doc.number), error=str(err),
        )  # fmt: skip


def _check_rows(
    session: Session,
    invoice: Invoice,
    as_of: date,
    rules: CheckSettings | None,
    books: _Books | None = None,
) -> CheckResult:
    doc = document_from_rows(session, invoice, books)
    if books is not None:
        client = books.clients.get(invoice.client_id)
        person = bool(client and client.kind == "particulier")
    else:
        person = _is_person(session, invoice.number)
    result = check_document(doc, as_of=as_of, buyer_is_person=person, rules=rules)
    result.source = "ledger rows"
    result.notes.append("aucun document enregistré : facture tirée des lignes du grand livre")
    return result


def check_number(
    session: Session, number: str, as_of: date, rules: CheckSettings | None = None
) -> CheckResult:
    """Check one invoice of the ledger; raises InvoiceReadError when it is not there."""
    docs = session.scalars(
        select(Document)
        .where(Document.number == number, Document.kind == INVOICE_KIND)
        .order_by(Document.filename)
    ).all()
    if docs:
        result = _check_stored(session, docs[0], as_of, rules)
        if result.error:
            raise InvoiceReadError(result.error)
        if len(docs) > 1:
            result.notes.append(
                f"{len(docs)} stored documents for {number}: checked {docs[0].filename}"
            )
        return result
    invoice = session.get(Invoice, number)
    if invoice is None:
        raise InvoiceReadError(f"aucune facture {number!r} au grand livre (ni document, ni ligne)")
    return _check_rows(session, invoice, as_of, rules)


def _series(number: str) -> tuple[tuple[str, str, str], int, int] | None:
    m = _SERIES.match(number.strip())
    if not m:
        return None
    return (m["prefix"], m["year"], m["sep"]), int(m["seq"]), len(m["seq"])


def _compress(nums: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for n in nums:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def numbering_findings(numbers: list[tuple[str, str, str]]) -> list[Finding]:
    """``numbers`` = (printed number, where it is printed, ledger invoice number) for every
    document or invoice. Two files of the same ledger invoice are not a duplicate."""
    out: list[Finding] = []
    sources: dict[str, list[str]] = defaultdict(list)
    owners: dict[str, set[str]] = defaultdict(set)
    for number, source, owner in numbers:
        sources[number.strip()].append(source)
        owners[number.strip()].add(owner)
        sources.setdefault(owner, [])
    for number, where in sorted(sources.items()):
        if len(owners[number]) > 1:
            out.append(
                Finding(
                    code="NUMBER_DUPLICATE",
                    severity="error",
                    field="number",
                    message=f"Le numéro {number} figure {len(where)} fois ({', '.join(where)}) : "
                    "chaque facture doit avoir un numéro unique.",
                )  # fmt: skip
            )
    series: dict[tuple[str, str, str], dict[int, int]] = defaultdict(dict)
    for number in sources:
        parsed = _series(number)
        if parsed:
            key, seq, width = parsed
            series[key][seq] = width
    for (prefix, year, sep), seqs in sorted(series.items()):
        width = Counter(seqs.values()).most_common(1)[0][0]
        missing = sorted(set(range(min(seqs), max(seqs) + 1)) - set(seqs))
        for a, b in _compress(missing):
            first = f"{prefix}{year}{sep}{a:0{width}d}"
            last = f"{prefix}{year}{sep}{b:0{width}d}"
            span = first if a == b else f"{first} à {last} ({b - a + 1} numéros)"
            out.append(
                Finding(
                    code="NUMBERING_GAP",
                    severity="warning",
                    field="number",
                    message=f"Série {prefix}{year} : il manque {span} ; la numérotation doit "
                    "être continue (une facture annulée garde son numéro et un avoir).",
                )  # fmt: skip
            )
    return out


def check_ledger(session: Session, as_of: date, rules: CheckSettings | None = None) -> LedgerCheck:
    """Every stored document, every invoice without one (built from its rows), numbering."""
    results: list[CheckResult] = []
    printed: list[tuple[str, str, str]] = []
    extra: list[Finding] = []
    documented: set[str] = set()
    rules = rules or CheckSettings()  # once, not once per invoice checked
    for doc in session.scalars(
        select(Document)
        .where(Document.kind == INVOICE_KIND)
        .order_by(Document.number, Document.filename)
    ):
        result = _check_stored(session, doc, as_of, rules)
        results.append(result)
        documented.add(doc.number)
        shown = result.document.number or doc.number
        printed.append((shown, f"documents/{doc.filename}", doc.number))
        if result.document.number and result.document.number.strip() != doc.number:
            extra.append(
                Finding(
                    code="DOCUMENT_NUMBER_MISMATCH",
                    severity="error",
                    field="number",
                    message=f"Le document {doc.filename} (facture {doc.number}) porte le numéro "
                    f"{result.document.number}.",
                )  # fmt: skip
            )
    books = _Books(session)
    batch: list[Invoice] = []

    def check_batch() -> None:
        books.load_lines([inv.number for inv in batch])
        for inv in batch:
            results.append(_check_rows(session, inv, as_of, rules, books))
            printed.append((inv.number, "ledger", inv.number))
        batch.clear()

    for invoice in session.scalars(select(Invoice).order_by(Invoice.number)):
        if invoice.number in documented:
            continue
        batch.append(invoice)
        if len(batch) == BATCH:
            check_batch()
    if batch:
        check_batch()
    ledger_findings = numbering_findings(printed) + extra
    summary = LedgerSummary(invoices=len(results), ledger_findings=len(ledger_findings))
    codes: Counter[str] = Counter()
    for r in results:
        summary.ok += r.ok
        summary.unreadable += r.error is not None
        summary.with_errors += (not r.ok) and r.error is None
        for f in r.findings:
            codes[f.code] += 1
            summary.errors += f.severity == "error"
            summary.warnings += f.severity == "warning"
    for f in ledger_findings:
        codes[f.code] += 1
    summary.by_code = dict(sorted(codes.items()))
    return LedgerCheck(invoices=results, ledger_findings=ledger_findings, summary=summary)


class CheckSummary(NamedTuple):
    """One entry of :func:`check_ledger`'s ``invoices``, in its order, without the document."""

    number: str | None  # as CheckResult.number: a stored document's printed number
    ok: bool
    errors: int  # error-level findings


def _sha(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _dated(issue_date: str, as_of: date) -> str:
    """The as-of day when it shapes the findings (an invoice dated after it), else ''."""
    return as_of.isoformat() if issue_date and issue_date > as_of.isoformat() else ""


def check_ledger_summary(
    session: Session, as_of: date, rules: CheckSettings | None = None
) -> tuple[list[CheckSummary], list[Finding]]:
    """:func:`summary_and_kept_rows`, its new ``invoice_checks`` rows written."""
    out, findings, rows = summary_and_kept_rows(session, as_of, rules)
    write_kept_rows(session, rows)
    return out, findings


def write_kept_rows(session: Session, rows: list[dict]) -> None:
    """Keep the results :func:`summary_and_kept_rows` computed (``invoice_checks``)."""
    write_aside(session, InvoiceCheckRow.__table__, "key", rows)


def summary_and_kept_rows(
    session: Session, as_of: date, rules: CheckSettings | None = None
) -> tuple[list[CheckSummary], list[Finding], list[dict]]:
    """What :func:`check_ledger` finds, per invoice (ok, error count) and ledger-wide, checking
    only what changed since it last ran: each result is kept in ``invoice_checks`` under a
    fingerprint of its inputs (the invoice's row and lines or its document's bytes, the
    client's and the company's rows, the rules; the as-of day only for an invoice dated
    after it). Invoices and lines are read in a few set queries; an invoice whose
    fingerprint is unchanged is not rebuilt. Same entries, same order as ``check_ledger``."""
    rules = rules or CheckSettings()  # once, not once per invoice checked
    rules_fp = rules.model_dump_json()
    company = session.execute(select(Company.__table__).order_by(Company.id).limit(1)).first()
    company_fp = _sha(tuple(company) if company else None)
    clients = {r.client_id: r for r in session.execute(select(Client.__table__))}
    client_fp = {cid: _sha(tuple(r)) for cid, r in clients.items()}
    kept = {r.key: r for r in session.execute(select(InvoiceCheckRow.__table__))}
    entries: list[tuple[str, str, str]] = []  # (key, invoice number, fingerprint)
    stale: dict[str, str] = {}  # key -> fingerprint, to check again

    def reuse(key: str, fp: str) -> bool:
        row = kept.get(key)
        return (
            row is not None and row.fingerprint == fp and row.dated == _dated(row.issue_date, as_of)
        )

    person_of = {cid: r.kind == "particulier" for cid, r in clients.items()}
    owner = dict(session.execute(select(Invoice.number, Invoice.client_id)).all())
    documented: set[str] = set()
    docs = session.execute(
        select(Document.filename, Document.number, Document.sha256, Document.media_type)
        .where(Document.kind == INVOICE_KIND)
        .order_by(Document.number, Document.filename)
    ).all()
    for filename, number, sha, media in docs:
        key = f"documents/{filename}"
        fp = _sha(sha, media, number, person_of.get(owner.get(number, ""), False), rules_fp)
        entries.append((key, number, fp))
        documented.add(number)
        if not reuse(key, fp):
            stale[key] = fp
    # the lines' share of each fingerprint, in one pass (a number's lines come together)
    lines_fp: dict[str, str] = {}
    current: str | None = None
    own: list[tuple] = []
    for line in session.execute(
        select(InvoiceLine.__table__).order_by(InvoiceLine.number, InvoiceLine.position)
    ).yield_per(5_000):
        if line.number != current:
            if current is not None:
                lines_fp[current] = _sha(own)
            current, own = line.number, []
        own.append(tuple(line))
    if current is not None:
        lines_fp[current] = _sha(own)
    invoices = session.execute(select(Invoice.__table__).order_by(Invoice.number))
    for inv in invoices.yield_per(5_000):
        if inv.number in documented:
            continue
        fp = _sha(
            tuple(inv), lines_fp.get(inv.number), client_fp.get(inv.client_id), company_fp, rules_fp
        )
        entries.append((inv.number, inv.number, fp))
        if not reuse(inv.number, fp):
            stale[inv.number] = fp
    fresh = _check_stale(
        session, as_of, rules, stale, [d for d in docs if f"documents/{d[0]}" in stale]
    )
    out: list[CheckSummary] = []
    printed: list[tuple[str, str, str]] = []
    extra: list[Finding] = []
    for key, number, _fp in entries:
        row = fresh.get(key) or kept[key]._asdict()
        if key == number:
            out.append(CheckSummary(number, row["ok"], row["errors"]))
            printed.append((number, "ledger", number))
            continue
        shown = row["printed"]
        out.append(CheckSummary(shown or None, row["ok"], row["errors"]))
        printed.append((shown or number, key, number))
        if shown and shown.strip() != number:
            extra.append(_mismatch(key.removeprefix("documents/"), number, shown))
    # the rows to keep are written by the caller (check_ledger_summary, or the run's process
    # that had another process compute them: one writer, not two racing for SQLite's lock)
    return out, numbering_findings(printed) + extra, list(fresh.values())


def _mismatch(filename: str, number: str, shown: str) -> Finding:
    return Finding(
        code="DOCUMENT_NUMBER_MISMATCH",
        severity="error",
        field="number",
        message=f"Le document {filename} (facture {number}) porte le numéro {shown}.",
    )


def _check_stale(
    session: Session,
    as_of: date,
    rules: CheckSettings | None,
    stale: dict[str, str],
    docs: list,
) -> dict[str, dict]:
    """Check again what changed: the rows of ``invoice_checks`` to write, by key."""
    fresh: dict[str, dict] = {}

    def keep(key: str, fp: str, result: CheckResult, issue: date | None, shown: str) -> None:
        day = issue.isoformat() if issue else ""
        fresh[key] = {
            "key": key, "fingerprint": fp, "dated": _dated(day, as_of), "issue_date": day,
            "printed": shown, "ok": result.ok,
            "errors": sum(f.severity == "error" for f in result.findings),
        }  # fmt: skip

    for filename, *_ in docs:
        doc = session.get(Document, filename)
        if doc is None:  # pragma: no cover - read in the same session just above
            continue
        result = _check_stored(session, doc, as_of, rules)
        key = f"documents/{filename}"
        keep(key, stale[key], result, result.document.issue_date, result.document.number or "")
    numbers = sorted(k for k in stale if not k.startswith("documents/"))
    books = _Books(session)
    for k in range(0, len(numbers), BATCH):
        part = numbers[k : k + BATCH]
        invoices = session.scalars(select(Invoice).where(Invoice.number.in_(part))).all()
        books.load_lines(part)
        for inv in invoices:
            result = _check_rows(session, inv, as_of, rules, books)
            keep(inv.number, stale[inv.number], result, inv.issue_date, "")
    return fresh
