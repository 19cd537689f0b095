"""Invoice documents for the invoice checker's eval: a seeded base invoice plus seeded defects.

A case of ``datasets/invoices.yaml`` names a base (an integer: the seed of the base
document), the buyer kind, the payment method, the defects and the layout (``json``,
``pdf`` = khazna.ledger.invoice_pdf, ``pdf2`` = :mod:`khazna.evals.invoice_layout2`).
Each defect is built so that exactly one finding code must follow from it (totals and the
amount in words are recomputed where a defect would otherwise cascade); the expected codes
are written in the dataset, not derived from the checker.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from khazna.demo import ids
from khazna.ledger.documents import DocLine, InvoiceDocument, Party
from khazna.money import q2
from khazna.words import amount_in_words

AS_OF = date(2026, 10, 29)  # the day the eval checks documents on

FAMILIES: dict[str, set[str]] = {
    "mentions": {
        "SELLER_NAME_MISSING", "SELLER_LEGAL_FORM_MISSING", "SELLER_CAPITAL_MISSING",
        "SELLER_ADDRESS_MISSING", "SELLER_RC_MISSING", "SELLER_NIF_MISSING", "SELLER_NIS_MISSING",
        "SELLER_AI_MISSING", "BUYER_NAME_MISSING", "BUYER_ADDRESS_MISSING", "BUYER_RC_MISSING",
        "BUYER_NIF_MISSING", "BUYER_AI_MISSING", "NUMBER_MISSING", "DATE_MISSING",
        "PAYMENT_METHOD_MISSING", "TERMS_MISSING", "AMOUNT_IN_WORDS_MISSING",
    },
    "identifiers": {
        "SELLER_NIF_INVALID", "SELLER_NIS_INVALID", "SELLER_RC_INVALID", "SELLER_AI_INVALID",
        "BUYER_NIF_INVALID", "BUYER_RC_INVALID", "RIB_INVALID",
    },
    "arithmetic": {
        "LINE_TOTAL_MISMATCH", "TOTAL_HT_MISMATCH", "TVA_RATE_INVALID", "TVA_AMOUNT_MISMATCH",
        "TOTAL_TTC_MISMATCH", "AMOUNT_IN_WORDS_MISMATCH",
    },
    "timbre": {"TIMBRE_MISSING", "TIMBRE_INCORRECT", "TIMBRE_UNEXPECTED"},
    "dates": {"DUE_DATE_BEFORE_ISSUE", "DATE_IN_FUTURE"},
    "clarity": {"DESCRIPTION_VAGUE"},
}  # fmt: skip


def family_of(code: str) -> str:
    return next((f for f, codes in FAMILIES.items() if code in codes), "other")


SELLERS = [
    (
        "Atlas Services",
        "SARL",
        5_000_000,
        "18 rue des Frères Bouadou, Bir Mourad Raïs, 16000 Alger",
    ),
    ("Numidia Conseil", "EURL", 1_000_000, "7 boulevard de l'ALN, 31000 Oran"),
    ("Tassili Ingénierie", "SPA", 20_000_000, "Zone industrielle Palma, 25000 Constantine"),
]
BUYERS = [
    ("Sonelec Distribution SPA", "Route de Dar El Beida, 16000 Alger"),
    ("Laiterie du Tell SARL", "Zone d'activités, 09000 Blida"),
    ("Hôtel El Djazair EURL", "24 avenue Souidani Boudjemaa, 16000 Alger"),
    ("Cimenterie de l'Est SPA", "BP 12, 43000 Mila"),
]
PERSONS = [("M. Karim Benali", "12 cité des 500 logements, 35000 Boumerdès"),
           ("Mme Nadia Haddad", "3 rue Larbi Ben M'hidi, 06000 Béjaïa")]  # fmt: skip
ITEMS = [
    ("Maintenance préventive des serveurs", "forfait", 1, 85_000, 19),
    ("Développement du module de paie", "jour", 6, 28_000, 19),
    ("Licence logiciel de gestion commerciale (12 mois)", "licence", 3, 42_500, 19),
    ("Formation des utilisateurs à l'ERP", "jour", 2, 35_000, 9),
    ("Câblage réseau du 2e étage", "point", 14, 4_200, 19),
    ("Audit de sécurité du réseau", "forfait", 1, 120_000, 19),
    ("Assistance technique sur site", "heure", 9, 3_500, 19),
    ("Ordinateur portable 15 pouces", "unité", 2, 96_000, 19),
]
VAGUE = ["Divers", "Prestation", "Services divers", "Travaux"]


def _words(doc: InvoiceDocument) -> None:
    doc.amount_in_words = amount_in_words(doc.total_ttc) if doc.total_ttc is not None else None


def _line_ht(ln: DocLine) -> Decimal:
    assert ln.quantity is not None and ln.unit_price_ht is not None, "set by base_document"
    return q2(ln.quantity * ln.unit_price_ht)


def _retotal(doc: InvoiceDocument) -> None:
    """Totals consistent with the lines (each line's TVA rounded, as the checker's rule)."""
    ht = sum((_line_ht(ln) for ln in doc.lines), Decimal(0))
    by_rate: dict[Decimal, Decimal] = {}
    for ln in doc.lines:
        assert ln.tva_rate is not None, "base_document gives every line a rate"
        by_rate[ln.tva_rate] = by_rate.get(ln.tva_rate, Decimal(0)) + _line_ht(ln)
    tva = sum((q2(v * r / 100) for r, v in by_rate.items()), Decimal(0))
    doc.total_ht, doc.total_tva = q2(ht), q2(tva)
    doc.timbre = ids.timbre(ht + tva) if doc.payment_method == "especes" else Decimal("0.00")
    doc.total_ttc = q2(ht + tva + doc.timbre)
    _words(doc)


def base_document(base: int, buyer: str, method: str) -> InvoiceDocument:
    """A correct invoice, the same for the same (base, buyer, method)."""
    rng = random.Random(1000 + base)
    name, form, capital, address = rng.choice(SELLERS)
    seller = Party(name=name, legal_form=form, capital=Decimal(capital), address=address,
                   rc=ids.rc(rng, "16", "B"), nif=ids.nif(rng), nis=ids.nis(rng), ai=ids.ai(rng),
                   rib=ids.rib(rng, rng.choice(["002", "004", "010"])))  # fmt: skip
    if buyer == "person":
        bname, baddr = rng.choice(PERSONS)
        party = Party(name=bname, address=baddr)
    else:
        bname, baddr = rng.choice(BUYERS)
        party = Party(name=bname, address=baddr, rc=ids.rc(rng, "09", "B"), nif=ids.nif(rng, "09"),
                      nis=ids.nis(rng, "09"), ai=ids.ai(rng, "09"))  # fmt: skip
    lines = []
    for desc, unit, qty, price, rate in rng.sample(ITEMS, rng.randint(1, 4)):
        q = Decimal(max(1, qty + rng.randint(-1, 2)))
        pu = q2(Decimal(price) * Decimal(rng.randint(80, 125)) / 100)
        lines.append(DocLine(description=desc, quantity=q, unit=unit, unit_price_ht=pu,
                             tva_rate=Decimal(rate), total_ht=q2(q * pu)))  # fmt: skip
    issue = AS_OF - timedelta(days=rng.randint(5, 200))
    terms = 0 if method == "especes" else rng.choice([30, 45, 60])
    doc = InvoiceDocument(
        number=f"F{issue.year}-{rng.randint(10, 9999):04d}", issue_date=issue,
        due_date=issue + timedelta(days=terms), payment_terms=f"{terms} jours" if terms else "comptant",
        payment_method=method, seller=seller, buyer=party, lines=lines,
    )  # fmt: skip
    _retotal(doc)
    return doc


def _due_before_issue(doc: InvoiceDocument) -> None:
    # relative to the issue date: "due − 40 days" stayed after the issue date for long terms
    assert doc.issue_date is not None, "base_document dates every invoice"
    doc.due_date = doc.issue_date - timedelta(days=10)


def _set(path: str, value: Callable | object) -> Callable[[InvoiceDocument], None]:
    def apply(doc: InvoiceDocument) -> None:
        *parents, leaf = path.split(".")
        obj = doc
        for p in parents:
            obj = getattr(obj, p)
        setattr(obj, leaf, value(getattr(obj, leaf)) if callable(value) else value)

    return apply


def _shift(field: str, delta: Decimal) -> Callable[[InvoiceDocument], None]:
    """Change one printed total and the TTC with it, so only that total is wrong."""

    def apply(doc: InvoiceDocument) -> None:
        setattr(doc, field, q2(getattr(doc, field) + delta))
        if field != "total_ttc":
            assert doc.total_ttc is not None, "base_document totals every invoice"
            doc.total_ttc = q2(doc.total_ttc + delta)
        _words(doc)

    return apply


def _line_total(doc: InvoiceDocument) -> None:
    line = doc.lines[0]
    assert line.total_ht is not None, "base_document totals every line"
    line.total_ht = q2(line.total_ht + 1000)


def _rate(doc: InvoiceDocument) -> None:
    doc.lines[0].tva_rate = Decimal(17)
    _retotal(doc)


def _timbre(delta: Decimal | None) -> Callable[[InvoiceDocument], None]:
    def apply(doc: InvoiceDocument) -> None:
        assert doc.total_ht is not None and doc.total_tva is not None, "set by _retotal"
        due = ids.timbre(doc.total_ht + doc.total_tva)
        doc.timbre = Decimal("0.00") if delta is None else q2(due + delta)
        doc.total_ttc = q2(doc.total_ht + doc.total_tva + doc.timbre)
        _words(doc)

    return apply


def _words_off(doc: InvoiceDocument) -> None:
    assert doc.total_ttc is not None, "base_document totals every invoice"
    doc.amount_in_words = amount_in_words(doc.total_ttc - 1000)


def _future(doc: InvoiceDocument) -> None:
    doc.issue_date = AS_OF + timedelta(days=20)
    doc.due_date = doc.issue_date + timedelta(days=30)


def _no_terms(doc: InvoiceDocument) -> None:
    _set("due_date", None)(doc)
    _set("payment_terms", None)(doc)


def _vague(doc: InvoiceDocument) -> None:
    doc.lines[0].description = VAGUE[len(doc.lines[0].description or "") % len(VAGUE)]


# code -> (group, needs, apply). One defect per group in a case; ``needs``: company buyer,
# cash (especes) or noncash method, or any.
DEFECTS: dict[str, tuple[str, str, Callable[[InvoiceDocument], None]]] = {
    "SELLER_CAPITAL_MISSING": ("seller", "any", _set("seller.capital", None)),
    "SELLER_ADDRESS_MISSING": ("seller", "any", _set("seller.address", None)),
    "SELLER_NIS_MISSING": ("seller", "any", _set("seller.nis", None)),
    "SELLER_AI_MISSING": ("seller", "any", _set("seller.ai", None)),
    "SELLER_NIF_MISSING": ("seller", "any", _set("seller.nif", None)),
    "BUYER_ADDRESS_MISSING": ("buyer", "company", _set("buyer.address", None)),
    "BUYER_NIF_MISSING": ("buyer", "company", _set("buyer.nif", None)),
    "NUMBER_MISSING": ("header", "any", _set("number", None)),
    "PAYMENT_METHOD_MISSING": ("header", "noncash", _set("payment_method", None)),
    "TERMS_MISSING": ("dates", "any", _no_terms),
    "AMOUNT_IN_WORDS_MISSING": ("totals", "any", _set("amount_in_words", None)),
    "SELLER_NIF_INVALID": ("seller", "any", _set("seller.nif", lambda v: v[:13])),
    "SELLER_NIS_INVALID": ("seller", "any", _set("seller.nis", lambda v: v + "9")),
    "SELLER_AI_INVALID": ("seller", "any", _set("seller.ai", lambda v: v[:9])),
    "SELLER_RC_INVALID": ("seller", "any", _set("seller.rc", lambda v: v.replace(" B ", " X "))),
    "BUYER_NIF_INVALID": ("buyer", "company", _set("buyer.nif", lambda v: v[:12])),
    "BUYER_RC_INVALID": ("buyer", "company", _set("buyer.rc", lambda v: v.replace(" B ", " Q "))),
    "RIB_INVALID": ("rib", "any", _set("seller.rib", ids.spoil_rib)),
    "LINE_TOTAL_MISMATCH": ("lines", "any", _line_total),
    "TOTAL_HT_MISMATCH": ("totals", "noncash", _shift("total_ht", Decimal(5000))),
    "TVA_RATE_INVALID": ("totals", "noncash", _rate),
    "TVA_AMOUNT_MISMATCH": ("totals", "noncash", _shift("total_tva", Decimal("1234.00"))),
    "TOTAL_TTC_MISMATCH": ("totals", "any", _shift("total_ttc", Decimal(10000))),
    "AMOUNT_IN_WORDS_MISMATCH": ("totals", "any", _words_off),
    "TIMBRE_MISSING": ("totals", "cash", _timbre(None)),
    "TIMBRE_INCORRECT": ("totals", "cash", _timbre(Decimal(50))),
    "TIMBRE_UNEXPECTED": ("totals", "noncash", _timbre(Decimal(0))),
    "DUE_DATE_BEFORE_ISSUE": ("dates", "any", _due_before_issue),
    "DATE_IN_FUTURE": ("dates", "any", _future),
    "DESCRIPTION_VAGUE": ("lines", "any", _vague),
}


def fits(code: str, buyer: str, method: str) -> bool:
    need = DEFECTS[code][1]
    return (
        need == "any"
        or (need == "company" and buyer == "company")
        or (need == "cash" and method == "especes")
        or (need == "noncash" and method != "especes")
    )


def case_document(case: dict) -> InvoiceDocument:
    """The document of a dataset case: the base, then each defect in order."""
    doc = base_document(case["base"], case["buyer"], case["method"])
    for code in case["defects"]:
        DEFECTS[code][2](doc)
    return doc
