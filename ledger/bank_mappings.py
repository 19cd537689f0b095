"""Column mappings for bank statements, and finding the header row of an export.

No Algerian bank publishes the layout of its statement exports (spec/algeria.md §9: CPA and
BDL e-banking offer Excel/CSV downloads, nothing documents the columns, and no bank was seen
offering MT940 or CAMT to SMEs). The built-in "cpa", "bna", "bea" and "bdl" layouts below are
therefore *plausible guesses* built from the usual French banking wording, not confirmed
formats. That is why detection works on header *names*, compared without case, accents,
punctuation or a trailing currency ("Débit (DZD)" = "debit"), and why users can add their own
mappings in a small JSON file (``$KHAZNA_HOME/bank_mappings.json`` or ``--mappings FILE``)::

    {"mappings": [{"name": "ma_banque",
                   "columns": {"date": "Date opé", "label": ["Libellé", "Motif"],
                               "debit": "Débit", "credit": "Crédit", "reference": "Réf"},
                   "date_format": "dd/mm/yyyy", "decimal_separator": ",",
                   "encoding": "cp1252", "skip_rows": 2, "account": "BNA-0012"}]}
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from khazna.text import ascii_fold

HEADER_SEARCH_ROWS = 30  # title lines (bank, account, period) seldom exceed a handful
FIELDS = (
    "date",
    "value_date",
    "label",
    "reference",
    "amount",
    "debit",
    "credit",
    "balance",
    "account",
)
_DATE_FORMAT = re.compile(r"(dd|mm|yyyy|yy)([/.\- ])(dd|mm|yyyy|yy)\2(dd|mm|yyyy|yy)")


class MappingError(ValueError):
    """A mapping file that cannot be used, or a statement no mapping fits."""


@lru_cache(maxsize=4096)
def normalise_header(text: object) -> str:
    """``'Débit (DZD)'`` → ``'debit'``: no accents, case, punctuation or trailing currency."""
    s = ascii_fold(str(text or ""))
    s = " ".join(re.sub(r"[^0-9a-z]+", " ", s.casefold()).split())
    return re.sub(r"( en)? (da|dzd|dinars?)$", "", s)


def _names(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class Columns(BaseModel):
    """Header names (alternatives) of each column; amount OR debit + credit."""

    model_config = ConfigDict(extra="forbid")
    date: list[str]
    label: list[str]
    amount: list[str] = []
    debit: list[str] = []
    credit: list[str] = []
    reference: list[str] = []
    value_date: list[str] = []
    balance: list[str] = []
    account: list[str] = []  # a column naming the account (RIB, account number) per line

    @field_validator("*", mode="before")
    @classmethod
    def _listify(cls, v):
        return _names(v)

    @model_validator(mode="after")
    def _amount_style(self) -> Columns:
        if not self.date or not self.label:
            raise ValueError("les colonnes 'date' et 'label' sont obligatoires")
        if bool(self.amount) == bool(self.debit or self.credit):
            raise ValueError("donnez soit 'amount' (signé), soit 'debit' et 'credit'")
        if not self.amount and not (self.debit and self.credit):
            raise ValueError("'debit' et 'credit' vont ensemble")
        return self


class BankMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=60)
    columns: Columns
    date_format: str = "dd/mm/yyyy"
    decimal_separator: str = ","
    encoding: str = "utf-8"
    skip_rows: int | None = Field(default=None, ge=0, description="lines before the header")
    delimiter: str | None = None
    account: str | None = None
    sheet: str | None = None
    title_hints: list[str] = []
    description: str = ""

    @field_validator("date_format")
    @classmethod
    def _check_date_format(cls, v: str) -> str:
        m = _DATE_FORMAT.fullmatch(v.strip().lower())
        parts = sorted(p[0] for p in (m.group(1), m.group(3), m.group(4))) if m else []
        if parts != ["d", "m", "y"]:
            raise ValueError(
                f"date_format {v!r} : utilisez dd, mm et yyyy (ou yy), p. ex. 'dd/mm/yyyy'"
            )
        return v.strip().lower()

    @field_validator("decimal_separator")
    @classmethod
    def _check_sep(cls, v: str) -> str:
        if v not in (",", "."):
            raise ValueError("decimal_separator vaut ',' ou '.'")
        return v

    @field_validator("encoding")
    @classmethod
    def _check_encoding(cls, v: str) -> str:
        try:
            return codecs.lookup(v).name
        except LookupError:
            raise ValueError(
                f"unknown encoding {v!r} (try 'utf-8', 'cp1252' or 'latin-1')"
            ) from None

    @field_validator("delimiter")
    @classmethod
    def _check_delimiter(cls, v: str | None) -> str | None:
        if v is not None and (len(v) != 1 or v in '"\r\n'):
            raise ValueError("delimiter est un seul caractère, comme ';' ou ','")
        return v

    def expected(self) -> str:
        """What the mapping looks for, for error messages."""
        c = self.columns
        money = f"amount={c.amount}" if c.amount else f"debit={c.debit}, credit={c.credit}"
        return f"date={c.date}, label={c.label}, {money}"


# Aliases shared by the built-ins (compared after normalise_header).
_DATE = ["Date", "Date opération", "Date d'opération", "Date de l'opération", "Date comptable",
         "Date op", "Date transaction", "Transaction date"]  # fmt: skip
_VALUE_DATE = ["Date valeur", "Date de valeur", "Valeur", "Date val", "Value date"]
_LABEL = ["Libellé", "Libellé opération", "Libellé de l'opération", "Désignation", "Description",
          "Opération", "Nature de l'opération", "Intitulé", "Détails", "Motif", "Details"]  # fmt: skip
_REFERENCE = ["Référence", "Réf", "Réf.", "N° pièce", "Numéro de pièce", "Pièce", "N° opération",
              "Référence opération", "Reference"]  # fmt: skip
_DEBIT = ["Débit", "Débits", "Montant débit", "Sorties", "Debit"]
_CREDIT = ["Crédit", "Crédits", "Montant crédit", "Entrées", "Credit"]
_AMOUNT = ["Montant", "Montant opération", "Montant de l'opération", "Somme", "Amount"]
_BALANCE = ["Solde", "Solde progressif", "Nouveau solde", "Balance"]
_ACCOUNT = ["Compte", "N° compte", "N° de compte", "Numéro de compte", "RIB", "IBAN", "Account"]


def _builtin(name: str, description: str, hints: list[str], **cols: list[str]) -> BankMapping:
    cols.setdefault("value_date", _VALUE_DATE)
    cols.setdefault("reference", _REFERENCE)
    cols.setdefault("balance", _BALANCE)
    cols.setdefault("account", _ACCOUNT)
    return BankMapping(
        name=name, description=description, title_hints=hints, columns=Columns(**cols)
    )


# Order matters on a tie: a generic layout wins unless a title line names the bank.
BUILTIN_MAPPINGS: tuple[BankMapping, ...] = (
    _builtin("generic_fr", "French layout: Date / Libellé / Débit / Crédit", [],
             date=_DATE, label=_LABEL, debit=_DEBIT, credit=_CREDIT),
    _builtin("generic_fr_montant", "French layout with one signed Montant column", [],
             date=_DATE, label=_LABEL, amount=_AMOUNT),
    # Guess: Date opération; Date valeur; Libellé; Référence; Débit; Crédit; Solde.
    _builtin("cpa", "CPA e-banking export (guessed layout, unconfirmed)",
             ["credit populaire d algerie", "cpa"],
             date=["Date opération", *_DATE], label=_LABEL, debit=_DEBIT, credit=_CREDIT),
    # Guess: same vendor as CPA (algeria.md §9, uncertain): Date; Date valeur; Référence; ...
    _builtin("bdl", "BDL e-bdl export (guessed layout, unconfirmed)",
             ["banque de developpement local", "bdl"],
             date=_DATE, label=_LABEL, debit=_DEBIT, credit=_CREDIT),
    # Guess: Date opération; N° pièce; Libellé opération; Montant (signed); Solde.
    _builtin("bna", "BNA export with a signed Montant (guessed layout, unconfirmed)",
             ["banque nationale d algerie", "bna"],
             date=_DATE, label=_LABEL, amount=_AMOUNT),
    # Guess: Date comptable; Date de valeur; Désignation; Référence; Débit; Crédit; Solde.
    _builtin("bea", "BEA export (guessed layout, unconfirmed)",
             ["banque exterieure d algerie", "bea"],
             date=["Date comptable", *_DATE], label=_LABEL, debit=_DEBIT, credit=_CREDIT),
)  # fmt: skip


def load_mappings(path: Path) -> list[BankMapping]:
    """Mappings from a JSON file: ``{"mappings": [...]}``, a list, or ``{name: {...}}``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise MappingError(
            f"impossible de lire le fichier de correspondances {path} : {err.strerror}"
        ) from None
    except UnicodeDecodeError:
        raise MappingError(f"{path}: le fichier de correspondances doit être en UTF-8") from None
    except json.JSONDecodeError as err:
        raise MappingError(f"{path}:{err.lineno}:{err.colno} : JSON invalide : {err.msg}") from None
    if isinstance(data, dict) and "mappings" in data:
        data = data["mappings"]
    elif isinstance(data, dict):
        data = [{"name": k, **v} if isinstance(v, dict) else v for k, v in data.items()]
    if not isinstance(data, list):
        raise MappingError(
            f'{path} : attendu {{"mappings": [...]}} avec un objet par correspondance'
        )
    out = []
    for i, item in enumerate(data):
        try:
            out.append(BankMapping.model_validate(item))
        except ValidationError as err:
            name = item.get("name", f"#{i + 1}") if isinstance(item, dict) else f"#{i + 1}"
            msgs = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'mapping'}: {e['msg']}"
                for e in err.errors()
            )
            raise MappingError(f"{path}: correspondance {name!r} : {msgs}") from None
    return out


def all_mappings(files: list[Path]) -> list[BankMapping]:
    """User mappings from ``files`` (first file first), then the built-ins.

    A user mapping with a built-in's name replaces it.
    """
    user: list[BankMapping] = []
    for f in files:
        user.extend(load_mappings(f))
    names = {m.name for m in user}
    return user + [m for m in BUILTIN_MAPPINGS if m.name not in names]


def required_fields(mapping: BankMapping) -> list[str]:
    return ["date", "label"] + (["amount"] if mapping.columns.amount else ["debit", "credit"])


@dataclass
class HeaderMatch:
    mapping: BankMapping
    row_index: int  # 0-based index of the header among the rows read
    positions: dict[str, int]  # field → 0-based column
    headers: list[str]  # the header cells as found
    missing: list[str] = field(default_factory=list)
    hinted: bool = False

    @property
    def ok(self) -> bool:
        return not self.missing

    def rank(self, order: int) -> tuple:
        # A full match first; then the user's own mappings, a bank named in the title
        # lines, the most columns recognised, and the earliest mapping.
        user = not any(self.mapping is b for b in BUILTIN_MAPPINGS)
        return (self.ok, user, self.hinted, len(self.positions), -order)


def match_row(mapping: BankMapping, cells: list, row_index: int, titles: list[list]) -> HeaderMatch:
    norm = [normalise_header(c) for c in cells]
    positions: dict[str, int] = {}
    for name in FIELDS:
        wanted = {normalise_header(a) for a in getattr(mapping.columns, name)}
        for i, h in enumerate(norm):
            if h and h in wanted and i not in positions.values():
                positions[name] = i
                break
    missing = [f for f in required_fields(mapping) if f not in positions]
    title_text = " " + " ".join(normalise_header(c) for row in titles for c in row if c) + " "
    hinted = any(f" {normalise_header(h)} " in title_text for h in mapping.title_hints)
    return HeaderMatch(
        mapping, row_index, positions, [str(c or "") for c in cells], missing, hinted
    )


def find_header(
    rows: list[list], mappings: list[BankMapping], forced: str | None = None
) -> HeaderMatch:
    """The best (mapping, header row) among the first rows of a statement.

    Raises :class:`MappingError` that says what was expected and which headers were found.
    """
    if forced is not None:
        chosen = [m for m in mappings if m.name == forced]
        if not chosen:
            known = ", ".join(m.name for m in mappings)
            raise MappingError(
                f"aucune correspondance de colonnes nommée {forced!r} (connues : {known})"
            )
        mappings = chosen
    best: tuple[tuple, HeaderMatch] | None = None
    for order, m in enumerate(mappings):
        span = [m.skip_rows] if m.skip_rows is not None else range(HEADER_SEARCH_ROWS)
        for r in span:
            if r >= len(rows):
                break
            hm = match_row(m, rows[r], r, rows[:r])
            key = hm.rank(order)
            if best is None or key > best[0]:
                best = (key, hm)
            if hm.ok:
                break  # the first full header of a mapping is its header
    if best is not None and best[1].ok:
        return best[1]
    if not rows:
        raise MappingError("le fichier est vide : ni en-tête ni lignes")
    found = best[1] if best and best[1].positions else None
    if found is None:  # no cell looks like a header: show the widest row
        r = max(
            range(min(len(rows), HEADER_SEARCH_ROWS)), key=lambda i: sum(1 for c in rows[i] if c)
        )
        headers, where = [str(c or "") for c in rows[r]], r
    else:
        headers, where = found.headers, found.row_index
    shown = ", ".join(repr(h) for h in headers if h.strip()) or "(rien)"
    if forced is not None:
        m = mappings[0]
        missing = found.missing if found else required_fields(m)
        miss = ", ".join(f"{f} (l'un de {getattr(m.columns, f)})" for f in missing)
        scope = (
            f"la ligne {m.skip_rows + 1}"
            if m.skip_rows is not None
            else f"les {HEADER_SEARCH_ROWS} premières lignes"
        )
        raise MappingError(
            f"la correspondance {m.name!r} attend {m.expected()} ; manquant dans {scope} : {miss}. "
            f"En-têtes trouvés ligne {where + 1} : {shown}"
        )
    tried = "; ".join(f"{m.name}: {m.expected()}" for m in mappings[:8])
    raise MappingError(
        f"aucune correspondance de colonnes ne reconnaît les en-têtes de ce relevé. En-têtes "
        f"trouvés ligne {where + 1} : {shown}. Correspondances essayées : {tried}. Ajoutez-en "
        "une dans bank_mappings.json (ou --mappings FICHIER), ou imposez-en une avec "
        "--mapping NOM"
    )
