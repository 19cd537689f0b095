"""Keyword rules for Algerian bank wording, and payee rules learned from the books.

A bank label is the raw statement text (``VIR RECU SONATRACH FACT F2025-118``,
``PRLV SONELGAZ``, ``PAIEMENT CB NAFTAL STATION 12``). :func:`classify_label` reads it
once (callers cache by label) and says what kind of operation it is, and, when the
wording names it, its category.

Decisions worth knowing:

- ``RETRAIT DAB`` (a cash withdrawal) is ``virement_interne``: the money moves from the
  bank account to the company's till (PCN 58 "virements de fonds", then 53 "caisse"). It is
  not a spend yet; the spend is the cash expense the till pays later, which never shows on
  the statement. Counting the withdrawal as an expense would count that money twice.
- ``VERSEMENT ESPECES`` (a cash deposit) is ``encaissement_client``: an SME deposits the cash
  its clients paid at the counter; a deposit of the till's own float would be an internal
  transfer, but the statement cannot tell them apart and the receipts are by far the common case.
- ``IMPAYE`` (a returned cheque or a rejected transfer) stays ``encaissement_client``, as a
  negative amount: it reverses a receipt, and the client's invoice is open again.
- A generic operation (``VIR EMIS``, ``CHQ 0045123``, ``PRLV`` of an unknown creditor,
  ``PAIEMENT CB`` at an unknown merchant) has no category from its wording: the payee
  learned from expenses and suppliers, or a match with an expense or commitment, gives it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from khazna import months
from khazna.text import fold

CATEGORIES: tuple[str, ...] = (
    "encaissement_client",
    "salaires",
    "cotisations_sociales",
    "impots_taxes",
    "loyer",
    "energie",
    "telecom",
    "carburant",
    "fournitures",
    "achats_marchandises",
    "sous_traitance",
    "honoraires",
    "transport",
    "deplacements",
    "restaurant",
    "assurance",
    "maintenance",
    "publicite",
    "frais_bancaires",
    "equipement",
    "remboursement_emprunt",
    "virement_interne",
    "autre",
)

_NON_WORD = re.compile(r"[^A-Z0-9/-]+")
_HAS_DIGIT = re.compile(r"\d")


def normalize(text: str) -> str:
    """Upper case, accents dropped, punctuation to spaces (``-`` and ``/`` kept for numbers)."""
    if not text.isascii():
        text = fold(text)
    return _NON_WORD.sub(" ", text.upper()).strip()


def label_stem(label: str) -> str:
    """The label without its variable parts (numbers, month names): ``PRLV SAA POLICE``."""
    return " ".join(
        t for t in normalize(label).split() if not _HAS_DIGIT.search(t) and t not in _MONTHS
    )


@dataclass(frozen=True)
class Rule:
    name: str
    category: str | None  # None: a generic operation, the payee decides
    phrases: tuple[str, ...]
    confidence: float
    sign: int = 0  # +1 only for credits, -1 only for debits, 0 both


# First match wins: the more specific wording comes first.
KEYWORD_RULES: tuple[Rule, ...] = (
    Rule(
        "frais_rejet",
        "frais_bancaires",
        ("FRAIS IMPAYE", "FRAIS REJET", "FRAIS RETOUR", "FRAIS CHQ IMPAYE"),
        0.9,
    ),
    Rule("impaye", "encaissement_client", ("IMPAYE", "CHQ IMPAYE", "REJET VIR", "RETOUR CHQ"), 0.9),
    Rule("deblocage", "autre", ("DEBLOCAGE", "DEBLOCAGE CREDIT", "MISE EN PLACE CREDIT"), 0.8, +1),
    Rule(
        "encaissement",
        "encaissement_client",
        (
            "VIR RECU",
            "REMISE CHQ",
            "REMISE CHEQUE",
            "VERSEMENT CLIENT",
            "RECEPTION VIR",
            "VIR EN VOTRE FAVEUR",
            "VERSEMENT ESPECES",
        ),
        0.9,
        +1,
    ),
    Rule(
        "salaires",
        "salaires",
        ("VIR SALAIRES", "VIR SALAIRE", "SALAIRES", "SALAIRE", "PAIE PERSONNEL"),
        0.95,
    ),
    Rule("cotisations", "cotisations_sociales", ("CNAS", "CASNOS", "CACOBATPH"), 0.95),
    Rule(
        "impots",
        "impots_taxes",
        ("G50", "DGI", "IMPOTS", "RECETTE DES IMPOTS", "JIBAYATIC", "TAP", "IBS", "IRG"),
        0.9,
    ),
    Rule("energie", "energie", ("SONELGAZ", "SADEG", "SEAAL", "ADE"), 0.95),
    Rule(
        "telecom",
        "telecom",
        ("ALGERIE TELECOM", "DJEZZY", "MOBILIS", "OOREDOO", "NEDJMA", "IDOOM"),
        0.95,
    ),
    Rule("carburant", "carburant", ("NAFTAL", "CARBURANT", "STATION SERVICE"), 0.9),
    Rule("loyer", "loyer", ("LOYER", "LOYERS"), 0.9),
    Rule(
        "emprunt",
        "remboursement_emprunt",
        (
            "ECHEANCE PRET",
            "ECH PRET",
            "REMBOURSEMENT PRET",
            "REMB PRET",
            "ECHEANCE CREDIT",
            "LEASING",
        ),
        0.95,
    ),
    Rule(
        "frais_bancaires",
        "frais_bancaires",
        (
            "FRAIS TENUE DE COMPTE",
            "TENUE DE COMPTE",
            "COMMISSION",
            "COMMISSIONS",
            "AGIOS",
            "FRAIS BANCAIRES",
            "FRAIS DE TENUE",
            "COM VIR",
            "FRAIS SMS",
            "COTISATION CARTE",
            "FRAIS CARTE",
        ),
        0.9,
    ),
    Rule(
        "retrait",
        "virement_interne",
        ("RETRAIT DAB", "RETRAIT GAB", "RETRAIT ESPECES", "RETRAIT GUICHET"),
        0.85,
    ),
    Rule(
        "interne",
        "virement_interne",
        ("VIR INTERNE", "VIREMENT INTERNE", "VIR COMPTE A COMPTE", "ALIMENTATION CAISSE"),
        0.85,
    ),
    Rule(
        "assurance",
        "assurance",
        (
            "ASSURANCE",
            "ASSURANCES",
            "SAA",
            "CAAT",
            "CAAR",
            "CASH ASSURANCES",
            "AXA",
            "ALLIANZ",
            "MACIR VIE",
            "TRUST ASSURANCES",
            "CIAR",
        ),
        0.85,
    ),
    # Generic operations: what the money did, not what for.
    Rule(
        "carte",
        None,
        ("PAIEMENT CB", "PAIEMENT CARTE", "ACHAT CB", "PAIEMENT TPE", "E-PAIEMENT"),
        0.0,
        -1,
    ),
    Rule(
        "virement_emis",
        None,
        ("VIR EMIS", "VIREMENT EMIS", "VIR FAVEUR", "ORDRE DE VIREMENT", "VIR SEPA"),
        0.0,
        -1,
    ),
    Rule("prelevement", None, ("PRLV", "PRELEVEMENT"), 0.0, -1),
    Rule("cheque", None, ("CHQ", "CHEQUE", "PAIEMENT CHQ"), 0.0),
)

# PAIEMENT CB <merchant>: merchant words → category (before the learned payees).
MERCHANT_WORDS: dict[str, str] = {
    "RESTAURANT": "restaurant", "RESTO": "restaurant", "PIZZERIA": "restaurant",
    "GRILL": "restaurant", "CAFE": "restaurant", "BRASSERIE": "restaurant", "TRAITEUR": "restaurant",
    "HOTEL": "deplacements", "AIR ALGERIE": "deplacements", "TASSILI": "deplacements",
    "SNTF": "deplacements", "TAXI": "deplacements", "YASSIR": "deplacements", "PEAGE": "deplacements",
    "UNO": "fournitures", "ARDIS": "fournitures", "CARREFOUR": "fournitures",
    "LIBRAIRIE": "fournitures", "PAPETERIE": "fournitures", "BUREAUTIQUE": "fournitures",
    "JUMIA": "fournitures", "CONDOR": "equipement", "IRIS": "equipement", "INFORMATIQUE": "equipement",
    "GARAGE": "maintenance", "PNEU": "maintenance", "PNEUS": "maintenance", "YASSIR EXPRESS": "transport",
    "FACEBOOK": "publicite", "META": "publicite", "GOOGLE ADS": "publicite",
}  # fmt: skip

_OP_WORDS = frozenset(
    "VIR VIREMENT EMIS RECU PRLV PRELEVEMENT PAIEMENT CB CARTE ACHAT TPE CHQ CHEQUE REMISE "
    "FACT FACTURE FAC REF N NO ORDRE FAVEUR DE DU DES LA LE LES ET A AU POUR SUR MOIS "
    "STATION AGENCE ALGER ORAN SARL EURL SPA SNC ETS EI SA STE SOCIETE ENTREPRISE CIE".split()
)
_MONTHS = months.BANK_TOKENS
_LEGAL_FORMS = frozenset("SARL EURL SPA SNC ETS EI SA STE SOCIETE ENTREPRISE CIE".split())


@dataclass(frozen=True)
class LabelHit:
    """What a label's wording says: the rule that fired and, if named, the category."""

    rule: str
    category: str | None
    confidence: float


_DIGITS_TO_ZERO = str.maketrans("123456789", "000000000")


def shape(text: str) -> str:
    """Digits all turned to 0: labels that differ only by numbers share a shape (and a verdict)."""
    return text.translate(_DIGITS_TO_ZERO)


_BYTES_TO_ZERO = bytes.maketrans(b"123456789", b"000000000")


def shapes_of(joined: str, sep: str) -> list[str]:
    """:func:`shape` of many labels given joined by ``sep``, in one C-level pass."""
    return joined.encode().translate(_BYTES_TO_ZERO).decode().split(sep)


def words_of(label: str) -> list[str]:
    """The normalised words of a label's shape: what the rules and payees are looked up in."""
    return shape(normalize(label)).split()


_Payload = TypeVar("_Payload")


def _first_word_index(
    entries: Iterable[tuple[str, _Payload]],
) -> dict[str, list[tuple[tuple[str, ...], _Payload]]]:
    index: dict[str, list[tuple[tuple[str, ...], _Payload]]] = {}
    for phrase, payload in entries:
        words = tuple(words_of(phrase))
        index.setdefault(words[0], []).append((words, payload))
    return index


_RULES = _first_word_index((p, k) for k, r in enumerate(KEYWORD_RULES) for p in r.phrases)
_MERCHANTS = _first_word_index(MERCHANT_WORDS.items())


def _first_hit(words: list[str], index: dict, accept=lambda payload: True):
    """The hit with the lowest payload (rule order) among the phrases present in ``words``."""
    best = None
    for i, w in enumerate(words):
        for phrase, payload in index.get(w, ()):
            if (
                (best is None or payload < best)
                and tuple(words[i : i + len(phrase)]) == phrase
                and accept(payload)
            ):
                best = payload
    return best


def classify_words(words: list[str], amount_sign: int) -> LabelHit | None:
    """The first keyword rule (in :data:`KEYWORD_RULES` order) present in ``words``, for this sign."""
    k = _first_hit(words, _RULES, lambda k: KEYWORD_RULES[k].sign in (0, amount_sign))
    if k is None:
        return None
    rule = KEYWORD_RULES[k]
    if rule.name == "carte":
        for i, w in enumerate(words):
            for phrase, cat in _MERCHANTS.get(w, ()):
                if tuple(words[i : i + len(phrase)]) == phrase:
                    return LabelHit("carte_commercant", cat, 0.8)
    return LabelHit(rule.name, rule.category, rule.confidence)


def classify_label(label: str, amount_sign: int) -> LabelHit | None:
    """The first keyword rule whose phrase is in ``label`` (whole words), for this sign."""
    return classify_words(words_of(label), amount_sign)


def payee_key(name: str) -> str:
    """A payee name for comparison: normalised, legal forms dropped (``SARL X`` = ``X SARL``)."""
    return " ".join(t for t in normalize(name).split() if t not in _LEGAL_FORMS)


class PayeeIndex:
    """Payee → category, learned from expenses and suppliers; found in labels by their words."""

    def __init__(self) -> None:
        self._votes: dict[tuple[str, ...], Counter[str]] = {}
        self._first: dict[str, list[tuple[str, ...]]] | None = None

    def learn(self, name: str, category: str, weight: int = 1) -> None:
        key = tuple(shape(payee_key(name)).split())
        if not key or category not in CATEGORIES:
            return
        # A one-word name must be distinctive to be looked for inside a label.
        if len(key) == 1 and (len(key[0]) < 4 or key[0] in _OP_WORDS):
            return
        self._votes.setdefault(key, Counter())[category] += weight
        self._first = None

    def __len__(self) -> int:
        return len(self._votes)

    def find_words(self, words: list[str]) -> tuple[str, str] | None:
        """The longest known payee among ``words`` (see :func:`words_of`): (payee, its usual category)."""
        if self._first is None:
            self._first = {}
            for key in sorted(self._votes, key=len, reverse=True):
                self._first.setdefault(key[0], []).append(key)
        best: tuple[str, ...] | None = None
        words = [w for w in words if w not in _LEGAL_FORMS]
        for i, w in enumerate(words):
            for key in self._first.get(w, ()):
                if (best is None or len(key) > len(best)) and tuple(words[i : i + len(key)]) == key:
                    best = key
                    break
        if best is None:
            return None
        return " ".join(best), self._votes[best].most_common(1)[0][0]

    def find(self, label: str) -> tuple[str, str] | None:
        return self.find_words(words_of(label))


def significant_words(name: str, limit: int = 2) -> list[str]:
    """The first distinctive words of a name (what a truncated bank label still shows)."""
    words = [w for w in payee_key(name).split() if len(w) >= 3 and w not in _OP_WORDS]
    return words[:limit]


def identity_words(label: str) -> str:
    """What names the counterparty in a label: its words without operation words or digits.

    ``PRLV SAA POLICE 7781 MARS`` → ``SAA POLICE MARS``; ``CHQ 0045123`` → ``""`` (no identity).
    """
    return " ".join(
        t
        for t in normalize(label).split()
        if t not in _OP_WORDS and t not in _MONTHS and not _HAS_DIGIT.search(t)
    )
