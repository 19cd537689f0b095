"""The rules of ``spec/algeria.md`` part 1 applied to one invoice document.

Each rule adds findings with the stable codes of ``spec/cli.md``. Codes added here beyond
that list: ``BUYER_NIS_INVALID``, ``BUYER_AI_INVALID`` (warnings) and
``AMOUNT_IN_WORDS_UNREADABLE`` (warning: words present but not a French amount).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

from khazna.ledger.documents import DocLine, InvoiceDocument, Party
from khazna.money import format_dzd, q2
from khazna.text import fold
from khazna.tools.invoice_check import identifiers as ids
from khazna.tools.invoice_check.currency import DINAR
from khazna.tools.invoice_check.models import CheckResult, CheckSettings, Finding, Severity
from khazna.tools.invoice_check.words import words_to_amount

ZERO = Decimal("0")
# Legal forms of a natural person, who has no share capital.
_NO_CAPITAL_FORMS = {"ei", "entreprise individuelle", "personne physique", "auto entrepreneur"}
_PERSON_KINDS = {"particulier", "personne", "personne physique", "person", "consommateur"}


@lru_cache(maxsize=1 << 16)
def plain(text: str) -> str:
    """Lower case, no accents, single spaces: for comparing words (kept for the texts seen
    last: a ledger check compares the same forms, methods and kinds on every invoice)."""
    t = fold(text)
    return re.sub(r"[^a-z0-9]+", " ", t).strip()


def timbre_due(ttc_before: Decimal, settings: CheckSettings | None = None) -> Decimal:
    """The stamp duty on a cash payment of ``ttc_before`` (the TTC before the duty)."""
    scale = (settings or CheckSettings()).timbre
    if ttc_before <= scale.exempt_up_to:
        return ZERO
    units = (ttc_before / scale.per).to_integral_value(rounding=ROUND_CEILING)
    rate = next(b.rate for b in scale.brackets if b.up_to is None or ttc_before <= b.up_to)
    duty = max(q2(units * rate), scale.minimum)
    if scale.cap is not None:
        duty = min(duty, scale.cap)
    return q2(duty)


def buyer_kind_is_person(doc: InvoiceDocument) -> bool:
    """A document may say ``buyer.kind`` (an extra field): ``particulier`` means a person."""
    kind = getattr(doc.buyer, "kind", None) or (doc.buyer.model_extra or {}).get("kind")
    return isinstance(kind, str) and plain(kind) in _PERSON_KINDS


def rate_percent(rate: Decimal) -> Decimal:
    """Rates are in percent (19); a fraction (0.19) is read as its percent."""
    return rate * 100 if ZERO < rate < 1 else rate


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class _Findings(list[Finding]):
    def add(self, code: str, severity: Severity, field: str, message: str) -> None:
        self.append(Finding(code=code, severity=severity, field=field, message=message))


_SELLER_MENTIONS = [
    ("name", "SELLER_NAME_MISSING", "le nom ou la raison sociale du vendeur"),
    ("legal_form", "SELLER_LEGAL_FORM_MISSING", "la forme juridique du vendeur"),
    ("capital", "SELLER_CAPITAL_MISSING", "le capital social du vendeur"),
    ("address", "SELLER_ADDRESS_MISSING", "l'adresse du vendeur"),
    ("rc", "SELLER_RC_MISSING", "le numéro de registre du commerce (RC) du vendeur"),
    ("nif", "SELLER_NIF_MISSING", "le NIF du vendeur"),
    ("nis", "SELLER_NIS_MISSING", "le NIS du vendeur"),
    ("ai", "SELLER_AI_MISSING", "l'article d'imposition (AI) du vendeur"),
]
_BUYER_MENTIONS = [
    ("name", "BUYER_NAME_MISSING", "error", "le nom du client"),
    ("address", "BUYER_ADDRESS_MISSING", "error", "l'adresse du client"),
    ("rc", "BUYER_RC_MISSING", "warning", "le registre du commerce (RC) du client"),
    ("nif", "BUYER_NIF_MISSING", "error", "le NIF du client"),
    ("ai", "BUYER_AI_MISSING", "warning", "l'article d'imposition (AI) du client"),
]
_ID_RULES: list[tuple[str, Callable[[str], bool], str]] = [
    ("nif", ids.nif_valid, "15 ou 20 chiffres"),
    ("nis", ids.nis_valid, "15 chiffres"),
    ("ai", ids.ai_valid, "11 chiffres"),
    ("rc", ids.rc_valid, "forme « 16/00-0012345 B 19 » ou « 19 B 0012345 16/00 »"),
]
_BUYER_ID_SEVERITY: dict[str, Severity] = {
    "nif": "error",
    "rc": "warning",
    "nis": "warning",
    "ai": "warning",
}


class _Known:
    """Which fields are known, and which are absent: for a structured document every empty
    field is absent; for a PDF only those the reader found nothing for (``unread`` ones are
    neither known nor absent, so that no rule accuses on them)."""

    def __init__(self, doc: InvoiceDocument, status: Mapping[str, str] | None) -> None:
        self.doc, self.status = doc, status

    def value(self, name: str) -> object:
        obj: object = self.doc
        for part in name.split("."):
            obj = getattr(obj, part, None)
        return obj

    def absent(self, name: str) -> bool:
        if self.status is None or name not in self.status:
            return _blank(self.value(name))
        return self.status[name] == "absent"

    def unread(self, name: str) -> bool:
        return self.status is not None and self.status.get(name) == "unread"


def _mentions(
    doc: InvoiceDocument, person: bool, fields: _Known, out: _Findings, dinar: bool = True
) -> None:
    s = doc.seller
    no_capital = not _blank(s.legal_form) and plain(s.legal_form or "") in _NO_CAPITAL_FORMS
    for attr, code, what in _SELLER_MENTIONS:
        if attr == "capital" and (no_capital or fields.unread("seller.legal_form")):
            continue
        if fields.absent(f"seller.{attr}"):
            out.add(code, "error", f"seller.{attr}", f"Mention obligatoire absente : {what}.")
    for attr, code, sev, what in _BUYER_MENTIONS:
        if person and attr != "name":
            continue
        if fields.absent(f"buyer.{attr}"):
            out.add(code, sev, f"buyer.{attr}", f"Mention absente : {what}.")  # type: ignore[arg-type]
    for attr, code, what in [
        ("number", "NUMBER_MISSING", "le numéro de la facture"),
        ("issue_date", "DATE_MISSING", "la date de la facture"),
        ("payment_method", "PAYMENT_METHOD_MISSING", "le mode de paiement"),
        ("amount_in_words", "AMOUNT_IN_WORDS_MISSING", "le montant TTC en lettres"),
    ]:
        if attr == "amount_in_words" and not dinar:
            continue  # the amount in words is required in dinars
        if fields.absent(attr):
            out.add(code, "error", attr, f"Mention obligatoire absente : {what}.")
    if fields.absent("due_date") and fields.absent("payment_terms"):
        out.add(
            "TERMS_MISSING",
            "error",
            "due_date",
            "Ni date d'échéance ni conditions de paiement : la date de règlement doit figurer.",
        )


def _identifiers(doc: InvoiceDocument, out: _Findings) -> None:
    for role, party in (("seller", doc.seller), ("buyer", doc.buyer)):
        for attr, valid, shape in _ID_RULES:
            value = getattr(party, attr)
            if _blank(value) or valid(value):
                continue
            sev: Severity = "error" if role == "seller" else _BUYER_ID_SEVERITY[attr]
            who = "du vendeur" if role == "seller" else "du client"
            out.add(
                f"{role.upper()}_{attr.upper()}_INVALID",
                sev,
                f"{role}.{attr}",
                f"{attr.upper()} {who} mal formé : « {value} » (attendu : {shape}).",
            )
    rib = _party_rib(doc.seller)
    if rib and not ids.rib_valid(rib):
        out.add(
            "RIB_INVALID",
            "error",
            "seller.rib",
            f"RIB « {rib} » invalide : 20 chiffres attendus dont une clé de contrôle exacte.",
        )


def _party_rib(p: Party) -> str:
    return (p.rib or "").strip()


def _line_ht(line: DocLine) -> Decimal | None:
    if line.quantity is not None and line.unit_price_ht is not None:
        return q2(line.quantity * line.unit_price_ht)
    return line.total_ht


def amount_in(currency: str) -> Callable[[Decimal], str]:
    """Amounts printed in the invoice's own currency: ``1 234,50 DA`` or ``46,68 EUR``."""
    symbol = "DA" if currency == DINAR else currency
    return lambda value: format_dzd(value, symbol)


def _arithmetic(
    doc: InvoiceDocument, st: CheckSettings, out: _Findings, currency: str = DINAR
) -> None:
    money = amount_in(currency)  # this invoice's amounts, in its own currency
    tol = st.tolerance
    n = max(1, len(doc.lines))
    by_rate: dict[Decimal, Decimal] = {}
    lines_complete = bool(doc.lines)
    for i, line in enumerate(doc.lines):
        ht = _line_ht(line)
        if (
            line.total_ht is not None
            and ht is not None
            and line.quantity is not None
            and line.unit_price_ht is not None
            and abs(ht - line.total_ht) > tol
        ):
            out.add(
                "LINE_TOTAL_MISMATCH",
                "error",
                f"lines[{i}].total_ht",
                f"Ligne {i + 1} : {line.quantity} × {money(line.unit_price_ht)} = "
                f"{money(ht)}, mais la facture indique {money(line.total_ht)}.",
            )
        if line.tva_rate is not None and currency == DINAR:  # Algeria's rates, in dinars
            rate = rate_percent(line.tva_rate)
            if rate not in st.tva_rates:
                out.add(
                    "TVA_RATE_INVALID",
                    "error",
                    f"lines[{i}].tva_rate",
                    f"Ligne {i + 1} : taux de TVA {rate} % inconnu (taux légaux : 0, 9 ou 19 %).",
                )
        if ht is None or line.tva_rate is None:
            lines_complete = False
            continue
        rate = rate_percent(line.tva_rate)
        by_rate[rate] = by_rate.get(rate, ZERO) + ht
    if doc.lines and all(_line_ht(ln) is not None for ln in doc.lines) and doc.total_ht is not None:
        expected = sum((_line_ht(ln) or ZERO for ln in doc.lines), ZERO)
        if abs(expected - doc.total_ht) > tol * n:
            out.add(
                "TOTAL_HT_MISMATCH",
                "error",
                "total_ht",
                f"Le total HT indiqué ({money(doc.total_ht)}) n'est pas la somme des "
                f"lignes ({money(expected)}).",
            )
    if lines_complete and doc.total_tva is not None:
        expected_tva = sum((q2(ht * r / 100) for r, ht in by_rate.items()), ZERO)
        if abs(expected_tva - doc.total_tva) > tol * n:
            detail = ", ".join(f"{r} % sur {money(ht)}" for r, ht in sorted(by_rate.items()))
            out.add(
                "TVA_AMOUNT_MISMATCH",
                "error",
                "total_tva",
                f"TVA indiquée {money(doc.total_tva)} ; attendu {money(expected_tva)} ({detail}).",
            )
    if doc.total_ttc is not None and doc.total_ht is not None and doc.total_tva is not None:
        expected_ttc = doc.total_ht + doc.total_tva + (doc.timbre or ZERO)
        if abs(expected_ttc - doc.total_ttc) > tol:
            out.add(
                "TOTAL_TTC_MISMATCH",
                "error",
                "total_ttc",
                f"Total TTC indiqué {money(doc.total_ttc)} ; HT + TVA + timbre = "
                f"{money(expected_ttc)}.",
            )


def is_cash(method: str | None, st: CheckSettings) -> bool:
    return bool(method) and plain(method or "") in {plain(m) for m in st.cash_methods}


def _timbre(doc: InvoiceDocument, st: CheckSettings, fields: _Known, out: _Findings) -> None:
    if fields.unread("payment_method") or fields.unread("timbre"):
        return  # the duty cannot be judged on a method or a stamp not read
    stamp = doc.timbre or ZERO
    if not is_cash(doc.payment_method, st):
        if stamp > 0:
            out.add(
                "TIMBRE_UNEXPECTED",
                "error",
                "timbre",
                f"Droit de timbre de {format_dzd(stamp)} sur une facture non payée en espèces "
                f"({doc.payment_method or 'mode non indiqué'}) : il ne s'applique qu'aux espèces.",
            )
        return
    if doc.total_ht is not None and doc.total_tva is not None:
        base = doc.total_ht + doc.total_tva
    elif doc.total_ttc is not None:
        base = doc.total_ttc - stamp
    else:
        return
    due = timbre_due(base, st)
    if due > 0 and stamp == 0:
        out.add(
            "TIMBRE_MISSING",
            "error",
            "timbre",
            f"Paiement en espèces de {format_dzd(base)} : droit de timbre de {format_dzd(due)} "
            "absent.",
        )
    elif abs(due - stamp) > st.tolerance:
        out.add(
            "TIMBRE_INCORRECT",
            "error",
            "timbre",
            f"Droit de timbre indiqué {format_dzd(stamp)} ; le barème donne {format_dzd(due)} "
            f"sur {format_dzd(base)}.",
        )


def _dates(doc: InvoiceDocument, as_of: date, out: _Findings) -> None:
    if doc.issue_date and doc.due_date and doc.due_date < doc.issue_date:
        out.add(
            "DUE_DATE_BEFORE_ISSUE",
            "error",
            "due_date",
            f"L'échéance ({doc.due_date:%d/%m/%Y}) précède la date de la facture "
            f"({doc.issue_date:%d/%m/%Y}).",
        )
    if doc.issue_date and doc.issue_date > as_of:
        out.add(
            "DATE_IN_FUTURE",
            "error",
            "issue_date",
            f"La facture est datée du {doc.issue_date:%d/%m/%Y}, après le {as_of:%d/%m/%Y}.",
        )


def _clarity(doc: InvoiceDocument, st: CheckSettings, out: _Findings, read: bool) -> None:
    vague = {plain(w) for w in st.vague_words}
    vague |= {w + "s" for w in vague} | {"diverse", "diverses", "autre", "autres"}
    glue = {"de", "des", "du", "d", "et", "la", "le", "les"}
    for i, line in enumerate(doc.lines):
        words = plain(line.description or "").split()
        if read and not words:
            continue  # a PDF line whose description was not read says nothing of it
        if not words or all(w in vague or w in glue for w in words):
            shown = (line.description or "").strip() or "(vide)"
            out.add(
                "DESCRIPTION_VAGUE",
                "warning",
                f"lines[{i}].description",
                f"Ligne {i + 1} : désignation « {shown} » trop vague ; indiquez ce qui a été "
                "vendu ou fait.",
            )


def _words(doc: InvoiceDocument, out: _Findings) -> None:
    if _blank(doc.amount_in_words) or doc.total_ttc is None:
        return
    value = words_to_amount(doc.amount_in_words or "")
    if value is None:
        out.add(
            "AMOUNT_IN_WORDS_UNREADABLE",
            "warning",
            "amount_in_words",
            f"Montant en lettres illisible : « {doc.amount_in_words} ».",
        )
    elif value != q2(doc.total_ttc):
        out.add(
            "AMOUNT_IN_WORDS_MISMATCH",
            "error",
            "amount_in_words",
            f"Le montant en lettres ({format_dzd(value)}) diffère du total TTC "
            f"({format_dzd(doc.total_ttc)}).",
        )


_STRUCTURED_TOTALS = [
    ("total_ht", "TOTAL_HT_MISSING", "le total hors taxes"),
    ("total_tva", "TOTAL_TVA_MISSING", "le montant de la TVA"),
    ("total_ttc", "TOTAL_TTC_MISSING", "le total toutes taxes comprises"),
]
_STRUCTURED_LINE = [
    ("quantity", "LINE_QUANTITY_MISSING", "la quantité"),
    ("unit_price_ht", "LINE_UNIT_PRICE_MISSING", "le prix unitaire HT"),
    ("tva_rate", "LINE_TVA_RATE_MISSING", "le taux de TVA"),
]


def _completeness(doc: InvoiceDocument, out: _Findings) -> None:
    """A structured document states every figure it has: an empty total or line field is
    a field not given (a PDF's unread field is not, so this runs on structured ones only)."""
    for attr, code, what in _STRUCTURED_TOTALS:
        if getattr(doc, attr) is None:
            out.add(code, "error", attr, f"Mention obligatoire absente : {what}.")
    if not doc.lines:
        out.add(
            "LINES_MISSING",
            "error",
            "lines",
            "Aucune ligne : la facture doit détailler les biens ou services vendus.",
        )
    for i, line in enumerate(doc.lines):
        for attr, code, what in _STRUCTURED_LINE:
            if attr == "quantity" and line.total_ht is not None and line.unit_price_ht is None:
                continue  # a flat-priced line: its total is what is printed
            if attr == "unit_price_ht" and line.total_ht is not None and line.quantity is None:
                continue
            if getattr(line, attr) is None:
                out.add(code, "error", f"lines[{i}].{attr}", f"Ligne {i + 1} : {what} manque.")


def check_document(
    doc: InvoiceDocument,
    *,
    as_of: date,
    buyer_is_person: bool = False,
    rules: CheckSettings | None = None,
    structured: bool = False,
    fields: Mapping[str, str] | None = None,
    currency: str = DINAR,
) -> CheckResult:
    """All the rules on one document. ``buyer_is_person`` (or ``buyer.kind ==
    "particulier"`` in the document) limits the buyer mentions to the name. ``structured``
    (a JSON document, where nothing is "unread") also reports empty totals and line fields.
    ``fields`` (a PDF's reading: field → read / unread / absent) limits the missing mentions
    to the absent fields, and the rules to what was read. ``currency`` other than the
    dinar: the amounts are said in it, unconverted, and the dinar's own rules (stamp duty,
    Algerian VAT rates, amount in words in dinars) are not applied."""
    st = rules or CheckSettings()
    out = _Findings()
    known = _Known(doc, fields)
    dinar = currency == DINAR
    _mentions(doc, buyer_is_person or buyer_kind_is_person(doc), known, out, dinar)
    if structured:
        _completeness(doc, out)
    _identifiers(doc, out)
    _arithmetic(doc, st, out, currency)
    if dinar:
        _timbre(doc, st, known, out)
    _dates(doc, as_of, out)
    _clarity(doc, st, out, read=fields is not None)
    if dinar:
        _words(doc, out)
    return CheckResult(
        number=doc.number,
        ok=not any(f.severity == "error" for f in out),
        document=doc,
        fields=dict(fields) if fields is not None else structured_fields(doc),
        findings=list(out),
        currency=currency,
    )


def structured_fields(doc: InvoiceDocument) -> dict[str, str]:
    """A structured document's fields: read when given, absent when empty."""
    out: dict[str, str] = {}
    for key in ("number", "issue_date", "due_date", "payment_terms", "payment_method"):
        out[key] = "absent" if _blank(getattr(doc, key)) else "read"
    for role in ("seller", "buyer"):
        party = getattr(doc, role)
        for key in Party.model_fields:
            if role == "buyer" and key in ("legal_form", "capital", "rib"):
                continue
            out[f"{role}.{key}"] = "absent" if _blank(getattr(party, key)) else "read"
    out["lines"] = "read" if doc.lines else "absent"
    for key in ("total_ht", "total_tva", "timbre", "total_ttc", "amount_in_words"):
        out[key] = "absent" if _blank(getattr(doc, key)) else "read"
    return out
