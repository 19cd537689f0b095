"""The layout families of the third blind split (issue 11.1), each drawn here from a short
description of how such invoices look (never from a held-out layout): the seller on the
right of a landscape page with the buyer on the left, a lines table carried over two pages,
a credit note, header/value grids with ``DA`` before the amounts, a bilingual export in
``1,234,567.89 DZD``, pre-printed labels left empty. A clean invoice raises no finding, a
seeded defect is found and nothing else, and an empty label is unread, never absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from khazna.pdf_text import arabic_font, draw_bidi
from khazna.tools.invoice_check import read_pdf
from khazna.tools.invoice_check.files import check_file
from khazna.words import amount_in_words
from tests.invoice_families import BUYER_IDS, SELLER_IDS, money

AS_OF = date(2026, 12, 1)
SELLER = "EURL Tassili Services Informatiques"
SELLER_ADDRESS = "12, rue des Frères Bouadou, 16000 Alger"
BUYER = "SARL Oasis Distribution"
BUYER_ADDRESS = "8, boulevard Zighout Youcef, 25000 Constantine"
ROWS = [  # description, quantity, unit price HT, VAT rate
    ("Maintenance du parc informatique (mois)", 3, Decimal("45000.00"), 19),
    ("Licence logiciel de gestion commerciale", 2, Decimal("62500.50"), 19),
    ("Ramette papier A4 80 g (carton de 5)", 12, Decimal("3150.00"), 9),
    ("Installation et paramétrage sur site", 1, Decimal("28000.00"), 19),
]


@dataclass
class Totals:
    ht: Decimal
    tva: dict[int, Decimal]
    ttc: Decimal

    @property
    def words(self) -> str:
        return amount_in_words(self.ttc).capitalize()


def totals(rows=ROWS) -> Totals:
    ht = sum((q * pu for _d, q, pu, _r in rows), Decimal(0))
    tva: dict[int, Decimal] = {}
    for _d, q, pu, r in rows:
        tva[r] = tva.get(r, Decimal(0)) + q * pu * r / 100
    tva = {r: v.quantize(Decimal("0.01")) for r, v in tva.items()}
    return Totals(ht, tva, ht + sum(tva.values()))


@dataclass
class Page:
    """Text items of one page: (x, y, text, align) with align "l" or "r"."""

    items: list[tuple[float, float, str, str]] = field(default_factory=list)

    def left(self, x: float, y: float, text: str) -> None:
        self.items.append((x, y, text, "l"))

    def right(self, x: float, y: float, text: str) -> None:
        self.items.append((x, y, text, "r"))


def write(path: Path, pages: list[Page], size=A4) -> Path:
    c = Canvas(str(path), pagesize=size, invariant=1)
    font = arabic_font() or "Helvetica"
    for page in pages:
        c.setFont(font, 9)
        for x, y, text, align in page.items:
            draw_bidi(c, x, y, text, align=align)
        c.showPage()
    c.save()
    return path


def seller_ids(skip: str = "") -> list[str]:
    labels = {"rc": "R.C", "nif": "N.I.F", "nis": "N.I.S", "ai": "A.I"}
    return [f"{labels[k]} : {v}" for k, v in SELLER_IDS.items() if k != skip]


def table(p: Page, y: float, rows, *, fmt=money, wrap_last: bool = False) -> float:
    """A lines table from ``y`` down; returns the y under it."""
    for x, head in ((40, "Désignation"), (300, "Qté"), (380, "P.U. HT"), (440, "TVA")):
        p.left(x, y, head)
    p.right(550, y, "Montant HT")
    y -= 16
    for k, (desc, q, pu, r) in enumerate(rows):
        p.left(40, y, desc)
        p.right(315, y, str(q))
        p.right(425, y, fmt(pu))
        p.left(440, y, f"{r}%")
        total = fmt(q * pu)
        if wrap_last and k == len(rows) - 1 and " " in total:  # a narrow column wraps it
            head, tail = total.split(" ", 1)
            p.right(550, y, head)
            p.right(550, y - 10, tail)
            y -= 10
        else:
            p.right(550, y, total)
        y -= 16
    return y - 8


def bottom(p: Page, y: float, t: Totals, *, method: str = "Virement bancaire") -> None:
    p.right(430, y, "Total HT")
    p.right(550, y, f"{money(t.ht)} DA")
    for r, v in sorted(t.tva.items(), reverse=True):
        y -= 12
        p.right(430, y, f"TVA {r} %")
        p.right(550, y, f"{money(v)} DA")
    y -= 12
    p.right(430, y, "Total TTC")
    p.right(550, y, f"{money(t.ttc)} DA")
    y -= 28
    p.left(40, y, f"Arrêtée la présente facture à la somme de : {t.words}.")
    p.left(40, y - 16, f"Mode de paiement : {method}")
    p.left(40, y - 28, "Conditions de paiement : règlement à 30 jours")


# --- the families ---------------------------------------------------------------------------
def landscape_buyer_left(path: Path, skip: str = "") -> Path:
    """The buyer's block on the left under "Facturé à", the seller's right-aligned on the
    right of the same lines, identifiers included."""
    p = Page()
    p.left(40, 550, "Facturé à")
    for k, text in enumerate([BUYER, BUYER_ADDRESS, f"RC : {BUYER_IDS['rc']}",
                              f"NIF : {BUYER_IDS['nif']}", f"AI : {BUYER_IDS['ai']}"]):  # fmt: skip
        p.left(40, 538 - 12 * k, text)
    right = [SELLER, "au capital de 500 000,00 DA", SELLER_ADDRESS, *seller_ids(skip)]
    for k, text in enumerate(right):
        p.right(800, 550 - 12 * k, text)
    p.left(40, 450, "FACTURE N° TS-2026-0042")
    p.left(400, 450, "Alger, le 03/11/2026")
    y = table(p, 420, ROWS[:3])
    bottom(p, y, totals(ROWS[:3]))
    return write(path, [p], size=landscape(A4))


def two_pages(path: Path, ht_shown: Decimal | None = None) -> Path:
    """The table carried to page 2 ("À reporter" / "Report", the header again), a wrapped
    amount, the totals on page 2; the seller's identifiers in each page's footer."""
    t = totals()
    one, two = Page(), Page()
    one.left(40, 800, SELLER)
    one.left(40, 788, SELLER_ADDRESS)
    one.left(40, 776, "Capital social : 500 000,00 DA")
    one.left(330, 760, "Facture N° TS-2026-0107")
    one.left(330, 748, "Date : 21/10/2026")
    one.left(40, 730, "Client :")
    one.left(40, 718, BUYER)
    one.left(40, 706, BUYER_ADDRESS)
    one.left(40, 694, f"RC : {BUYER_IDS['rc']}   NIF : {BUYER_IDS['nif']}   AI : {BUYER_IDS['ai']}")
    y = table(one, 660, ROWS[:2])
    carried = sum((q * pu for _d, q, pu, _r in ROWS[:2]), Decimal(0))
    one.right(430, y, "À reporter :")
    one.right(550, y, money(carried))
    two.left(40, 800, "Facture N° TS-2026-0107 (suite)")
    two.right(430, 780, "Report :")
    two.right(550, 780, money(carried))
    y = table(two, 750, ROWS[2:], wrap_last=True)
    bottom(two, y, Totals(ht_shown or t.ht, t.tva, t.ttc))
    for page in (one, two):
        page.left(90, 60, " — ".join(seller_ids()))
    return write(path, [one, two])


def credit_note(path: Path) -> Path:
    """A credit note: its own title and number, the invoice it cancels, a refund."""
    t = totals(ROWS[:2])
    p = Page()
    p.left(40, 800, SELLER)
    p.left(40, 788, "SARL au capital de 500 000,00 DA")
    p.left(40, 776, SELLER_ADDRESS)
    for k, text in enumerate(seller_ids()):
        p.left(40, 764 - 12 * k, text)
    p.left(330, 800, "Client :")
    p.left(330, 788, BUYER)
    p.left(330, 776, BUYER_ADDRESS)
    p.left(330, 764, f"NIF : {BUYER_IDS['nif']}")
    p.left(330, 752, f"RC : {BUYER_IDS['rc']}")
    p.left(330, 740, f"AI : {BUYER_IDS['ai']}")
    p.left(40, 700, "FACTURE D'AVOIR")
    p.left(40, 686, "Avoir N° : AV-2026-0007")
    p.left(40, 674, "Date : 05/11/2026")
    p.left(40, 662, "Facture d'origine : TS-2026-0031 du 02/10/2026")
    y = table(p, 630, ROWS[:2])
    p.right(430, y, "Montant HT de l'avoir")
    p.right(550, y, money(t.ht))
    p.right(430, y - 12, "TVA 19 % à régulariser")
    p.right(550, y - 12, money(t.tva[19]))
    p.right(430, y - 24, "Montant TTC de l'avoir")
    p.right(550, y - 24, money(t.ttc))
    p.left(40, y - 50, f"Arrêté le présent avoir à la somme de : {t.words}.")
    p.left(40, y - 66, "Mode de remboursement : Chèque")
    p.left(40, y - 78, "Date de remboursement : 15/12/2026")
    return write(path, [p])


def grids(path: Path, skip: str = "") -> Path:
    """Identifiers, the number and the totals as rows of labels over rows of values, with
    "DA" before every amount; the buyer's identifiers in a grid under its block."""
    t = totals()

    def da(v: Decimal) -> str:
        return f"DA {money(v)}"

    p = Page()
    p.left(60, 800, SELLER)
    p.left(60, 788, SELLER_ADDRESS)
    labels = {"rc": "R.C", "nif": "N.I.F", "nis": "N.I.S", "ai": "A.I"}
    x = 50
    for kind, value in SELLER_IDS.items():
        if kind != skip:
            p.left(x + 20, 766, labels[kind])
            p.left(x, 754, value)
        x += 100
    p.left(x + 10, 766, "Capital social")
    p.left(x, 754, "DA 500 000,00")
    p.left(40, 720, "FACTURE")
    p.left(330, 720, "Client")
    for x, head, value in ((60, "N°", "TS.0315.26"), (150, "Date", "09/11/2026")):
        p.left(x, 708, head)
        p.left(x - 15, 690, value)
    p.left(330, 708, BUYER)
    p.left(330, 696, BUYER_ADDRESS)
    for x, head, value in ((80, "R.C", BUYER_IDS["rc"]), (250, "N.I.F", BUYER_IDS["nif"]),
                           (420, "A.I", BUYER_IDS["ai"])):  # fmt: skip
        p.left(x, 660, head)
        p.left(x - 30, 648, value)
    y = table(p, 610, ROWS, fmt=da)
    heads = [("Total HT", t.ht), *((f"TVA {r}%", v) for r, v in sorted(t.tva.items(), reverse=True)),
             ("Total TTC", t.ttc)]  # fmt: skip
    for k, (head, value) in enumerate(heads):
        p.left(60 + 130 * k, y, head)
        p.left(50 + 130 * k, y - 12, da(value))
    p.left(40, y - 40, f"Arrêté à la somme de : {t.words}.")
    p.left(80, y - 60, "Règlement")
    p.left(300, y - 60, "Conditions")
    p.left(70, y - 72, "Virement bancaire")
    p.left(290, y - 72, "Règlement à 30 jours")
    return write(path, [p])


def bilingual(path: Path) -> Path:
    """French labels with their Arabic halves ("N° facture / رقم الفاتورة :") and amounts
    in the ERP's "1,234,567.89 DZD"."""
    t = totals()

    def dzd(v: Decimal) -> str:
        return f"{v:,.2f} DZD"

    p = Page()
    p.left(40, 800, SELLER)
    p.left(40, 788, SELLER_ADDRESS)
    p.left(40, 776, "Capital social / رأس المال : 500,000.00 DZD")
    for k, text in enumerate(seller_ids()):
        p.left(40, 764 - 12 * k, text)
    p.left(40, 700, "N° facture / رقم الفاتورة        : TS-F-2026-0551")
    p.left(40, 688, "Date / التاريخ                     : 18/11/2026")
    p.left(330, 700, "Client / الزبون")
    p.left(330, 688, BUYER)
    p.left(330, 676, BUYER_ADDRESS)
    p.left(330, 664, f"N.I.F : {BUYER_IDS['nif']}")
    p.left(330, 652, f"R.C : {BUYER_IDS['rc']}")
    p.left(330, 640, f"A.I : {BUYER_IDS['ai']}")
    y = table(p, 610, ROWS, fmt=lambda v: f"{v:,.2f}")
    p.right(430, y, "Total HT / المجموع خارج الرسم")
    p.right(550, y, dzd(t.ht))
    for r, v in sorted(t.tva.items(), reverse=True):
        y -= 12
        p.right(430, y, f"TVA {r} % / الرسم")
        p.right(550, y, dzd(v))
    p.right(430, y - 12, "Total TTC / المجموع")
    p.right(550, y - 12, dzd(t.ttc))
    p.left(40, y - 40, f"Arrêtée la présente facture à la somme de : {t.words}.")
    p.left(40, y - 56, "Mode de paiement / طريقة الدفع : Virement")
    p.left(40, y - 68, "Conditions / شروط الدفع : règlement à 30 jours")
    return write(path, [p])


def empty_labels(path: Path) -> Path:
    """An invoice book's pre-printed labels: "Date :" and "N° statistique :" with nothing
    after them (written by hand, or left blank: the text cannot tell)."""
    t = totals(ROWS[:2])
    p = Page()
    p.left(40, 800, SELLER)
    p.left(40, 788, "EURL au capital de 500 000,00 DA")
    p.left(40, 776, SELLER_ADDRESS)
    p.left(330, 800, f"R.C : {SELLER_IDS['rc']}")
    p.left(330, 788, f"N.I.F : {SELLER_IDS['nif']}")
    p.left(330, 776, "N° statistique :")
    p.left(330, 764, f"Art. Imp. : {SELLER_IDS['ai']}")
    p.left(250, 730, "FACTURE N° 0412")
    p.left(40, 712, "Date :")
    p.left(40, 690, f"Doit : {BUYER}")
    p.left(40, 678, f"       {BUYER_ADDRESS}")
    p.left(40, 666, f"       R.C : {BUYER_IDS['rc']}")
    p.left(40, 654, f"       N.I.F : {BUYER_IDS['nif']}")
    p.left(40, 642, f"       A.I : {BUYER_IDS['ai']}")
    y = table(p, 610, ROWS[:2])
    bottom(p, y, t)
    return write(path, [p])


CLEAN = {
    "landscape, buyer left, seller right": landscape_buyer_left,
    "table over two pages, totals on page 2": two_pages,
    "credit note": credit_note,
    "header/value grids, DA before amounts": grids,
    "bilingual, 1,234,567.89 DZD": bilingual,
}


@pytest.mark.parametrize("draw", list(CLEAN.values()), ids=list(CLEAN))
def test_a_clean_invoice_of_each_family_raises_nothing(tmp_path: Path, draw) -> None:
    result = check_file(draw(tmp_path / "f.pdf"), AS_OF)
    assert result.findings == [], [f.message for f in result.findings]


def test_landscape_seller_is_the_right_block(tmp_path: Path) -> None:
    doc = read_pdf(landscape_buyer_left(tmp_path / "f.pdf")).document
    assert (doc.seller.name, doc.buyer.name) == (SELLER, BUYER)
    assert doc.seller.nif == SELLER_IDS["nif"] and doc.buyer.nif == BUYER_IDS["nif"]
    assert doc.buyer.address == BUYER_ADDRESS


def test_landscape_seller_nif_left_out_is_missing(tmp_path: Path) -> None:
    result = check_file(landscape_buyer_left(tmp_path / "f.pdf", skip="nif"), AS_OF)
    assert {f.code for f in result.findings} == {"SELLER_NIF_MISSING"}


def test_two_pages_read_every_line_once(tmp_path: Path) -> None:
    doc = read_pdf(two_pages(tmp_path / "f.pdf")).document
    assert [ln.description for ln in doc.lines] == [r[0] for r in ROWS]
    assert doc.lines[-1].total_ht == ROWS[-1][1] * ROWS[-1][2]  # the wrapped amount
    assert doc.total_ht == totals().ht


def test_two_pages_wrong_total_is_found(tmp_path: Path) -> None:
    t = totals()
    result = check_file(two_pages(tmp_path / "f.pdf", ht_shown=t.ht + 1000), AS_OF)
    assert "TOTAL_HT_MISMATCH" in {f.code for f in result.findings}
    assert not {f.code for f in result.findings} & {"LINE_TOTAL_MISMATCH", "NUMBER_MISSING"}


def test_credit_note_number_and_refund(tmp_path: Path) -> None:
    read = read_pdf(credit_note(tmp_path / "f.pdf"))
    doc = read.document
    assert doc.number == "AV-2026-0007" and doc.issue_date == date(2026, 11, 5)
    assert doc.payment_method == "cheque" and doc.due_date == date(2026, 12, 15)


def test_grids_values_under_their_labels(tmp_path: Path) -> None:
    read = read_pdf(grids(tmp_path / "f.pdf"))
    doc, t = read.document, totals()
    assert doc.number == "TS.0315.26"
    assert doc.seller.ai == SELLER_IDS["ai"] and doc.buyer.ai == BUYER_IDS["ai"]
    assert doc.total_tva == sum(t.tva.values()) and len(doc.lines) == len(ROWS)


def test_grids_seller_ai_left_out_is_not_the_buyers(tmp_path: Path) -> None:
    result = check_file(grids(tmp_path / "f.pdf", skip="ai"), AS_OF)
    assert {f.code for f in result.findings} == {"SELLER_AI_MISSING"}


def test_bilingual_labels_and_dzd_amounts(tmp_path: Path) -> None:
    if arabic_font() is None:
        pytest.skip("no font with Arabic glyphs (fonts-dejavu-core)")
    doc = read_pdf(bilingual(tmp_path / "f.pdf")).document
    assert doc.number == "TS-F-2026-0551" and doc.total_ttc == totals().ttc


def test_empty_preprinted_labels_are_unread_not_absent(tmp_path: Path) -> None:
    path = empty_labels(tmp_path / "f.pdf")
    result = check_file(path, AS_OF)
    assert result.fields["issue_date"] == "unread" and result.fields["seller.nis"] == "unread"
    assert result.findings == [], [f.message for f in result.findings]


def test_acronym_in_parentheses_after_the_long_label(tmp_path: Path) -> None:
    # "N° d'identification fiscale (NIF)      000…": a label column, the value in the next
    p = Page()
    p.left(40, 800, SELLER)
    p.left(40, 788, SELLER_ADDRESS)
    for k, (label, kind) in enumerate((("Registre du commerce", "rc"),
                                       ("N° d'identification fiscale (NIF)", "nif"),
                                       ("N° d'identification statistique (NIS)", "nis"),
                                       ("N° d'article d'imposition (AI)", "ai"))):  # fmt: skip
        p.left(40, 770 - 14 * k, label)
        p.left(260, 770 - 14 * k, SELLER_IDS[kind])
    doc = read_pdf(write(tmp_path / "f.pdf", [p])).document
    assert (doc.seller.nif, doc.seller.nis, doc.seller.ai) == (
        SELLER_IDS["nif"],
        SELLER_IDS["nis"],
        SELLER_IDS["ai"],
    )


def test_no_issue_date_beside_a_due_date_and_terms_is_missing(tmp_path: Path) -> None:
    # "Échéance le …" is no "Oran, le …", and "30 jours date de facture" in the terms is no
    # pre-printed date label: with no date of the invoice printed, DATE_MISSING
    t = totals(ROWS[:2])
    p = Page()
    p.left(40, 800, SELLER)
    p.left(40, 788, "EURL au capital de 500 000,00 DA")
    p.left(40, 776, SELLER_ADDRESS)
    for k, text in enumerate(seller_ids()):
        p.left(330, 800 - 12 * k, text)
    p.left(250, 730, "FACTURE N° 0413")
    p.left(40, 690, f"Doit : {BUYER}")
    p.left(40, 678, f"       {BUYER_ADDRESS}")
    p.left(40, 666, f"       R.C : {BUYER_IDS['rc']}   N.I.F : {BUYER_IDS['nif']}")
    p.left(40, 654, f"       A.I : {BUYER_IDS['ai']}")
    y = table(p, 610, ROWS[:2])
    bottom(p, y, t)
    p.left(40, y - 60, "Règlement à 30 jours date de facture. Échéance le 24/12/2026")
    result = check_file(write(tmp_path / "f.pdf", [p]), AS_OF)
    assert result.fields["issue_date"] == "absent"
    assert {f.code for f in result.findings} == {"DATE_MISSING"}
