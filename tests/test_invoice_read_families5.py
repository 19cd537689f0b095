"""Layout families the fifth blind split showed failing (issue 11.1), each written here as
page text of our own (never a held-out layout), read through the same path as a PDF's
layout text: a buyer block headed by a label alone on its line with the seller's block on
the same lines further right, an Arabic label whose rate runs right to left (``%19``), a
table in sections with their sub-totals, a table carried over pages under "… suite page
suivante", a buyer heading followed far right by another field, a label printed above its
value in a sidebar beside another column, the number after a series and a space, terms
"payable à <event>"."""

from __future__ import annotations

from decimal import Decimal

from khazna.tools.invoice_check.pdf_fields import read_terms
from khazna.tools.invoice_check.pdf_ids import find_ids
from khazna.tools.invoice_check.pdf_read import document_from_text
from khazna.tools.invoice_check.pdf_table import read_table
from khazna.tools.invoice_check.pdf_text import PdfText


def _read(lines: list[str]):
    return document_from_text(PdfText(layout=lines, plain=[ln.strip() for ln in lines],
                                      pages_total=1, pages_read=1))  # fmt: skip


def _pad(left: str, right: str, at: int = 70) -> str:
    return left.ljust(at) + right


def test_buyer_heading_alone_does_not_swallow_the_seller_block_beside_it() -> None:
    lines = [
        _pad("", "EURL Imprimerie des Hauts Plateaux"),
        " Client",
        _pad(" SARL Boulangerie Ennour", "Cité des 500 logements, 19000 Sétif"),
        _pad(
            " 3, rue Larbi Ben M'hidi, 34000 Bordj Bou Arreridj", "Capital social : 500 000,00 DA"
        ),
        _pad(" RC : 34/00-0123456 B 12", "R.C : 19/00-7654321 B 08"),
        _pad(" NIF : 000134012345678", "N.I.F : 000119087654321"),
        _pad(" AI : 34012345678", "N.I.S : 001919087654321"),
        _pad("", "A.I : 19087654321"),
        "",
        "FACTURE N° 0042/2026",
        "Date : 12/03/2026",
    ]
    doc, status = _read(lines)
    assert doc.buyer.name == "SARL Boulangerie Ennour"
    assert doc.buyer.nif == "000134012345678"
    assert doc.seller.rc == "19/00-7654321 B 08"
    assert doc.seller.nif == "000119087654321"
    assert doc.seller.nis == "001919087654321"
    assert doc.seller.ai == "19087654321"
    assert status["seller.capital"] == "read" and doc.seller.capital == Decimal("500000")


def test_a_rate_printed_right_to_left_beside_a_vat_amount_is_not_an_amount() -> None:
    lines = [
        "FACTURE N° 77/2026",
        "Date : 02/02/2026",
        "",
        " Désignation                         Qté       P.U HT      TVA %      Montant HT",
        " Semoule 25 kg                         2     2 000,00          9        4 000,00",
        " Sucre 50 kg                           1     6 000,00         19        6 000,00",
        "",
        " Total H.T          10 000,00        ",
        " T.V.A 19 %          1 140,00        %19 م.ق.ر",
        " T.V.A 9 %             360,00        %9 م.ق.ر",
        " Total T.T.C        11 500,00",
    ]
    doc, _ = _read(lines)
    assert doc.total_tva == Decimal("1500.00")


ROW = "{code:<10}{desc:<50}{qty:>6}{pu:>14}{rate:>8}{total:>16}"


def _row(code: str, desc: str, qty: str, pu: str, rate: str, total: str) -> str:
    return ROW.format(code=code, desc=desc, qty=qty, pu=pu, rate=rate, total=total)


def test_a_table_in_sections_reads_every_section_past_its_sub_total() -> None:
    lines = [
        _row("Réf.", "Désignation", "Qté", "P.U. HT", "TVA", "Montant HT"),
        _row("", "FOURNITURES", "", "", "", ""),
        _row("FL-01", "Filtre à huile", "2", "1 200,00", "19 %", "2 400,00"),
        _row("PL-02", "Plaquettes de frein", "1", "4 600,00", "19 %", "4 600,00"),
        _row("", "Sous-total fournitures HT", "", "", "", "7 000,00"),
        "",
        _row("", "TRAVAUX", "", "", "", ""),
        _row("", "Vidange et contrôle", "1,50", "2 000,00", "19 %", "3 000,00"),
        _row("", "Sous-total travaux HT", "", "", "", "3 000,00"),
        "",
        _pad("", "Total HT          10 000,00"),
        _pad("", "TVA 19 %           1 900,00"),
        _pad("", "Total TTC         11 900,00"),
    ]
    table = read_table(lines)
    assert [ln.total_ht for ln in table.lines] == [
        Decimal("2400"),
        Decimal("4600"),
        Decimal("3000"),
    ]


def test_a_table_carried_over_pages_under_suite_page_suivante() -> None:
    head = _row("Code", "Désignation", "Qté", "P.U. HT", "TVA", "Montant HT")
    lines = [
        head,
        _row("A1", "Ciment 50 kg", "10", "800,00", "19 %", "8 000,00"),
        _row("A2", "Sable (m3)", "2", "1 500,00", "19 %", "3 000,00"),
        "                                                           ... suite page suivante",
        "",
        "FACTURE N° 12/2026                 Page 2/2",
        head,
        _row("A3", "Gravier (m3)", "3", "2 000,00", "19 %", "6 000,00"),
        "",
        _pad("", "Total HT          17 000,00"),
    ]
    table = read_table(lines)
    assert len(table.lines) == 3


def test_a_buyer_heading_with_another_field_far_right_is_still_the_buyer() -> None:
    lines = [
        "SARL Matériaux du Sud                                      FACTURE N° FV-2026-0091",
        "",
        _pad(
            "Selon BL n° 55 du 03/03/2026", "Client :                        Code client : 411-77"
        ),
        _pad("", "EURL Bâtiment Moderne"),
        _pad("", "12, route de Biskra, 07000 Biskra"),
        _pad("", "NIF : 000107012345678"),
        "",
        "Date : 05/03/2026",
    ]
    doc, _ = _read(lines)
    assert doc.buyer.name == "EURL Bâtiment Moderne"
    assert doc.buyer.nif == "000107012345678"
    assert doc.seller.nif is None


def test_a_label_over_its_value_is_not_given_the_figure_of_the_next_column() -> None:
    lines = [
        "NIF                                            23, rue Khemisti, 31000 Oran",
        "000 312 0456 78901                             NIF : 000131000000001",
    ]
    nif = [h for h in find_ids(lines) if h.kind == "nif"]
    assert nif[0].value == "000 312 0456 78901"


def test_a_number_after_a_series_and_a_space_and_terms_payable_at_an_event() -> None:
    doc, status = _read(["FACTURE N° FR 0093/26", "Date de facture : 04/04/2026"])
    assert doc.number == "FR 0093/26"
    assert read_terms(["Payable à la livraison du matériel"])[1] == "read"
    assert (
        read_terms(["Payable à l'achèvement des travaux"])[0]
        == "Payable à l'achèvement des travaux"
    )
    assert read_terms(["Payable à la restitution du véhicule"])[1] == "read"


def test_labels_printed_in_lower_case_and_a_bare_le_date() -> None:
    lines = [
        "Droguerie Ouled Naïl EURL",
        "5, rue des Martyrs, 17000 Djelfa",
        "rc n° : 17/00-0456789 B 03",
        "nif : 000117045678901",
        "nis : 001717045678901",
        "art. imp : 17045678901",
        "rib cpa : 00400171004567890112",
        "",
        "facture n° DR26/0311",
        "le 14/05/2026",
    ]
    doc, status = _read(lines)
    assert doc.seller.rc == "17/00-0456789 B 03"
    assert (doc.seller.nif, doc.seller.nis, doc.seller.ai) == (
        "000117045678901",
        "001717045678901",
        "17045678901",
    )
    assert doc.seller.rib == "00400171004567890112"
    assert str(doc.issue_date) == "2026-05-14"
    # "ai" is a French word: only a label when a colon follows it
    assert not [h for h in find_ids(["j'ai : rien", "il y ai 12345678901"]) if h.kind == "ai"]


def test_an_arabic_abbreviation_with_a_dot_after_the_french_label_is_blanked() -> None:
    lines = [
        "SARL Test Électro",
        "12, rue des Frères Bouadou, 16000 Alger",
        "AI / م.ر : 16123456789",
    ]
    doc, status = _read(lines)
    assert (doc.seller.ai, status["seller.ai"]) == ("16123456789", "read")


def test_a_seller_identifier_is_absent_only_when_nothing_outside_the_buyer_could_be_it() -> None:
    from khazna.ledger.documents import Party
    from khazna.tools.invoice_check.pdf_read import Blocks, _printed_elsewhere

    page = [
        "SARL Vendeur",
        "",
        "A.I / ر.م   16123456789",
        "Doit : EURL Acheteur",
        "AI : 16999999999",
    ]
    buyer_lines = ["", "", "", "", "AI : 16999999999"]
    blocks = Blocks(seller=page, buyer=buyer_lines, buyer_found=True)
    status = {"seller.ai": "absent", "seller.nif": "absent"}
    _printed_elsewhere(page, blocks, Party(ai="16999999999"), status)
    assert status == {"seller.ai": "unread", "seller.nif": "absent"}
    # the buyer's own, in its block or outside it, leaves the seller's absent
    page[2] = "Client : AI 16999999999"
    status = {"seller.ai": "absent"}
    _printed_elsewhere(page, blocks, Party(ai="16999999999"), status)
    assert status == {"seller.ai": "absent"}


def test_identifiers_in_a_side_column_beside_the_lines_table_are_read() -> None:
    side = ["RIB", "007 99999 0123456789 12", "", "", ""]
    table = [
        "Désignation                            Qté       P.U. HT      TVA       Total HT",
        "Audit du réseau informatique             1    150 000,00     19 %     150 000,00",
        "                                                                                ",
        "Développement d'un module                1    240 000,00     19 %     240 000,00",
        "des stocks                                                                      ",
        "Formation des utilisateurs               5     35 000,00     19 %     175 000,00",
    ]
    lines = [
        "SARL Numérique du Sahel",
        "3, rue des Palmiers, 30000 Ouargla",
        "NIF",
        "000130012345678",
        "",
        "BANQUE".ljust(40) + table[0],
        *[s.ljust(40) + t for s, t in zip(side, table[1:], strict=False)],
        "",
        "".ljust(80) + "Total HT     565 000,00",
    ]
    doc, status = _read(lines)
    assert [ln.total_ht for ln in doc.lines] == [
        Decimal("150000.00"),
        Decimal("240000.00"),
        Decimal("175000.00"),
    ]
    assert (doc.seller.rib, status["seller.rib"]) == ("007 99999 0123456789 12", "read")


def test_the_sellers_address_leaves_out_its_trades_line_and_the_phone_after_it() -> None:
    from khazna.tools.invoice_check.pdf_read import _address

    cells = [
        "Plomberie – Chauffage – Climatisation",
        "RN 3, sortie nord, 30000 Ouargla – Tél. 029 70 11 22",
        "R.C : 30/00-0123456 B 10",
    ]
    assert _address(cells) == "RN 3, sortie nord, 30000 Ouargla"
    assert _address(["Cité 5 Juillet – bloc 4 – n° 12, 16000 Alger"]) == (
        "Cité 5 Juillet – bloc 4 – n° 12, 16000 Alger"
    )
