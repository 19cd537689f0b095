"""The invoice PDF renderer: what it prints reads back with pypdf, accents and amounts included."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from khazna.ledger.documents import DocLine, InvoiceDocument, Party
from khazna.ledger.invoice_pdf import render_invoice_pdf


def _doc(**over) -> InvoiceDocument:
    base = dict(
        number="F2026-0142", issue_date=date(2026, 10, 5), due_date=date(2026, 11, 4),
        payment_terms="30 jours", payment_method="virement",
        seller=Party(name="Atlas Services", legal_form="SARL", capital=Decimal("5000000"),
                     address="18 rue des Frères Bouadou, Bir Mourad Raïs, 16000 Alger",
                     rc="16/00-0012345 B 19", nif="000116001234567", nis="000116009876543",
                     ai="16123456789", rib="00400123001234567890"),
        buyer=Party(name="Société Générale d'Études Électriques", address="Bab Ezzouar, Alger",
                    nif="000216001111111", rc="16/00-7654321 B 12", ai="16000000001"),
        lines=[DocLine(description="Étude et ingénierie : schéma directeur", quantity=Decimal(3),
                       unit="jour", unit_price_ht=Decimal("345678.63"), tva_rate=Decimal(19)),
               DocLine(description="Formation des utilisateurs", quantity=Decimal(1), unit="session",
                       unit_price_ht=Decimal("100000"), tva_rate=Decimal(9))],
        total_ht=Decimal("1137035.89"), total_tva=Decimal("206036.82"), timbre=Decimal("0"),
        total_ttc=Decimal("1343072.71"),
        amount_in_words="un million trois cent quarante-trois mille soixante-douze dinars algériens "
        "et soixante et onze centimes",
    )  # fmt: skip
    base.update(over)
    return InvoiceDocument(**base)


def _text(path) -> str:
    raw = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", raw).replace("\u00a0", " ")


def test_labels_amounts_and_accents_read_back(tmp_path):
    path = tmp_path / "f.pdf"
    render_invoice_pdf(_doc(), path)
    text = _text(path)
    for label in ("NIF : 000116001234567", "NIS : 000116009876543", "N° RC : 16/00-0012345 B 19",
                  "AI : 16123456789", "RIB : 00400123001234567890", "Capital social : 5 000 000,00 DA",
                  "Client : Société Générale d'Études Électriques", "Facture N° F2026-0142",
                  "Date : 05/10/2026", "Échéance : 04/11/2026", "Mode de paiement : Virement",
                  "Désignation", "Qté", "PU HT", "Montant HT", "Total HT", "TVA 19 %", "TVA 9 %",
                  "Total TTC", "1 343 072,71 DA", "1 037 035,89 DA",
                  "Arrêtée la présente facture à la somme de : un million"):  # fmt: skip
        assert label in text, label
    assert "Droit de timbre" not in text  # a transfer pays no stamp duty


def test_missing_fields_are_left_off_and_cash_shows_the_stamp(tmp_path):
    doc = _doc(payment_method="especes", timbre=Decimal("26862"), total_ttc=Decimal("1369934.71"),
               amount_in_words=None)  # fmt: skip
    doc.seller.nif = None
    path = tmp_path / "cash.pdf"
    render_invoice_pdf(doc, path)
    text = _text(path)
    assert "Droit de timbre" in text and "26 862,00 DA" in text and "Espèces" in text
    assert "Arrêtée" not in text
    seller_block = text.split("Facture N°")[0]
    assert "NIF :" not in seller_block and "NIS :" in seller_block


def test_same_document_same_bytes_and_long_invoices_paginate(tmp_path):
    render_invoice_pdf(_doc(), tmp_path / "a.pdf")
    render_invoice_pdf(_doc(), tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    many = [DocLine(description=f"Intervention n° {k} sur site, déplacement compris", quantity=Decimal(1),
                    unit="forfait", unit_price_ht=Decimal(1000), tva_rate=Decimal(19)) for k in range(80)]  # fmt: skip
    render_invoice_pdf(_doc(lines=many), tmp_path / "long.pdf")
    reader = PdfReader(tmp_path / "long.pdf")
    assert len(reader.pages) >= 2
    assert "Intervention n° 79" in _text(tmp_path / "long.pdf")
