"""The PDF reader says per field read / unread / absent, and the checker accuses only on
absent mentions (issue 11 part 1): identifiers by label lexicon and shape, the amount in
words and the terms in their usual wordings, blocks told apart on the page."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from khazna.tools.invoice_check import read_pdf
from khazna.tools.invoice_check.files import check_bytes, check_file
from tests.invoice_check_pdfs import _font

AS_OF = date(2026, 12, 1)


def _pdf(path: Path, items: list[tuple[float, float, str]], right: set[int] = frozenset()) -> Path:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), invariant=1)
    c.setFont(_font(), 9)
    for k, (x, y, text) in enumerate(items):
        (c.drawRightString if k in right else c.drawString)(x, y, text)
    c.showPage()
    c.save()
    return path


# The two lines of issue 11 that were misread, in an ordinary layout: footer identifiers,
# "Facturé à" block, totals "Montant H.T / T.V.A 19 % / Net à payer", words over two lines.
def _issue_layout(**drop: bool) -> list[tuple[float, float, str]]:
    foot = ["R.C N° 19/00-4381736 B 13", "NIF 000419012345678", "NIS 098765432109876"]
    if not drop.get("ai"):
        foot.append("Art. Imp. 19012345678")
    items = [
        (40, 800, "SARL Sétif Distribution"),
        (40, 788, "Cité 1000 logements, bloc 12, 19000 Sétif"),
        (40, 760, "Facture FA-2026/0457"),
        (40, 748, "Date : 03/09/2026"),
        (330, 760, "Facturé à :"),
        (330, 748, "EURL Atlas Import"),
        (330, 736, "23, avenue de l'ALN, 09000 Blida"),
        (330, 724, "Registre de commerce : 09/00-0012345 B 19"),
        (330, 712, "Matricule fiscal : 000109012345678"),
        (330, 700, "Article d'imposition : 09012345678"),
        (40, 640, "Désignation"), (300, 640, "Qté"), (380, 640, "P.U HT"), (440, 640, "TVA"),
        (500, 640, "Montant HT"),
        (40, 626, "Ramette papier A4 80 g"), (320, 626, "10"), (420, 626, "2 900,00"),
        (440, 626, "19 %"), (555, 626, "29 000,00"),
        (380, 590, "Montant H.T"), (555, 590, "29 000,00"),
        (380, 578, "T.V.A 19 %"), (555, 578, "5 510,00"),
        (380, 566, "Net à payer"), (555, 566, "34 510,00"),
        (40, 530, "La présente facture est arrêtée à la somme de : trente-quatre mille"),
        (40, 518, "cinq cent dix dinars algériens."),
        (40, 490, "Règlement : Virement bancaire, à payer avant le 03/10/2026"),
        (40, 80, " – ".join(foot)),
        (40, 68, "au capital de 1 000 000,00 DA – RIB (BNA) 00100123012345678938"),
    ]  # fmt: skip
    right = {k for k, (x, _, _) in enumerate(items) if x == 555 or (x == 320 or x == 420)}
    return items, right  # type: ignore[return-value]


def test_the_issue_layout_is_read_without_a_false_finding(tmp_path) -> None:
    items, right = _issue_layout()
    path = _pdf(tmp_path / "f.pdf", items, right)
    read = read_pdf(path)
    doc, fields = read.document, read.fields
    assert doc.seller.rc == "19/00-4381736 B 13"  # "N°" is the label's, not the value's
    assert doc.seller.ai == "19012345678" and doc.seller.nif == "000419012345678"
    assert doc.buyer.nif == "000109012345678" and doc.buyer.ai == "09012345678"
    assert doc.buyer.rc == "09/00-0012345 B 19" and doc.buyer.name == "EURL Atlas Import"
    assert doc.number == "FA-2026/0457" and doc.due_date == date(2026, 10, 3)
    assert doc.payment_method == "virement"
    assert doc.amount_in_words == "trente-quatre mille cinq cent dix dinars algériens"
    assert (doc.total_ht, doc.total_tva, doc.total_ttc) == (
        Decimal("29000.00"), Decimal("5510.00"), Decimal("34510.00"))  # fmt: skip
    assert fields["seller.ai"] == fields["amount_in_words"] == fields["due_date"] == "read"
    result = check_file(path, AS_OF)
    assert result.findings == [], [f.code for f in result.findings]


def test_an_absent_mention_is_still_found(tmp_path) -> None:
    items, right = _issue_layout(ai=True)
    result = check_file(_pdf(tmp_path / "f.pdf", items, right), AS_OF)
    assert [f.code for f in result.findings] == ["SELLER_AI_MISSING"]
    assert result.fields["seller.ai"] == "absent"


def _page(tmp_path: Path, *lines: str) -> Path:
    items = [(40, 800, "SARL Test Services"), (40, 788, "12, rue Didouche Mourad, 16000 Alger")]
    items += [(40, 760 - 12 * k, text) for k, text in enumerate(lines)]
    return _pdf(tmp_path / "p.pdf", items)


def test_an_identifier_that_cannot_be_read_is_unread_not_missing(tmp_path) -> None:
    # a NIF label whose value is not a number, and a bare 11-digit number (could be the AI)
    path = _page(tmp_path, "N.I.F : voir au verso", "Code 16012345678")
    result = check_file(path, AS_OF)
    assert result.fields["seller.nif"] == "unread" and result.fields["seller.ai"] == "unread"
    codes = {f.code for f in result.findings}
    assert not {"SELLER_NIF_MISSING", "SELLER_AI_MISSING"} & codes
    assert "SELLER_NIS_MISSING" in codes  # nothing on the page could be a NIS
    assert {"seller.nif", "seller.ai", "seller.nis"} <= set(result.unread)


@pytest.mark.parametrize(
    ("line", "kind", "value"),
    [
        ("R.C N° : 16/00-0012345 B 19", "rc", "16/00-0012345 B 19"),
        ("RC N° 25 B 1204921 16/00", "rc", "25 B 1204921 16/00"),
        ("Registre du commerce : 16/00-0012345 B 19", "rc", "16/00-0012345 B 19"),
        ("Matricule fiscal : 00016 80655 85625", "nif", "00016 80655 85625"),
        ("N° d'identification statistique : 44615 15753 92102", "nis", "44615 15753 92102"),
        ("Art. Imp. 16012345678", "ai", "16012345678"),
        ("Article d'imposition : 16012345678", "ai", "16012345678"),
        ("N.I.F         :   000216012345678", "nif", "000216012345678"),  # label column
        ("Domiciliation : CPA – RIB 004 27172 2459949045 50", "rib", "004 27172 2459949045 50"),
        ("RIB CNEP : 02168976846978809329", "rib", "02168976846978809329"),
    ],
)
def test_identifier_labels_and_shapes(tmp_path, line: str, kind: str, value: str) -> None:
    doc = read_pdf(_page(tmp_path, line)).document
    assert getattr(doc.seller, kind) == value


def test_a_malformed_identifier_is_kept_so_that_it_is_reported(tmp_path) -> None:
    result = check_file(_page(tmp_path, "NIF : 00021601234567", "RC : 16/00-00123 C 19"), AS_OF)
    codes = {f.code for f in result.findings}
    assert {"SELLER_NIF_INVALID", "SELLER_RC_INVALID"} <= codes


@pytest.mark.parametrize(
    "lead",
    [
        "Arrêtée la présente facture à la somme de :",
        "La présente facture est arrêtée à la somme de :",
        "Arrêté à la somme de",
        "Soit la somme de :",
        "Montant en lettres :",
    ],
)
def test_amount_in_words_wordings_over_a_line_break(tmp_path, lead: str) -> None:
    read = read_pdf(_page(tmp_path, f"{lead} mille cent", "quatre-vingt-dix dinars algériens."))
    assert read.document.amount_in_words == "mille cent quatre-vingt-dix dinars algériens"
    assert read.fields["amount_in_words"] == "read"


def test_no_words_sentence_is_absent_and_a_broken_one_unread(tmp_path) -> None:
    assert read_pdf(_page(tmp_path, "Cachet")).fields["amount_in_words"] == "absent"
    broken = read_pdf(_page(tmp_path, "Arrêtée la présente facture à la somme de : ###"))
    assert broken.fields["amount_in_words"] == "unread"
    result = check_file(_page(tmp_path, "Arrêtée la présente facture à la somme de : ###"), AS_OF)
    assert "AMOUNT_IN_WORDS_MISSING" not in {f.code for f in result.findings}


@pytest.mark.parametrize(
    ("line", "due", "terms"),
    [
        ("Échéance : 15/04/2026", date(2026, 4, 15), None),
        ("Échéance le 15/04/2026", date(2026, 4, 15), None),
        ("Règlement par chèque, à payer avant le 15.04.2026.", date(2026, 4, 15), None),
        ("Règlement à 30 jours date de facture", None, "Règlement à 30 jours date de facture"),
        ("Payable à réception", None, "Payable à réception"),
        ("Conditions : 45 jours fin de mois", None, "45 jours fin de mois"),
    ],
)
def test_terms_in_their_usual_wordings(tmp_path, line, due, terms) -> None:
    path = _page(tmp_path, line)
    doc = read_pdf(path).document
    assert (doc.due_date, doc.payment_terms) == (due, terms)
    assert "TERMS_MISSING" not in {f.code for f in check_file(path, AS_OF).findings}


def test_no_terms_at_all_is_terms_missing(tmp_path) -> None:
    result = check_file(_page(tmp_path, "Mode de paiement : Virement"), AS_OF)
    assert "TERMS_MISSING" in {f.code for f in result.findings}
    assert result.fields["due_date"] == result.fields["payment_terms"] == "absent"


def test_buyer_block_beside_the_seller_and_as_a_label_column(tmp_path) -> None:
    items = [
        (40, 800, "Vendeur"), (320, 800, "Client"),
        (40, 788, "EURL Oran Froid"), (320, 788, "SARL Béjaïa Pâtes"),
        (40, 776, "5, boulevard de la Soummam, 31000 Oran"),
        (320, 776, "Zone industrielle, lot 7, 06000 Béjaïa"),
        (40, 764, "NIF : 000231012345678"), (320, 764, "NIF : 000106012345678"),
        (40, 700, "Destinataire :"), (120, 700, "SPA Cosider"),
        (120, 688, "Route de l'aéroport, 16200 Dar El Beïda"),
    ]  # fmt: skip
    doc = read_pdf(_pdf(tmp_path / "b.pdf", items)).document
    assert doc.seller.nif == "000231012345678" and doc.buyer.nif == "000106012345678"
    assert doc.seller.name == "EURL Oran Froid" and doc.buyer.name == "SARL Béjaïa Pâtes"
    items2 = [
        (40, 800, "EURL Oran Froid"), (40, 788, "5, boulevard de la Soummam, 31000 Oran"),
        (40, 700, "Client :"), (120, 700, "SPA Cosider"),
        (120, 688, "Route de l'aéroport, 16200 Dar El Beïda"), (40, 676, "NIF"),
        (120, 676, ": 000116012345678"),
    ]  # fmt: skip
    doc = read_pdf(_pdf(tmp_path / "c.pdf", items2)).document
    assert doc.buyer.name == "SPA Cosider" and doc.buyer.nif == "000116012345678"
    assert doc.buyer.address == "Route de l'aéroport, 16200 Dar El Beïda"
    assert doc.seller.nif is None


def test_lines_without_a_vat_column_take_the_rate_of_the_totals(tmp_path) -> None:
    items = [
        (40, 800, "SARL Test"),
        (40, 700, "N°"), (70, 700, "Désignation"), (330, 700, "Qté"), (420, 700, "Prix U. HT"),
        (500, 700, "Montant HT"),
        (45, 686, "1"), (70, 686, "Divers"), (345, 686, "2"), (460, 686, "1.000,00"),
        (555, 686, "2.000,00"),
        (380, 650, "Montant HT"), (555, 650, "2.000,00"),
        (380, 638, "TVA 19%"), (555, 638, "400,00"),
        (380, 626, "Montant TTC"), (555, 626, "2.400,00"),
    ]  # fmt: skip
    right = {k for k, (x, _, _) in enumerate(items) if x in (345, 460, 555)}
    path = _pdf(tmp_path / "t.pdf", items, right)
    line = read_pdf(path).document.lines[0]
    assert (line.description, line.quantity, line.unit_price_ht, line.tva_rate) == (
        "Divers", Decimal("2"), Decimal("1000.00"), Decimal("19"))  # fmt: skip
    codes = {f.code for f in check_file(path, AS_OF).findings}
    assert {"DESCRIPTION_VAGUE", "TVA_AMOUNT_MISMATCH"} <= codes  # 19 % of 2 000 is 380


def test_check_invoice_json_reports_the_fields(tmp_path) -> None:
    items, right = _issue_layout()
    result = check_file(_pdf(tmp_path / "f.pdf", items, right), AS_OF)
    out = json.loads(result.model_dump_json())
    assert out["fields"]["seller.rc"] == "read" and out["fields"]["timbre"] == "absent"
    assert set(out["fields"].values()) <= {"read", "unread", "absent"}
    structured = check_bytes(b'{"number": "F1", "due_date": ""}', "f.json", AS_OF, pdf=False)
    assert structured.fields["number"] == "read" and structured.fields["due_date"] == "absent"
    assert "TERMS_MISSING" in {f.code for f in structured.findings}
