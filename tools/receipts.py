"""Receipts (justificatifs): who owes which, weekly reminders, and attaching a file.

- :func:`missing_receipts`: the spends the ``missing_receipt`` anomaly flags (same rule:
  above ``expenses.receipt_required_above``, exempt categories left out), grouped by the
  person who spent: the expense's ``employee``, else the holder of its ``card_id`` (the
  employee most often named on that card's expenses), else nobody (``""``: the office).
- :func:`reminder_text`: the subject and text of one person's weekly reminder (sent by
  :func:`khazna.mail.receipts.send_receipt_reminders`: tools send no mail). Addresses
  come from the ``people`` setting (name → email, ``khazna receipts people set NAME
  EMAIL``); a person without one, and the office's own spends, go to
  ``KHAZNA_OWNER_EMAIL`` with the person's name in the subject.
- :func:`attach_receipt`: stores a PDF, JPEG or PNG (checked by its magic bytes, 10 MB at
  most) in the ``receipts`` table and marks the expense ``receipt = "yes"``. Expenses are
  reference data, not books: this update is allowed, and the anomaly clears.

Period: receipts are chased from 1 January of the fiscal year; until 30 April (the month
the previous year's accounts are filed) the previous year's are chased too.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from email.utils import parseaddr

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from khazna.ledger.models import Expense, Setting
from khazna.ledger.tables_receipts import Receipt
from khazna.money import format_dzd
from khazna.text import count
from khazna.tools.anomalies import AnomaliesInput, detect_anomalies

log = logging.getLogger(__name__)

PEOPLE_KEY = "people"
MAX_BYTES = 10 * 1024 * 1024
MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}
OFFICE = ""  # spends tied to nobody: cash box, transfers


class ReceiptError(ValueError):
    """A receipt that cannot be attached (unknown expense, wrong type, too big ...)."""


class MissingItem(BaseModel):
    expense_id: str
    date: date
    payee: str
    category: str
    amount: Decimal
    card_id: str = ""


class PersonMissing(BaseModel):
    """The missing receipts of one person (``person == ""``: tied to nobody)."""

    person: str
    email: str = Field("", description="From the 'people' setting; '' when unknown.")
    items: list[MissingItem]
    total: Decimal


class ReceiptInfo(BaseModel):
    id: int
    expense_id: str
    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    uploaded_by: str
    already_attached: bool = False


# --------------------------------------------------------------------------- settings


def _get(session: Session, key: str) -> dict:
    row = session.get(Setting, key)
    return dict(row.value or {}) if row else {}


def _put(session: Session, key: str, value: dict) -> None:
    session.merge(Setting(key=key, value=dict(value)))


def people(session: Session) -> dict[str, str]:
    return {str(k): str(v) for k, v in _get(session, PEOPLE_KEY).items()}


def set_person_email(session: Session, name: str, email: str) -> dict[str, str]:
    """Record (or with an empty ``email``, forget) a person's address; returns the mapping."""

    name = " ".join(name.split())
    if not name:
        raise ReceiptError("name: empty")
    mapping = people(session)
    if email:
        spec = parseaddr(email)[1]
        if "@" not in spec or any(c in email for c in " \r\n"):
            raise ReceiptError(f"courriel : pas une adresse électronique : {email!r}")
        mapping[name] = email.strip()
    else:
        mapping.pop(name, None)
    _put(session, PEOPLE_KEY, mapping)
    return mapping


# --------------------------------------------------------------------------- finding


def default_since(as_of: date) -> date:
    return date(as_of.year - 1 if as_of.month <= 4 else as_of.year, 1, 1)


def card_holders(session: Session) -> dict[str, str]:
    """card_id → the employee most often named on that card's expenses (ties: by name)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    rows = session.execute(
        select(Expense.card_id, Expense.employee).where(
            Expense.card_id != "", Expense.employee != ""
        )
    )
    for card, employee in rows:
        counts[card][employee.strip()] += 1
    return {card: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for card, c in counts.items()}


def missing_receipts(
    session: Session, as_of: date, since: date | None = None
) -> list[PersonMissing]:
    """Spends without a receipt above the policy threshold, up to ``as_of``, per person."""

    since = since or default_since(as_of)
    found = detect_anomalies(
        session, AnomaliesInput(date_from=since, date_to=as_of, kinds=["missing_receipt"])
    ).anomalies
    ids = [a.refs[0] for a in found]
    if not ids:
        return []
    holders = card_holders(session)
    emails = people(session)
    groups: dict[str, list[MissingItem]] = defaultdict(list)
    for e in session.scalars(select(Expense).where(Expense.expense_id.in_(ids))):
        person = e.employee.strip() or holders.get(e.card_id, OFFICE)
        groups[person].append(
            MissingItem(
                expense_id=e.expense_id,
                date=e.date,
                payee=e.payee,
                category=e.category,
                amount=Decimal(e.amount),
                card_id=e.card_id,
            )
        )
    out = []
    for person, items in groups.items():
        items.sort(key=lambda i: (i.date, i.expense_id))
        out.append(
            PersonMissing(
                person=person,
                email=emails.get(person, ""),
                items=items,
                total=sum((i.amount for i in items), Decimal(0)),
            )
        )
    out.sort(key=lambda p: (p.person == OFFICE, p.person))
    return out


# --------------------------------------------------------------------------- reminding


def reminder_text(
    group: PersonMissing, as_of: date, company_name: str, to_owner: bool
) -> tuple[str, str]:
    who = group.person or "le bureau (caisse, virements)"
    n = len(group.items)
    subject = (
        f"Justificatifs manquants : {count(n, 'dépense', 'dépenses')}, {format_dzd(group.total)}"
    )
    if to_owner:
        subject += f" — {who}"
    lines = [f"Bonjour {group.person}," if group.person and not to_owner else "Bonjour,", ""]
    if to_owner and group.person:
        lines += [
            f"(Pas d'adresse email connue pour {group.person} : ce rappel vous est adressé"
            f' pour transmission. khazna receipts people set "{group.person}" EMAIL)',
            "",
        ]
    lines += [
        f"Il manque les justificatifs (facture, ticket, reçu) de {count(n, 'dépense', 'dépenses')} "
        f"au {as_of:%d/%m/%Y} pour {company_name} :",
        "",
    ]
    for i in group.items:
        lines.append(f"- {i.expense_id} du {i.date:%d/%m/%Y} — {i.payee} — {format_dzd(i.amount)}")
    lines += [
        "",
        f"Total : {format_dzd(group.total)}",
        "",
        "Merci de les remettre à la comptabilité (ou de les déposer dans Khazna) cette semaine.",
        "Ce rappel est envoyé au plus une fois par semaine.",
    ]
    return subject, "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- attaching


def sniff(content: bytes) -> str | None:
    for media_type, magics in MAGIC.items():
        if any(content.startswith(m) for m in magics):
            return media_type
    return None


TYPE_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}


def named_for(filename: str, media_type: str) -> str:
    """``filename`` under the extension of the detected type: a PDF uploaded as ``x.html``
    is stored and served as ``x.pdf`` (never a name a browser would open as something else)."""
    base = os.path.basename(filename or "") or "receipt"
    allowed = TYPE_EXTENSIONS.get(media_type)
    if not allowed:
        return base[:255]
    stem, dot, ext = base.rpartition(".")
    if dot and f".{ext.lower()}" in allowed:
        return base[:255]
    stem = (stem if dot else base) or "receipt"
    return stem[: 255 - len(allowed[0])] + allowed[0]


def attach_receipt(
    ledger,
    expense_id: str,
    filename: str,
    content: bytes,
    media_type: str | None = None,
    *,
    uploaded_by: str = "owner",
    now: datetime | None = None,
) -> ReceiptInfo:
    """Store ``content`` as the receipt of ``expense_id`` and mark the expense as having one.

    ``media_type`` may be omitted (read from the bytes); when given it must agree with them.
    The same file attached twice to one expense is stored once."""

    label = filename or "(no name)"
    if not content:
        raise ReceiptError(f"{label}: le fichier est vide")
    if len(content) > MAX_BYTES:
        size = f"{len(content) / 1048576:.1f}".replace(".", ",")
        raise ReceiptError(f"{label}: {size} Mo, la limite est de 10 Mo")
    found = sniff(content)
    if found is None:
        raise ReceiptError(
            f"{label}: ni un PDF, ni un JPEG, ni un PNG (les types de justificatif acceptés)"
        )
    declared = (media_type or "").split(";")[0].strip().lower()
    if declared == "image/jpg":
        declared = "image/jpeg"
    if declared and declared != found:
        raise ReceiptError(f"{label}: déclaré {declared} mais le contenu est {found}")
    digest = hashlib.sha256(content).hexdigest()
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    with ledger.session() as s:
        expense = s.get(Expense, expense_id)
        if expense is None:
            raise ReceiptError(f"dépense {expense_id!r} introuvable au grand livre")
        row = s.scalar(
            select(Receipt).where(Receipt.expense_id == expense_id, Receipt.sha256 == digest)
        )
        again = row is not None
        if row is None:
            row = Receipt(
                expense_id=expense_id,
                filename=named_for(filename, found),
                media_type=found,
                content=content,
                sha256=digest,
                uploaded_at=moment,
                uploaded_by=uploaded_by[:120],
            )
            s.add(row)
            s.flush()
        expense.receipt = "yes"
        return ReceiptInfo(
            id=row.id,
            expense_id=expense_id,
            filename=row.filename,
            media_type=row.media_type,
            size=len(row.content),
            sha256=row.sha256,
            uploaded_at=row.uploaded_at,
            uploaded_by=row.uploaded_by,
            already_attached=again,
        )


def receipts_of(session: Session, expense_id: str) -> list[ReceiptInfo]:
    rows = session.scalars(
        select(Receipt).where(Receipt.expense_id == expense_id).order_by(Receipt.id)
    )
    return [
        ReceiptInfo(
            id=r.id,
            expense_id=r.expense_id,
            filename=r.filename,
            media_type=r.media_type,
            size=len(r.content),
            sha256=r.sha256,
            uploaded_at=r.uploaded_at,
            uploaded_by=r.uploaded_by,
        )
        for r in rows
    ]
