"""The bundle's files and columns (``spec/bundle.md``) as data: which columns, which are
required, and how each value is read. One table drives import, validation and export."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from khazna.money import MoneyError, parse_plain
from khazna.text import fold

CATEGORIES = (
    "encaissement_client salaires cotisations_sociales impots_taxes loyer energie telecom carburant "
    "fournitures achats_marchandises sous_traitance honoraires transport deplacements restaurant "
    "assurance maintenance publicite frais_bancaires equipement remboursement_emprunt "
    "virement_interne autre"
).split()


class Invalid(ValueError):
    """A value that does not read; the message says what was expected."""


Parser = Callable[[str], Any]


# C0 controls (TAB, CR, LF, NUL included), DEL, C1 controls, the Unicode line and paragraph
# separators, and the backslash (a path separator on Windows): never in an id.
ID_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\\]")
_CHAR_NAMES = {"\0": "NUL", "\r": "CR", "\n": "LF", "\t": "TAB", "\\": "une barre oblique inverse"}
# Control characters a free text never needs (TAB, LF and CR are kept: notes have lines).
TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MAX_DIGITS = 15  # an amount the ledger stores exactly on every backend (SQLite keeps doubles)
FIRST_YEAR, LAST_YEAR = 1990, 2100


def id_problem(v: str) -> str | None:
    """Why ``v`` cannot be an id (invoice number, client id ...), or None.

    Ids become file names and links (``khazna.filenames``): a control character, CR/LF, NUL,
    a backslash, or a ``.``/``..`` segment between slashes is refused; a plain ``/`` (as in
    ``2026/0001``) is an ordinary character, encoded where the id names a file or a link."""
    if m := ID_FORBIDDEN.search(v):
        c = m.group()
        name = _CHAR_NAMES.get(c, f"le caractère de contrôle U+{ord(c):04X}")
        return f"un identifiant ne peut pas contenir {name} (caractère {m.start() + 1}) : {v!r}"
    if "." in v and any(seg in (".", "..") for seg in v.split("/")):
        return f"un identifiant ne peut pas contenir de segment de chemin '.' ou '..' : {v!r}"
    return None


def text(v: str) -> str:
    return v


# Parsers whose result depends on the text alone and whose columns hold few distinct texts
# (enumerations, dates, yes/no, rates): a reader of a million rows may remember their results.
FEW_VALUES: set[Callable[[str], Any]] = set()


def ident(v: str) -> str:
    if not v:
        raise Invalid("identifiant vide")
    if problem := id_problem(v):
        raise Invalid(problem)
    return v


def ref(v: str) -> str:
    """An optional reference to an id (empty allowed), under the rules of :func:`id_problem`."""
    return ident(v) if v else v


def refs(v: str) -> str:
    """Several ids separated by ``;`` (``payments.csv`` ``invoice_number``), each checked."""
    for part in v.split(";"):
        if part.strip() and (problem := id_problem(part.strip())):
            raise Invalid(problem)
    return v


def in_range(d: date, v: str) -> date:
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise Invalid(f"une date entre {FIRST_YEAR} et {LAST_YEAR} est attendue : {v!r}")
    return d


@functools.lru_cache(maxsize=65536)  # a million rows carry a few thousand distinct dates
def iso_date(v: str) -> date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            raise ValueError
        d = date.fromisoformat(v)
    except ValueError:
        raise Invalid(f"pas une date AAAA-MM-JJ : {v!r}") from None
    return in_range(d, v)


def exact_digits(d: Decimal, v: str) -> Decimal:
    """``d`` when the ledger can hold it exactly: at most :data:`MAX_DIGITS` significant digits."""
    if len(d.normalize().as_tuple().digits) > MAX_DIGITS or abs(d) >= Decimal(10) ** 13:
        raise Invalid(
            f"plus de {MAX_DIGITS} chiffres significatifs (13 au plus avant la virgule) : "
            f"{v!r} ne peut pas être gardé exactement"
        )
    return d


# an amount the ledger holds exactly as written (≤ 13 digits before the point, ≤ 2 after):
# the common case, read without the general checks below (same result)
PLAIN_EXACT = re.compile(r"-?(?:0|[1-9][0-9]{0,12})(?:\.[0-9]{1,2})?")


def money(v: str) -> Decimal:
    if PLAIN_EXACT.fullmatch(v):
        return Decimal(v)
    try:
        return exact_digits(parse_plain(v), v)
    except MoneyError as err:
        raise Invalid(str(err)) from None


def positive_money(v: str) -> Decimal:
    d = money(v)
    if d <= 0:
        raise Invalid(f"doit être positif : {v!r}")
    return d


def quantity(v: str) -> Decimal:
    if not re.fullmatch(r"\d+(\.\d{1,3})?", v):
        if v.startswith("-"):
            raise Invalid(f"quantité négative : {v!r}")
        raise Invalid(f"pas une quantité (chiffres, point décimal, 3 décimales au plus) : {v!r}")
    return exact_digits(Decimal(v), v)


def integer(lo: int, hi: int) -> Parser:
    def parse(v: str) -> int:
        if not re.fullmatch(r"-?\d+", v):
            raise Invalid(f"pas un nombre entier : {v!r}")
        n = int(v)
        if not lo <= n <= hi:
            raise Invalid(f"doit être entre {lo} et {hi} : {v!r}")
        return n

    FEW_VALUES.add(parse)  # terms, days of the month: few distinct texts
    return parse


def _fold(v: str) -> str:
    """Case, accents, spaces, hyphens, slashes, apostrophes and abbreviation dots do not
    matter in an enumerated value (``Prélèvement.``, ``C.B.``, ``Prlv`` are ``prelevement``,
    ``cb``, ``prlv``)."""
    bare = fold(v.strip()).replace(".", "")
    return re.sub(r"[\s\-/'\u2019]+", "_", bare).strip("_")


def one_of(*choices: str, synonyms: Mapping[str, str] | None = None) -> Parser:
    """One of ``choices``, read through :func:`_fold` and the usual ``synonyms``."""
    table = {_fold(c): c for c in choices}
    table.update({_fold(k): v for k, v in (synonyms or {}).items()})

    def parse(v: str) -> str:
        found = table.get(_fold(v))
        if found is None:
            raise Invalid(f"doit valoir l'un de {', '.join(c for c in choices if c)} : {v!r}")
        return found

    FEW_VALUES.add(parse)
    return parse


def email(v: str) -> str:
    if v and not re.fullmatch(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+", v):
        raise Invalid(f"pas une adresse électronique : {v!r}")
    return v


def tva_rate(v: str) -> Decimal:
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", v):  # no NaN, exponent, nor 40 digits
        raise Invalid(f"pas un taux de TVA en pour cent : {v!r}")
    return Decimal(v)


def yes_no(v: str) -> str:
    low = v.lower()
    if low in ("yes", "oui", "y", "1", "true"):
        return "yes"
    if low in ("no", "non", "n", "0", "false", ""):
        return "no"
    raise Invalid(f"doit valoir yes ou no : {v!r}")


@dataclass(frozen=True)
class Col:
    parse: Parser = text
    required: bool = False  # the column must be in the header and the value non-empty
    default: Any = ""  # value when the column is absent or the cell empty


@dataclass(frozen=True)
class FileSpec:
    name: str
    key: str
    columns: dict[str, Col]
    required_file: bool = False
    export_order: list[str] = field(default_factory=list)

    @property
    def required_columns(self) -> set[str]:
        return {c for c, spec in self.columns.items() if spec.required}


# The usual singular/plural and everyday words for a category (folded before the look-up).
CATEGORY_SPELLINGS = {
    "salaire": "salaires",
    "paie": "salaires",
    "cotisation_sociale": "cotisations_sociales",
    "cnas": "cotisations_sociales",
    "casnos": "cotisations_sociales",
    "impot": "impots_taxes",
    "impots": "impots_taxes",
    "taxes": "impots_taxes",
    "impots_et_taxes": "impots_taxes",
    "loyers": "loyer",
    "electricite": "energie",
    "electricite_gaz": "energie",
    "telecoms": "telecom",
    "telecommunications": "telecom",
    "fourniture": "fournitures",
    "sous_traitant": "sous_traitance",
    "honoraire": "honoraires",
    "deplacement": "deplacements",
    "restauration": "restaurant",
    "assurances": "assurance",
    "entretien": "maintenance",
    "frais_bancaire": "frais_bancaires",
    "frais_de_banque": "frais_bancaires",
    "equipements": "equipement",
    "emprunt": "remboursement_emprunt",
    "divers": "autre",
    "autres": "autre",
}
category = one_of(*CATEGORIES, synonyms=CATEGORY_SPELLINGS)

# spec/bundle.md, expenses.csv `method`: the values and their usual spellings (case and
# accents are folded before the look-up).
METHODS = ("virement", "cheque", "especes", "carte", "effet", "prelevement")
METHOD_SPELLINGS = {
    "vir": "virement",
    "virement_bancaire": "virement",
    "chq": "cheque",
    "ch": "cheque",
    "espece": "especes",
    "cash": "especes",
    "liquide": "especes",
    "cb": "carte",
    "carte_bancaire": "carte",
    "carte_cib": "carte",
    "cib": "carte",
    "traite": "effet",
    "lettre_de_change": "effet",
    "prlv": "prelevement",
    "prelev": "prelevement",
    "prelevement_automatique": "prelevement",
    "debit_direct": "prelevement",
}
method = one_of(*METHODS, synonyms=METHOD_SPELLINGS)

LANGUAGES = {
    "francais": "fr",
    "french": "fr",
    "fra": "fr",
    "arabe": "ar",
    "arabic": "ar",
    "ara": "ar",
    "عربي": "ar",
    "عربية": "ar",
    "العربية": "ar",
}
CHANNELS = {
    "mail": "email",
    "e_mail": "email",
    "courriel": "email",
    "telephone": "phone",
    "tel": "phone",
    "appel": "phone",
    "wa": "whatsapp",
    "visite": "visit",
    "courrier": "letter",
    "lettre": "letter",
}
DIRECTIONS = {
    "entrant": "in",
    "entree": "in",
    "recu": "in",
    "inbound": "in",
    "sortant": "out",
    "sortie": "out",
    "envoye": "out",
    "outbound": "out",
}
KINDS = {
    "remarque": "note",
    "promesse": "promise",
    "promesse_de_paiement": "promise",
    "litige": "dispute",
    "contestation": "dispute",
    "reclamation": "dispute",
    "relance": "reminder",
    "rappel": "reminder",
}
# interactions.csv `unconfirmed` (mail/replies.py writes them)
UNCONFIRMED = ("", "sender_not_authenticated", "sender_not_client", "no_invoice_of_client")

CLIENTS = FileSpec(
    "clients.csv",
    "client_id",
    {
        "client_id": Col(ident, True),
        "name": Col(ident, True),
        "kind": Col(
            one_of(
                "grand_compte",
                "pme",
                "administration",
                "particulier",
                synonyms={
                    "gc": "grand_compte",
                    "admin": "administration",
                    "public": "administration",
                    "grande_entreprise": "grand_compte",
                    "grand_client": "grand_compte",
                    "personne_physique": "particulier",
                },
            ),
            True,
        ),
        "email": Col(email),
        "phone": Col(),
        "language": Col(one_of("fr", "ar", synonyms=LANGUAGES), default="fr"),
        "payment_terms_days": Col(integer(0, 365), default=30),
        "nif": Col(),
        "nis": Col(),
        "rc": Col(),
        "ai": Col(),
        "address": Col(),
        # optional: how a letter addresses the client (Madame / Monsieur; السيدة / السيد)
        "civility": Col(
            one_of(
                "f",
                "m",
                "s",
                synonyms={
                    "mme": "f",
                    "madame": "f",
                    "mlle": "f",
                    "melle": "f",
                    "mademoiselle": "f",
                    "female": "f",
                    "femme": "f",
                    "ms": "f",
                    "mrs": "f",
                    "السيدة": "f",
                    "الانسة": "f",
                    "الآنسة": "f",
                    "سيدة": "f",
                    "monsieur": "m",
                    "mr": "m",
                    "m.": "m",
                    "homme": "m",
                    "male": "m",
                    "السيد": "m",
                    "سيد": "m",
                    "raison sociale": "s",
                    "raison_sociale": "s",
                    "societe": "s",
                    "entreprise": "s",
                    "personne morale": "s",
                    "شركة": "s",
                },  # fmt: skip
            )
        ),
        # optional: where reminders go (khazna client set-channel); email when empty
        "channel": Col(
            one_of(
                "email",
                "whatsapp",
                "sms",
                synonyms={
                    "e-mail": "email",
                    "mail": "email",
                    "courriel": "email",
                    "wa": "whatsapp",
                    "whats app": "whatsapp",
                    "واتساب": "whatsapp",
                    "texto": "sms",
                },
            ),  # fmt: skip
            default="email",
        ),
    },
    required_file=True,
)
SUPPLIERS = FileSpec(
    "suppliers.csv",
    "supplier_id",
    {
        "supplier_id": Col(ident, True),
        "name": Col(ident, True),
        "category": Col(category, default="autre"),
        "email": Col(email),
        "nif": Col(),
    },
)
INVOICES = FileSpec(
    "invoices.csv",
    "number",
    {
        "number": Col(ident, True),
        "client_id": Col(ident, True),
        "issue_date": Col(iso_date, True),
        "due_date": Col(iso_date),
        "payment_method": Col(method, default="virement"),
        "total_ht": Col(money, True),
        "total_tva": Col(money, default=Decimal("0")),
        "timbre": Col(money, default=Decimal("0")),
        "total_ttc": Col(money, True),
        "status": Col(
            one_of(
                "issued",
                "cancelled",
                synonyms={"emise": "issued", "annulee": "cancelled", "canceled": "cancelled"},
            ),
            default="issued",
        ),
        "credited_invoice": Col(ref),
    },
    required_file=True,
)
INVOICE_LINES = FileSpec(
    "invoice_lines.csv",
    "",
    {
        "number": Col(ident, True),
        "description": Col(),
        "quantity": Col(quantity, True),
        "unit": Col(),
        "unit_price_ht": Col(money, True),
        "tva_rate": Col(tva_rate, default=Decimal("19")),
    },
)
PAYMENTS = FileSpec(
    "payments.csv",
    "payment_id",
    {
        "payment_id": Col(ident, True),
        "date": Col(iso_date, True),
        "client_id": Col(ident, True),
        "invoice_number": Col(refs),
        "amount": Col(positive_money, True),
        "method": Col(method, default="virement"),
        "reference": Col(),
        "status": Col(
            one_of(
                "cleared",
                "rejected",
                synonyms={"encaisse": "cleared", "rejete": "rejected", "impaye": "rejected"},
            ),
            default="cleared",
        ),
    },
    required_file=True,
)
EXPENSES = FileSpec(
    "expenses.csv",
    "expense_id",
    {
        "expense_id": Col(ident, True),
        "date": Col(iso_date, True),
        "supplier_id": Col(ref),
        "payee": Col(),
        "category": Col(category, default="autre"),
        "amount": Col(positive_money, True),
        "method": Col(method, default="virement"),
        "reference": Col(),
        "supplier_invoice": Col(),
        "employee": Col(),
        "card_id": Col(ref),
        "receipt": Col(yes_no, default="no"),
        "description": Col(),
    },
)
BANK_LINES = FileSpec(
    "bank_lines.csv",
    "line_id",
    {
        "line_id": Col(ident, True),
        "account": Col(),
        "date": Col(iso_date, True),
        "label": Col(),
        "amount": Col(money, True),
        "reference": Col(),
    },
    required_file=True,
)
COMMITMENTS = FileSpec(
    "commitments.csv",
    "commitment_id",
    {
        "commitment_id": Col(ident, True),
        "label": Col(ident, True),
        "category": Col(category, default="autre"),
        "amount": Col(positive_money, True),
        "day_of_month": Col(integer(1, 31), True),
        "every_months": Col(integer(1, 120), default=1),
        "start": Col(iso_date, default=None),
        "end": Col(iso_date, default=None),
    },
)
INTERACTIONS = FileSpec(
    "interactions.csv",
    "interaction_id",
    {
        "interaction_id": Col(ident, True),
        "client_id": Col(ident, True),
        "date": Col(iso_date, True),
        "channel": Col(
            one_of("email", "phone", "whatsapp", "visit", "letter", synonyms=CHANNELS),
            default="email",
        ),
        "direction": Col(one_of("in", "out", synonyms=DIRECTIONS), default="in"),
        "kind": Col(one_of("", "note", "promise", "dispute", "reminder", synonyms=KINDS)),
        "text": Col(),
        # a client's email read by Khazna that may not pause reminders by itself (why), so
        # that an export re-imports it the same; empty for the owner's own records
        "unconfirmed": Col(one_of(*UNCONFIRMED)),
    },
)

# Dependency order: a file's references are loaded before it.
CSV_FILES = (
    CLIENTS,
    SUPPLIERS,
    INVOICES,
    INVOICE_LINES,
    PAYMENTS,
    EXPENSES,
    BANK_LINES,
    COMMITMENTS,
    INTERACTIONS,
)


FEW_VALUES.update({iso_date, yes_no, tva_rate})
