"""The layout families of the second blind split (issue 11.1), each drawn from its
description by tests/invoice_families.py: a clean invoice raises no finding, a seeded defect
is still found, and a mention is declared absent only when nothing on the page could be it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from khazna.tools.invoice_check import read_pdf
from khazna.tools.invoice_check.files import check_file
from khazna.tools.invoice_check.words import words_to_amount
from tests.invoice_families import BUYER_IDS, SELLER_IDS, Family, draw

AS_OF = date(2026, 12, 1)
TYPEWRITER = Family(caps=True, font="Courier", number_label="FACTURE N. ")
BAD_NIF = {**BUYER_IDS, "nif": "00010901234567"}  # 14 digits

CLEAN = {
    "words on the next line": Family(words_next_line=True),
    "words over three centred lines": Family(
        words_next_line=True, words_centre=True, words_lines=3
    ),
    "words indented, quoted": Family(words_next_line=True, words_dx=30, words_quote=("« ", " »")),
    "words below, another column beside the label": Family(
        words_next_line=True, words_centre=True, beside_words="Cachet et signature"
    ),
    "soit la somme de": Family(words_lead="Soit la somme de"),
    "soit la somme de, words centred below": Family(
        words_lead="Soit la somme de :", words_next_line=True, words_centre=True
    ),
    "words left of the totals' rows": Family(
        words_beside_totals=True,
        words_lead="La présente facture est arrêtée à la somme de :",
        words_next_line=True,
    ),
    "soit la somme de, left of the totals": Family(
        words_beside_totals=True, words_lead="Soit la somme de"
    ),
    "typewriter FACTURE N.": TYPEWRITER,
    "typewriter FACTURE N.:": replace(TYPEWRITER, number_label="FACTURE N.: "),
    "typewriter, words below": replace(TYPEWRITER, words_next_line=True, words_centre=True),
    "DESTINATAIRE": Family(buyer_heading="DESTINATAIRE"),
    "DESTINATAIRE centred over its block": Family(buyer_heading="DESTINATAIRE", heading_dx=40),
    "DESTINATAIRE double-spaced": replace(TYPEWRITER, buyer_heading="DESTINATAIRE", pitch=24),
    "DESTINATAIRE beside EXPÉDITEUR": replace(
        TYPEWRITER, buyer_heading="DESTINATAIRE", seller_heading="EXPÉDITEUR"
    ),
    "DESTINATAIRE with a code client line": Family(
        buyer_heading="DESTINATAIRE",
        block_lines=(
            "EURL Atlas Import",
            "Code client : C-0042",
            "23, avenue de l'ALN, 09000 Blida",
        ),
    ),
    "DESTINATAIRE, identifiers apart": Family(buyer_heading="DESTINATAIRE", ids_gap=30),
    "DESTINATAIRE, address under the identifiers": Family(
        buyer_heading="DESTINATAIRE",
        block_lines=("EURL Atlas Import",),
        after_ids=("23, avenue de l'ALN, 09000 Blida",),
    ),
    "cash, stamp duty in a ruled box": Family(cash=True, boxed_totals=True),
    "cash, stamp duty in a text box": replace(TYPEWRITER, cash=True, text_box=True),
    "cash, totals as a row": Family(cash=True, across_totals=True),
    "date de règlement": Family(terms_line="Date de règlement : 14/10/2026"),
    "seller identifiers in the footer": Family(seller_ids_in_footer=True),
}


@pytest.mark.parametrize("family", list(CLEAN.values()), ids=list(CLEAN))
def test_a_clean_invoice_of_each_family_raises_nothing(tmp_path: Path, family: Family) -> None:
    path = draw(tmp_path / "f.pdf", family)
    result = check_file(path, AS_OF)
    assert result.findings == [], [(f.code, f.message) for f in result.findings]
    doc = read_pdf(path).document
    ht, tva, stamp, ttc = family.totals()
    assert (doc.number, doc.total_ht, doc.total_tva, doc.total_ttc) == (
        "FV-2026-0113", ht, tva, ttc)  # fmt: skip
    assert (doc.timbre or Decimal(0)) == stamp
    assert (doc.buyer.nif, doc.buyer.rc, doc.buyer.ai) == (
        BUYER_IDS["nif"], BUYER_IDS["rc"], BUYER_IDS["ai"])  # fmt: skip
    assert doc.seller.nif == SELLER_IDS["nif"]
    assert (doc.buyer.address or "").casefold() == "23, avenue de l'aln, 09000 blida"
    assert doc.amount_in_words and words_to_amount(doc.amount_in_words) == ttc
    assert result.fields["amount_in_words"] == "read"


DEFECTS = {
    # the words give the HT, not the TTC: read across the lines, they are a mismatch
    "words of the HT, centred below": (
        Family(words_next_line=True, words_centre=True, words_of_ht=True),
        {"AMOUNT_IN_WORDS_MISMATCH"},
    ),
    "words of the HT, soit la somme de": (
        replace(
            TYPEWRITER, words_lead="Soit la somme de :", words_next_line=True, words_of_ht=True
        ),
        {"AMOUNT_IN_WORDS_MISMATCH"},
    ),
    "VAT wrong in a text box": (
        replace(TYPEWRITER, text_box=True, tva_shown=Decimal("5000.00")),
        {"TVA_AMOUNT_MISMATCH"},
    ),
    "VAT wrong, totals as a row": (
        Family(across_totals=True, tva_shown=Decimal("5000.00")),
        {"TVA_AMOUNT_MISMATCH"},
    ),
    # the seller's identifiers only in the footer: the buyer's malformed NIF stays the buyer's
    "buyer NIF malformed, seller in the footer": (
        Family(seller_ids_in_footer=True, buyer_heading="DESTINATAIRE", buyer_ids=BAD_NIF),
        {"BUYER_NIF_INVALID"},
    ),
    "buyer NIF malformed, apart, seller in the footer": (
        replace(
            TYPEWRITER,
            seller_ids_in_footer=True,
            buyer_heading="DESTINATAIRE",
            buyer_ids=BAD_NIF,
            ids_gap=30,
        ),  # fmt: skip
        {"BUYER_NIF_INVALID"},
    ),
    # absent stays absent
    "no buyer NIF in the DESTINATAIRE block": (
        Family(
            buyer_heading="DESTINATAIRE", buyer_ids={"rc": BUYER_IDS["rc"], "ai": BUYER_IDS["ai"]}
        ),
        {"BUYER_NIF_MISSING"},
    ),
    "cash, no stamp duty in the box": (
        replace(TYPEWRITER, cash=True, text_box=True, stamp_printed=False),
        {"TIMBRE_MISSING"},
    ),
    "no amount in words": (Family(words_lead=""), {"AMOUNT_IN_WORDS_MISSING"}),
    "words of the HT left of the totals": (
        Family(words_beside_totals=True, words_lead="Soit la somme de", words_of_ht=True),
        {"AMOUNT_IN_WORDS_MISMATCH"},
    ),
    "no buyer address, DESTINATAIRE": (
        Family(buyer_heading="DESTINATAIRE", block_lines=("EURL Atlas Import",)),
        {"BUYER_ADDRESS_MISSING"},
    ),
    "no terms at all": (Family(terms_line=""), {"TERMS_MISSING"}),
}


@pytest.mark.parametrize(("family", "codes"), list(DEFECTS.values()), ids=list(DEFECTS))
def test_a_seeded_defect_is_found_and_nothing_else(
    tmp_path: Path, family: Family, codes: set[str]
) -> None:
    result = check_file(draw(tmp_path / "f.pdf", family), AS_OF)
    assert {f.code for f in result.findings} == codes, [f.message for f in result.findings]


def test_identifiers_outside_the_buyer_block_are_the_buyers_or_unread(tmp_path: Path) -> None:
    # the buyer's identifiers set apart from its block and out of its column: the seller
    # keeps its footer's; the buyer takes the well-formed ones (the seller's own are in its
    # footer), the malformed one is unread (whose it is is a guess), none is missing
    family = Family(seller_ids_in_footer=True, buyer_heading="DESTINATAIRE", buyer_ids=BAD_NIF,
                    ids_gap=30, ids_dx=60)  # fmt: skip
    path = draw(tmp_path / "f.pdf", family)
    result = check_file(path, AS_OF)
    assert result.findings == [], [f.code for f in result.findings]
    read = read_pdf(path).document
    assert read.seller.nif == SELLER_IDS["nif"]
    assert (read.buyer.rc, read.buyer.ai) == (BUYER_IDS["rc"], BUYER_IDS["ai"])
    assert result.fields["buyer.nif"] == "unread"
    assert {result.fields[f"buyer.{k}"] for k in ("rc", "ai")} == {"read"}
