"""Generate the outside invoice set: thirty-seven ordinary Algerian layouts, seeded defects, truth.

    python -m khazna.evals.outside_invoices.generator OUT_DIR [--seed 2026] [--per-layout 7]
        [--split dev|heldout|heldout2|heldout3|heldout4|heldout5|heldout6 ...]

writes OUT_DIR/<key>.pdf, OUT_DIR/<key>.truth.json, OUT_DIR/<key>.invoice.json (the same
invoice as a structured document, for the ceiling) and OUT_DIR/truth.json (all invoices).
Same seed, same bytes (reportlab's ``invariant`` mode). Layouts L1–L4 are the ``dev`` split,
L5–L8 the ``heldout`` split: nobody tunes a reader on the second half. L9–L13
(`layouts_heldout2.py`, with its own people, goods and wordings) are ``heldout2``, a second
blind split written after the first two had been seen by the people tuning the reader; it is
drawn from its own random stream, so the first two splits are the same bytes with or without it.
L14–L19 (`layouts_heldout3.py`) are ``heldout3``, a third blind split written the same way
without reading the first two held-out files (its own stream ``heldout3/<seed>``). L20–L25
(`layouts_heldout4.py`) are ``heldout4``, a fourth blind split written without reading the
reader nor any earlier held-out file (its own stream ``heldout4/<seed>``). L26–L31
(`layouts_heldout5.py`) are ``heldout5``, a fifth blind split written the same way (its own
stream ``heldout5/<seed>``), with exactly one seeded defect per defective invoice. L32–L37
(`layouts_heldout6.py`) are ``heldout6``, a sixth blind split written the same way (its own
stream ``heldout6/<seed>``, one defect per defective invoice, `HELDOUT6_DEFECTS`).

The expected finding codes come from how each defect was built (`DEFECTS`), in the code
vocabulary of `spec/cli.md`; `tolerated` codes are the honest knock-on of a defect (a wrong
total HT also makes the TTC disagree with the lines), neither required nor counted as false.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from khazna.evals.outside_invoices import (
    layouts_heldout2,
    layouts_heldout3,
    layouts_heldout4,
    layouts_heldout5,
    layouts_heldout6,
)
from khazna.evals.outside_invoices.layouts import LAYOUTS
from khazna.evals.outside_invoices.model import Invoice, Line, Party, rib_key, stamp_duty

DEV_LAYOUTS = ("L1", "L2", "L3", "L4")
HELDOUT_LAYOUTS = ("L5", "L6", "L7", "L8")
HELDOUT2_LAYOUTS = layouts_heldout2.LAYOUT_NAMES
HELDOUT3_LAYOUTS = layouts_heldout3.LAYOUT_NAMES
HELDOUT4_LAYOUTS = layouts_heldout4.LAYOUT_NAMES
HELDOUT5_LAYOUTS = layouts_heldout5.LAYOUT_NAMES
HELDOUT6_LAYOUTS = layouts_heldout6.LAYOUT_NAMES
SPLITS = {
    "dev": DEV_LAYOUTS,
    "heldout": HELDOUT_LAYOUTS,
    "heldout2": HELDOUT2_LAYOUTS,
    "heldout3": HELDOUT3_LAYOUTS,
    "heldout4": HELDOUT4_LAYOUTS,
    "heldout5": HELDOUT5_LAYOUTS,
    "heldout6": HELDOUT6_LAYOUTS,
}

# --- the people on the invoices ---------------------------------------------------------
SELLERS = [
    ("Tassili Équipements", "SARL", "Zone industrielle Oued Smar, lot 12, 16270 Alger", "16"),
    ("Djurdjura Informatique", "EURL", "45, boulevard Stiti, 15000 Tizi Ouzou", "15"),
    ("Sahel Agro-Industrie", "SPA", "Route nationale n° 5, Cité El Djorf, 19000 Sétif", "19"),
    ("Numidia Bâtiment et Travaux", "SARL", "12, rue Larbi Ben M'hidi, 31000 Oran", "31"),
    (
        "Hoggar Fournitures de Bureau",
        "EURL",
        "Cité 500 logements, Bt C n° 4, 25000 Constantine",
        "25",
    ),
    ("El Bahdja Nettoyage Services", "SARL", "08, rue Hassiba Ben Bouali, 16000 Alger", "16"),
    ("Seybouse Froid et Climatisation", "SNC", "Cité du 8 Mai 1945, local 3, 23000 Annaba", "23"),
    ("Ouarsenis Emballages", "SARL", "Zone d'activités, lot 41, 44000 Aïn Defla", "44"),
]
BUYERS = [
    (
        "SARL Atlas Distribution",
        "Coopérative immobilière El Amel, villa 7, 16033 Hydra, Alger",
        "16",
    ),
    ("EURL Médina Pharm", "23, avenue de l'ALN, 09000 Blida", "09"),
    ("SPA Cosider Canalisations", "Route de l'aéroport, BP 112, 16200 Dar El Beïda", "16"),
    ("SARL Bled Pâtisserie Industrielle", "Zone industrielle, lot 7, 06000 Béjaïa", "06"),
    ("EURL Nour Import-Export", "5, rue des Frères Bouadou, 16040 Bir Mourad Raïs", "16"),
    ("SARL Les Moulins du Chélif", "Route nationale n° 4, 02000 Chlef", "02"),
    ("Clinique El Yasmine SARL", "Lotissement 140, n° 22, 31025 Bir El Djir, Oran", "31"),
]
CATALOGUE = [
    ("Ramette papier A4 80 g (carton de 5)", "Carton", 2900, 19),
    ("Cartouche toner HP 85A", "U", 7800, 19),
    ("Câble électrique 3x2,5 mm² (rouleau de 100 m)", "Rouleau", 14500, 19),
    ("Ciment CPJ 42,5 en sac de 50 kg", "Sac", 760, 19),
    ("Nettoyage des locaux administratifs, mois de septembre 2026", "Mois", 185000, 19),
    ("Maintenance préventive climatiseurs split 18 000 BTU", "U", 6500, 19),
    ("Ordinateur portable 15,6 pouces Core i5 16 Go", "U", 128000, 19),
    ("Chaise de bureau ergonomique noire", "U", 21500, 19),
    ("Semoule extra-fine (sac de 25 kg)", "Sac", 1350, 9),
    ("Lait en poudre 26 % MG (sac de 25 kg)", "Sac", 11800, 9),
    ("Carton ondulé double cannelure 60x40x40", "U", 185, 19),
    ("Film étirable 23 microns, bobine 300 m", "Bobine", 2450, 19),
    ("Installation et mise en service d'un onduleur 3 kVA", "Forfait", 45000, 19),
    ("Location groupe électrogène 60 kVA (par jour)", "Jour", 18000, 19),
    ("Médicaments génériques lot hospitalier (réf. selon BL n° 2231)", "Lot", 64000, 9),
]
BANKS = [("BNA", "001"), ("CPA", "004"), ("BEA", "002"), ("BADR", "003"), ("CNEP", "021")]
TERMS_WORDINGS = [
    "Règlement à 30 jours date de facture",
    "Payable à réception",
    "Règlement à 45 jours fin de mois",
    "Paiement à 60 jours",
]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _rc(rng: random.Random, wilaya: str, style: int) -> str:
    """The RC in one of its two printed forms (algeria.md)."""
    year = f"{rng.randint(98, 99) if rng.random() < 0.2 else rng.randint(4, 24):02d}"
    serial = _digits(rng, 7)
    letter = "B"
    return (
        f"{wilaya}/00-{serial} {letter} {year}"
        if style == 0
        else f"{year} {letter} {serial} {wilaya}/00"
    )


def _nif(rng: random.Random, wilaya: str) -> str:
    return "000" + wilaya + _digits(rng, 10)


def _rib(rng: random.Random, bank: str) -> str:
    agency, account = _digits(rng, 5), _digits(rng, 10)
    return bank + agency + account + rib_key(agency, account)


def _party(rng: random.Random, name: str, form: str | None, address: str, wilaya: str) -> Party:
    bank_name, bank_code = rng.choice(BANKS)
    capital = Decimal(rng.choice([100000, 500000, 1000000, 2000000, 10000000, 50000000]))
    return Party(
        name=name,
        legal_form=form,
        capital=capital if form else None,
        address=address,
        phone=f"0{rng.choice(['21', '23', '25', '31', '36', '41'])} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
        rc=_rc(rng, wilaya, rng.randint(0, 1)),
        nif=_nif(rng, wilaya),
        nis=_digits(rng, 15),
        ai=wilaya + _digits(rng, 9),
        rib=_rib(rng, bank_code),
        bank=bank_name,
    )


def _number(rng: random.Random, layout: str, seq: int) -> str:
    forms = {
        "L1": f"F2026-{seq:04d}",
        "L2": f"FA-2026/{seq:04d}",
        "L3": f"{seq:04d}/2026",
        "L4": f"FAC-26-{seq:05d}",
        "L5": f"2026/FV/{seq:04d}",
        "L6": f"F{seq:05d}/26",
        "L7": f"FCT-2026-{seq:04d}",
        "L8": f"{seq:03d}/FC/2026",
    }
    return forms[layout]


def build_invoice(rng: random.Random, layout: str, index: int) -> Invoice:
    """A clean invoice of `layout`: every mention present, the sums right."""
    s_name, s_form, s_addr, s_wil = rng.choice(SELLERS)
    b_name, b_addr, b_wil = rng.choice(BUYERS)
    seller = _party(rng, s_name, s_form, s_addr, s_wil)
    buyer = _party(rng, b_name, None, b_addr, b_wil)
    buyer.capital = None
    buyer.rib = buyer.bank = buyer.phone = None
    if rng.random() < 0.5:
        buyer.nis = None  # the buyer's NIS is not required; often left out
    method = rng.choice(["virement", "virement", "cheque", "especes"])
    lines = []
    for item in rng.sample(CATALOGUE, rng.randint(2, 5)):
        desc, unit, price, rate = item
        qty = Decimal(rng.choice([1, 2, 3, 4, 5, 6, 10, 12, 20, 25, 40]))
        if method == "especes":
            qty = Decimal(rng.choice([1, 2, 3]))
        if unit in ("Mois", "Forfait", "Lot"):
            qty = Decimal(1)
        cents = Decimal(rng.choice([0, 0, 0, 50, 25, 75])) / 100
        lines.append(Line(desc, unit, qty, Decimal(price) + cents, rate))
    issue = date(2026, rng.randint(1, 10), rng.randint(1, 28))
    due: date | None = issue + timedelta(days=rng.choice([15, 30, 45, 60]))
    terms: str | None = None
    if method == "especes" or rng.random() < 0.35:
        terms, due = rng.choice(TERMS_WORDINGS), None
        if method == "especes":
            terms = "Payable à réception"
    # Other numbers and dates on the page, as real invoices cite their order or delivery note.
    order = (
        f"BC-2026-{rng.randint(100, 999)}"
        if rng.random() < 0.5
        else f"BL n° {rng.randint(1000, 9999)}"
    )
    return Invoice(
        order_ref=order,
        order_date=issue - timedelta(days=rng.randint(2, 20)),
        key=f"{layout}-{index:02d}",
        layout=layout,
        number=_number(rng, layout, rng.randint(12, 980)),
        issue_date=issue,
        due_date=due,
        terms=terms,
        method=method,
        seller=seller,
        buyer=buyer,
        lines=lines,
    )


# --- seeded defects ------------------------------------------------------------------------
@dataclass(frozen=True)
class Defect:
    name: str
    group: str  # two defects of one group never go on the same invoice
    apply: Callable[[Invoice, random.Random], None]
    expected: tuple[str, ...]
    tolerated: tuple[str, ...] = ()


def _drop(party: str, attr: str) -> Callable[[Invoice, random.Random], None]:
    def apply(inv: Invoice, rng: random.Random) -> None:
        setattr(getattr(inv, party), attr, None)

    return apply


def _bad_nif(party: str) -> Callable[[Invoice, random.Random], None]:
    def apply(inv: Invoice, rng: random.Random) -> None:
        p = getattr(inv, party)
        p.nif = p.nif[:-1] if rng.random() < 0.5 else p.nif[:7] + p.nif[8:]  # 14 digits

    return apply


def _bad_nis(inv: Invoice, rng: random.Random) -> None:
    inv.seller.nis = (inv.seller.nis or "")[:13]  # 13 digits


def _bad_ai(inv: Invoice, rng: random.Random) -> None:
    inv.seller.ai = (inv.seller.ai or "")[:9]  # 9 digits


def _bad_rc(party: str) -> Callable[[Invoice, random.Random], None]:
    def apply(inv: Invoice, rng: random.Random) -> None:
        p = getattr(inv, party)
        rc = p.rc or ""
        if rng.random() < 0.5:  # a letter that is neither A nor B
            p.rc = rc.replace(" B ", " C ")
        else:  # a serial five digits long
            parts = rc.split(" ")
            p.rc = " ".join(x[:-2] if len(x) == 7 and x.isdigit() else x for x in parts)
            if "/00-" in rc:
                head, tail = rc.split("/00-", 1)
                p.rc = head + "/00-" + tail[:5] + tail[7:]

    return apply


def _bad_rib(inv: Invoice, rng: random.Random) -> None:
    rib = inv.seller.rib or ""
    key = (int(rib[-2:]) + rng.randint(1, 40)) % 97 + 1
    inv.seller.rib = rib[:-2] + f"{key:02d}"


def _set(**values: object) -> Callable[[Invoice, random.Random], None]:
    def apply(inv: Invoice, rng: random.Random) -> None:
        for k, v in values.items():
            setattr(inv, k, v)

    return apply


def _bad_rate(inv: Invoice, rng: random.Random) -> None:
    inv.lines[0].rate = rng.choice([17, 7, 14])


def _line_wrong(inv: Invoice, rng: random.Random) -> None:
    inv.lines[-1].amount_delta = Decimal(rng.choice([100, 1000, -500]))


def _cash(mode: str) -> Callable[[Invoice, random.Random], None]:
    def apply(inv: Invoice, rng: random.Random) -> None:
        if mode == "unexpected":
            inv.method = "virement"
            inv.due_date, inv.terms = (inv.issue_date or date(2026, 1, 1)) + timedelta(30), None
        else:
            inv.method = "especes"
            inv.due_date, inv.terms = None, "Payable à réception"
        inv.timbre_mode = mode

    return apply


def _no_terms(inv: Invoice, rng: random.Random) -> None:
    inv.due_date = inv.terms = None
    if inv.method == "especes":
        inv.method = "cheque"


def _no_method(inv: Invoice, rng: random.Random) -> None:
    if inv.method == "especes":  # a cash invoice without its method would hide the duty
        inv.due_date, inv.terms = (inv.issue_date or date(2026, 1, 1)) + timedelta(30), None
    inv.method = None


def _due_before(inv: Invoice, rng: random.Random) -> None:
    if inv.method == "especes":
        inv.method = "virement"
    inv.terms = None
    inv.due_date = (inv.issue_date or date(2026, 6, 1)) - timedelta(days=rng.choice([3, 10, 30]))


def _vague(inv: Invoice, rng: random.Random) -> None:
    inv.lines[0].description = rng.choice(["Divers", "Prestation", "Travaux", "Services"])


DEFECTS = [
    Defect("seller_rc_missing", "s_rc", _drop("seller", "rc"), ("SELLER_RC_MISSING",)),
    Defect("seller_nif_missing", "s_nif", _drop("seller", "nif"), ("SELLER_NIF_MISSING",)),
    Defect("seller_nis_missing", "s_nis", _drop("seller", "nis"), ("SELLER_NIS_MISSING",)),
    Defect("seller_ai_missing", "s_ai", _drop("seller", "ai"), ("SELLER_AI_MISSING",)),
    Defect(
        "seller_capital_missing", "s_cap", _drop("seller", "capital"), ("SELLER_CAPITAL_MISSING",)
    ),
    Defect("buyer_nif_missing", "b_nif", _drop("buyer", "nif"), ("BUYER_NIF_MISSING",)),
    Defect("buyer_rc_missing", "b_rc", _drop("buyer", "rc"), ("BUYER_RC_MISSING",)),
    Defect("buyer_ai_missing", "b_ai", _drop("buyer", "ai"), ("BUYER_AI_MISSING",)),
    Defect("seller_nif_malformed", "s_nif", _bad_nif("seller"), ("SELLER_NIF_INVALID",)),
    Defect("seller_nis_malformed", "s_nis", _bad_nis, ("SELLER_NIS_INVALID",)),
    Defect("seller_ai_malformed", "s_ai", _bad_ai, ("SELLER_AI_INVALID",)),
    Defect("seller_rc_malformed", "s_rc", _bad_rc("seller"), ("SELLER_RC_INVALID",)),
    Defect("buyer_nif_malformed", "b_nif", _bad_nif("buyer"), ("BUYER_NIF_INVALID",)),
    Defect("buyer_rc_malformed", "b_rc", _bad_rc("buyer"), ("BUYER_RC_INVALID",)),
    Defect("rib_bad_key", "rib", _bad_rib, ("RIB_INVALID",)),
    Defect(
        "total_ht_wrong",
        "sum",
        _set(ht_delta=Decimal(1000)),
        ("TOTAL_HT_MISMATCH",),
        ("TOTAL_TTC_MISMATCH", "TVA_AMOUNT_MISMATCH"),
    ),
    Defect(
        "tva_wrong",
        "sum",
        _set(tva_delta=Decimal(150)),
        ("TVA_AMOUNT_MISMATCH",),
        ("TOTAL_TTC_MISMATCH",),
    ),
    Defect("ttc_wrong", "sum", _set(ttc_delta=Decimal(200)), ("TOTAL_TTC_MISMATCH",)),
    Defect("rate_invalid", "sum", _bad_rate, ("TVA_RATE_INVALID",), ("TVA_AMOUNT_MISMATCH",)),
    Defect(
        "line_total_wrong",
        "sum",
        _line_wrong,
        ("LINE_TOTAL_MISMATCH",),
        ("TOTAL_HT_MISMATCH", "TVA_AMOUNT_MISMATCH", "TOTAL_TTC_MISMATCH"),
    ),
    Defect(
        "words_mismatch", "words", _set(words_delta=Decimal(-1000)), ("AMOUNT_IN_WORDS_MISMATCH",)
    ),
    Defect("words_missing", "words", _set(words_shown=False), ("AMOUNT_IN_WORDS_MISSING",)),
    Defect("cash_without_stamp", "cash", _cash("none"), ("TIMBRE_MISSING",)),
    Defect("stamp_wrong", "cash", _cash("wrong"), ("TIMBRE_INCORRECT",), ("TOTAL_TTC_MISMATCH",)),
    Defect(
        "stamp_on_transfer",
        "cash",
        _cash("unexpected"),
        ("TIMBRE_UNEXPECTED",),
        ("TOTAL_TTC_MISMATCH",),
    ),
    Defect("no_terms", "terms", _no_terms, ("TERMS_MISSING",)),
    Defect("no_method", "method", _no_method, ("PAYMENT_METHOD_MISSING",)),
    Defect("due_before_issue", "terms", _due_before, ("DUE_DATE_BEFORE_ISSUE",)),
    Defect("vague_line", "vague", _vague, ("DESCRIPTION_VAGUE",)),
    Defect("number_missing", "number", _set(number=None), ("NUMBER_MISSING",)),
    # the due date stays printed: a reader must not take it for the issue date
    Defect("date_missing", "terms", _set(issue_date=None), ("DATE_MISSING",)),
    Defect(
        "buyer_address_missing", "b_addr", _drop("buyer", "address"), ("BUYER_ADDRESS_MISSING",)
    ),
    Defect(
        "seller_legal_form_missing",
        "s_form",
        _drop("seller", "legal_form"),
        ("SELLER_LEGAL_FORM_MISSING",),
    ),
]
# The cash group changes the method and terms: it never meets the method/terms defects.
_EXCLUSIVE = {
    frozenset({"cash", "method"}),
    frozenset({"cash", "terms"}),
    frozenset({"method", "terms"}),
}


def _compatible(a: Defect, b: Defect) -> bool:
    return a.group != b.group and frozenset({a.group, b.group}) not in _EXCLUSIVE


def _with_words_of_ht(inv: Invoice, rng: random.Random) -> None:
    """The words spell the total HT instead of the TTC (a common slip)."""
    inv.words_delta = -(inv.total_tva + (inv.timbre or Decimal(0)))


def _tva_at_other_rate(inv: Invoice, rng: random.Random) -> None:
    """The VAT of the highest rate computed at the other rate (19 % lines taxed at 9 %...)."""
    top = max(ln.rate for ln in inv.lines)
    base = sum((ln.amount for ln in inv.lines if ln.rate == top), Decimal(0))
    other = 9 if top == 19 else 19
    inv.tva_delta = (base * other / 100).quantize(Decimal("0.01")) - (base * top / 100).quantize(
        Decimal("0.01")
    )


def _long_id(attr: str) -> Callable[[Invoice, random.Random], None]:
    def apply(inv: Invoice, rng: random.Random) -> None:
        value = getattr(inv.seller, attr) or ""
        setattr(inv.seller, attr, value + rng.choice("0123456789"))  # one digit too many

    return apply


# Defects only the second held-out split seeds, on top of the whole catalogue.
HELDOUT2_EXTRA_DEFECTS = [
    Defect("seller_nif_16_digits", "s_nif", _long_id("nif"), ("SELLER_NIF_INVALID",)),
    Defect("seller_ai_12_digits", "s_ai", _long_id("ai"), ("SELLER_AI_INVALID",)),
    Defect("words_of_total_ht", "words", _with_words_of_ht, ("AMOUNT_IN_WORDS_MISMATCH",)),
    Defect(
        "tva_at_other_rate",
        "sum",
        _tva_at_other_rate,
        ("TVA_AMOUNT_MISMATCH",),
        ("TOTAL_TTC_MISMATCH",),
    ),
]


def _rib_19_digits(inv: Invoice, rng: random.Random) -> None:
    """One digit of the account dropped: a RIB of 19 digits."""
    rib = inv.seller.rib or ""
    cut = rng.randint(8, 17)
    inv.seller.rib = rib[:cut] + rib[cut + 1 :]


def _words_without_centimes(inv: Invoice, rng: random.Random) -> None:
    """The words stop at the dinars (the centimes forgotten); a whole TTC is spelt 10 DA short."""
    ttc = inv.total_ttc
    cents = ttc - int(ttc)
    inv.words_delta = -cents if cents else Decimal(-10)


def _ttc_without_stamp(inv: Invoice, rng: random.Random) -> None:
    """A cash invoice prints its stamp duty but leaves it out of the TTC (TTC = HT + TVA)."""
    inv.method = "especes"
    inv.due_date, inv.terms = None, "Payable à la livraison"
    inv.timbre_mode = "auto"
    inv.ttc_delta = -(inv.timbre or Decimal(0))


# Defects only the third held-out split seeds, on top of the whole catalogue.
HELDOUT3_EXTRA_DEFECTS = [
    Defect("rib_19_digits", "rib", _rib_19_digits, ("RIB_INVALID",)),
    Defect(
        "words_without_centimes", "words", _words_without_centimes, ("AMOUNT_IN_WORDS_MISMATCH",)
    ),
    Defect(
        "ttc_without_stamp",
        "cash",
        _ttc_without_stamp,
        ("TOTAL_TTC_MISMATCH",),
        ("TIMBRE_INCORRECT",),
    ),
]


def _rc_serial_8_digits(inv: Invoice, rng: random.Random) -> None:
    """The buyer's RC with a serial of eight digits (one digit typed twice)."""
    parts = (inv.buyer.rc or "").split(" ")
    out = []
    for part in parts:
        head, sep, tail = part.rpartition("-")
        if sep and len(tail) == 7 and tail.isdigit():
            part = head + "-" + tail[0] + tail
        elif len(part) == 7 and part.isdigit():
            part = part[0] + part
        out.append(part)
    inv.buyer.rc = " ".join(out)


def _stamp_on_ht(inv: Invoice, rng: random.Random) -> None:
    """A cash invoice whose stamp duty was worked out on the HT instead of the TTC."""
    inv.method = "especes"
    inv.due_date, inv.terms = None, "Payable au comptant"
    inv.timbre_mode = "on_ht"


# Defects only the fourth held-out split seeds, on top of the whole catalogue.
HELDOUT4_EXTRA_DEFECTS = [
    Defect("seller_nis_16_digits", "s_nis", _long_id("nis"), ("SELLER_NIS_INVALID",)),
    Defect("buyer_rc_serial_8_digits", "b_rc", _rc_serial_8_digits, ("BUYER_RC_INVALID",)),
    Defect("stamp_on_ht", "cash", _stamp_on_ht, ("TIMBRE_INCORRECT",), ("TOTAL_TTC_MISMATCH",)),
]


def _flat_stamp(inv: Invoice, rng: random.Random) -> None:
    """A cash invoice whose stamp duty is 1 DA per 100 DA whatever the bracket (the 1.5 and
    2 DA rates above 30 000 and 100 000 DA forgotten); the invoice is made big enough for
    the bracket to matter."""
    inv.method = "especes"
    inv.due_date, inv.terms = None, "Paiement comptant"
    inv.timbre_mode = "flat"
    top = max(inv.lines, key=lambda ln: ln.unit_price)
    while stamp_duty(inv.total_ht + inv.total_tva) == inv.timbre:
        top.quantity += 1


def _words_before_stamp(inv: Invoice, rng: random.Random) -> None:
    """A cash invoice whose words spell the TTC before the stamp duty (HT + TVA) while the
    figure printed includes the duty."""
    inv.method = "especes"
    inv.due_date, inv.terms = None, "Paiement comptant"
    inv.timbre_mode = "auto"
    inv.words_delta = -(inv.timbre or Decimal(0))


def _ai_10_digits(inv: Invoice, rng: random.Random) -> None:
    inv.seller.ai = (inv.seller.ai or "")[:10]  # the last digit dropped


# The fifth held-out split seeds ONE defect per defective invoice, from this catalogue of
# twenty-four (as many as its defective invoices at seven per layout): missing mentions,
# malformed identifiers, wrong sums, VAT and words, the stamp duty of cash invoices.
_HELDOUT5_FROM_CATALOGUE = (
    "seller_rc_missing seller_nif_missing seller_nis_missing seller_ai_missing "
    "buyer_nif_missing no_terms words_missing date_missing "
    "seller_nif_malformed seller_rc_malformed buyer_nif_malformed buyer_rc_malformed rib_bad_key "
    "total_ht_wrong tva_wrong ttc_wrong line_total_wrong rate_invalid words_mismatch "
    "cash_without_stamp stamp_wrong"
).split()
HELDOUT5_DEFECTS = [d for d in DEFECTS if d.name in _HELDOUT5_FROM_CATALOGUE] + [
    Defect("seller_ai_10_digits", "s_ai", _ai_10_digits, ("SELLER_AI_INVALID",)),
    Defect("stamp_flat_rate", "cash", _flat_stamp, ("TIMBRE_INCORRECT",), ("TOTAL_TTC_MISMATCH",)),
    Defect("words_before_stamp", "cash", _words_before_stamp, ("AMOUNT_IN_WORDS_MISMATCH",)),
]


# The sixth held-out split seeds ONE defect per defective invoice, each of these twenty-four
# once (six layouts × four defective invoices): missing mentions (seller RC, NIS, AI, capital,
# buyer NIF, payment method, words, number, date), malformed identifiers (seller NIF of 14 and
# of 16 digits, seller NIS, buyer RC, RIB key), wrong sums (HT, VAT, VAT at the other rate,
# TTC, a line total, a rate), words not matching (1 000 DA short, the words of the HT) and the
# stamp duty of cash invoices (missing, wrong).
_HELDOUT6_FROM_CATALOGUE = (
    "seller_rc_missing seller_nis_missing seller_ai_missing seller_capital_missing "
    "buyer_nif_missing no_method words_missing number_missing date_missing "
    "seller_nif_malformed seller_nis_malformed buyer_rc_malformed rib_bad_key "
    "total_ht_wrong tva_wrong ttc_wrong line_total_wrong rate_invalid words_mismatch "
    "cash_without_stamp stamp_wrong "
    "seller_nif_16_digits tva_at_other_rate words_of_total_ht"
).split()
HELDOUT6_DEFECTS = [
    d for d in DEFECTS + HELDOUT2_EXTRA_DEFECTS if d.name in _HELDOUT6_FROM_CATALOGUE
]


def _seed_split(
    rng: random.Random,
    layouts: tuple[str, ...],
    build: Callable[[random.Random, str, int], Invoice],
    catalogue: list[Defect],
    per_layout: int,
    clean_per_layout: int,
    forbidden: dict[str, frozenset[str]] | None = None,
    single: bool = False,
) -> list[Invoice]:
    """The invoices of one split: the first `clean_per_layout` of each layout clean.

    `forbidden` names, per layout, defect groups that make no sense on it (no stamp duty on a
    credit note): such a defect is left in the pool for the next invoice.
    """
    invoices: list[Invoice] = []
    pool: list[Defect] = []
    left = len(layouts) * max(0, per_layout - clean_per_layout)
    for layout in layouts:
        for index in range(per_layout):
            inv = build(rng, layout, index)
            if index >= clean_per_layout:
                if not pool:
                    pool = catalogue[:]
                    rng.shuffle(pool)
                banned = (forbidden or {}).get(layout, frozenset())
                if banned:
                    first = next((d for d in reversed(pool) if d.group not in banned), None)
                    if first is None:  # only banned ones left: start a fresh round
                        pool = [d for d in catalogue if d.group not in banned]
                        rng.shuffle(pool)
                        first = pool[-1]
                    pool.remove(first)
                    chosen = [first]
                else:
                    chosen = [pool.pop()]
                if not single and (len(pool) >= left or rng.random() < 0.2):
                    extra = next(
                        (d for d in pool if _compatible(chosen[0], d) and d.group not in banned),
                        None,
                    )
                    if extra is not None:
                        pool.remove(extra)
                        chosen.append(extra)
                left -= 1
                for d in chosen:
                    d.apply(inv, rng)
                    inv.defects.append(d.name)
                    inv.expected.update(d.expected)
                    inv.tolerated.update(d.tolerated)
            inv.tolerated -= inv.expected
            invoices.append(inv)
    return invoices


def generate(seed: int = 2026, per_layout: int = 7, clean_per_layout: int = 2) -> list[Invoice]:
    """Every invoice of the set, in a fixed order.

    In each split the whole defect catalogue is seeded (shuffled): every defective invoice
    takes one, and a compatible second one while more defects remain than invoices. The
    first two splits share one random stream (as they always did); ``heldout2``, ``heldout3``
    and ``heldout4`` have their own, and keep at least a third of their invoices clean;
    ``heldout5`` too, with one defect (never two) per defective invoice.
    """
    rng = random.Random(seed)
    invoices: list[Invoice] = []
    for layouts in (DEV_LAYOUTS, HELDOUT_LAYOUTS):
        invoices += _seed_split(rng, layouts, build_invoice, DEFECTS, per_layout, clean_per_layout)
    rng2 = random.Random(f"heldout2/{seed}")
    invoices += _seed_split(
        rng2,
        HELDOUT2_LAYOUTS,
        layouts_heldout2.build_invoice,
        DEFECTS + HELDOUT2_EXTRA_DEFECTS,
        per_layout,
        -(-per_layout // 3),
    )
    rng3 = random.Random(f"heldout3/{seed}")
    invoices += _seed_split(
        rng3,
        HELDOUT3_LAYOUTS,
        layouts_heldout3.build_invoice,
        DEFECTS + HELDOUT3_EXTRA_DEFECTS,
        per_layout,
        -(-per_layout // 3),
        layouts_heldout3.FORBIDDEN_GROUPS,
    )
    rng4 = random.Random(f"heldout4/{seed}")
    invoices += _seed_split(
        rng4,
        HELDOUT4_LAYOUTS,
        layouts_heldout4.build_invoice,
        DEFECTS + HELDOUT4_EXTRA_DEFECTS,
        per_layout,
        -(-per_layout // 3),
        layouts_heldout4.FORBIDDEN_GROUPS,
    )
    rng5 = random.Random(f"heldout5/{seed}")
    invoices += _seed_split(
        rng5,
        HELDOUT5_LAYOUTS,
        layouts_heldout5.build_invoice,
        HELDOUT5_DEFECTS,
        per_layout,
        -(-per_layout // 3),
        layouts_heldout5.FORBIDDEN_GROUPS,
        single=True,
    )
    rng6 = random.Random(f"heldout6/{seed}")
    invoices += _seed_split(
        rng6,
        HELDOUT6_LAYOUTS,
        layouts_heldout6.build_invoice,
        HELDOUT6_DEFECTS,
        per_layout,
        -(-3 * per_layout // 7),
        layouts_heldout6.FORBIDDEN_GROUPS,
        single=True,
    )
    return invoices


def split_of(layout: str) -> str:
    return next(name for name, layouts in SPLITS.items() if layout in layouts)


def truth_of(inv: Invoice) -> dict[str, object]:
    """What the checker should say about `inv`, and the fields as printed."""

    def party(p: Party) -> dict[str, object]:
        return {
            "name": p.name,
            "legal_form": p.legal_form,
            "capital": None if p.capital is None else str(p.capital),
            "address": p.address,
            "rc": p.rc,
            "nif": p.nif,
            "nis": p.nis,
            "ai": p.ai,
            "rib": p.rib,
        }

    return {
        "key": inv.key,
        "file": inv.key + ".pdf",
        "layout": inv.layout,
        "split": split_of(inv.layout),
        "defects": inv.defects,
        "expected_codes": sorted(inv.expected),
        "tolerated_codes": sorted(inv.tolerated),
        "number": inv.number,
        "issue_date": inv.issue_date.isoformat() if inv.issue_date else None,
        "due_date": inv.due_date.isoformat() if inv.due_date else None,
        "payment_terms": inv.terms,
        "payment_method": inv.method,
        "total_ht": str(inv.total_ht),
        "total_tva": str(inv.total_tva),
        "timbre": None if inv.timbre is None else str(inv.timbre),
        "total_ttc": str(inv.total_ttc),
        "amount_in_words": inv.words,
        "seller": party(inv.seller),
        "buyer": party(inv.buyer),
    }


def structured_of(inv: Invoice) -> dict[str, object]:
    """The same invoice as a structured document (spec/cli.md input shape).

    Checking it measures the ceiling: the checker's findings when the reading is perfect.
    Amounts are decimal strings (never floats); empty mentions are null.
    """

    def dec(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    def party(p: Party, seller: bool) -> dict[str, object]:
        out: dict[str, object] = {
            "name": p.name,
            "address": p.address,
            "rc": p.rc,
            "nif": p.nif,
            "nis": p.nis,
            "ai": p.ai,
        }
        if seller:
            out.update(legal_form=p.legal_form, capital=dec(p.capital), rib=p.rib)
        return out

    return {
        "number": inv.number,
        "issue_date": inv.issue_date.isoformat() if inv.issue_date else None,
        "due_date": inv.due_date.isoformat() if inv.due_date else None,
        "payment_terms": inv.terms,
        "payment_method": inv.method,
        "seller": party(inv.seller, True),
        "buyer": party(inv.buyer, False),
        "lines": [
            {
                "description": ln.description,
                "quantity": dec(ln.quantity),
                "unit": ln.unit,
                "unit_price_ht": dec(ln.unit_price),
                "tva_rate": ln.rate,
                "total_ht": dec(ln.amount),
            }
            for ln in inv.lines
        ],
        "total_ht": dec(inv.total_ht),
        "total_tva": dec(inv.total_tva),
        "timbre": dec(inv.timbre),
        "total_ttc": dec(inv.total_ttc),
        "amount_in_words": inv.words,
    }


def write_set(
    out: Path,
    seed: int = 2026,
    per_layout: int = 7,
    splits: Iterable[str] | None = None,
) -> list[dict[str, object]]:
    """Render every invoice (of `splits`, default all) as a PDF in `out`; returns the truths."""
    chosen = list(SPLITS) if splits is None else [s for s in SPLITS if s in set(splits)]
    out.mkdir(parents=True, exist_ok=True)
    truths = []
    for inv in generate(seed, per_layout):
        if split_of(inv.layout) not in chosen:
            continue
        LAYOUTS[inv.layout](inv, out / f"{inv.key}.pdf")
        truth = truth_of(inv)
        (out / f"{inv.key}.truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        (out / f"{inv.key}.invoice.json").write_text(
            json.dumps(structured_of(inv), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        truths.append(truth)
    doc = {"seed": seed, "splits": {k: list(SPLITS[k]) for k in chosen}, "invoices": truths}
    (out / "truth.json").write_text(
        json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return truths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--per-layout", type=int, default=7)
    parser.add_argument(
        "--split", action="append", choices=list(SPLITS), help="only this split (repeatable)"
    )
    args = parser.parse_args(argv)
    truths = write_set(args.out, args.seed, args.per_layout, args.split)
    print(f"{len(truths)} invoices written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
