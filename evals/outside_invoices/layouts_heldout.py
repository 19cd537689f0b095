"""The HELD-OUT layouts L5–L8. Whoever works on the invoice reader must not read this file.

Their scores are the honest ones only as long as nobody tuned on them: read the dev layouts
(layouts_dev.py), the truth files and the scorer's output, never this module.
"""

from __future__ import annotations

from pathlib import Path

from khazna.evals.outside_invoices.model import Invoice
from khazna.evals.outside_invoices.render import (
    Page,
    capital,
    day,
    dejavu,
    draw_totals,
    firm,
    method_label,
    money,
    qty,
    rib_spaced,
    totals,
    words_text,
)


# --- L5: key/value grids for both parties --------------------------------------------------
def layout_5(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.text(40, 805, firm(s), 14, bold=True)
    if s.phone:
        pg.text(555, 805, f"Tél/Fax : {s.phone}", 8.5, align="r")

    def grid(y: float, title: str, pairs: list[tuple[str, str | None]]) -> float:
        pg.text(40, y, title, 9, bold=True)
        rows = [[k, v] for k, v in pairs if v is not None]
        return pg.table(
            40,
            y - 4,
            [("Rubrique", 190, "l"), ("Renseignement", 325, "l")],
            rows,
            size=8,
            header_fill=0.9,
        )

    yy = grid(
        785,
        "Identification du fournisseur",
        [
            ("Raison sociale", firm(s)),
            ("Forme juridique", s.legal_form),
            ("Capital social", None if s.capital is None else money(s.capital) + " DA"),
            ("Adresse du siège", s.address),
            ("Registre du commerce", s.rc),
            ("N° d'identification fiscale (NIF)", s.nif),
            ("N° d'identification statistique (NIS)", s.nis),
            ("N° d'article d'imposition", s.ai),
            ("Domiciliation bancaire (RIB)", None if s.rib is None else f"{s.bank} {s.rib}"),
        ],
    )
    title = " ".join(
        x
        for x in [
            "FACTURE",
            f"N° {inv.number}" if inv.number else None,
            f"du {day(inv.issue_date)}" if inv.issue_date else None,
        ]
        if x
    )
    pg.text(297, yy - 22, title, 12, bold=True, align="c")
    yy = grid(
        yy - 44,
        "Client :",
        [
            ("Nom ou raison sociale", b.name),
            ("Adresse", b.address),
            ("Registre du commerce", b.rc),
            ("N° d'identification fiscale (NIF)", b.nif),
            ("N° d'identification statistique (NIS)", b.nis),
            ("N° d'article d'imposition", b.ai),
        ],
    )
    cols = [
        ("Désignation", 235, "l"),
        ("Quantité", 55, "r"),
        ("Prix unitaire HT", 80, "r"),
        ("Taux TVA", 50, "c"),
        ("Montant HT", 95, "r"),
    ]
    rows = [
        [ln.description, qty(ln.quantity), money(ln.unit_price), f"{ln.rate} %", money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, yy - 16, cols, rows, size=8)
    labels = {
        "ht": "Total Hors Taxes",
        "tva": "T.V.A. {}",
        "timbre": "Droit de timbre",
        "ttc": "Total T.T.C.",
    }
    yy = draw_totals(pg, 360, 555, yy - 18, totals(inv, labels, "space"), size=8.5)
    words = words_text(inv)
    if words:
        yy = pg.para(
            40, yy - 8, f"Arrêtée la présente facture à la somme de : {words}.", 515, 8.5, 10.5
        )
    yy -= 8
    pay = [
        ("Mode de paiement", method_label(inv.method)),
        ("Date d'échéance", day(inv.due_date) if inv.due_date else None),
        ("Conditions de paiement", None if inv.due_date else inv.terms),
    ]
    pg.kv(40, yy, pay, size=8.5)
    pg.save()


# --- L6: banner, one identifier line, inline "Doit", VAT column, several rates --------------
def layout_6(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.box(0, 770, 595, 72, fill=0.2)
    pg.c.setFillGray(1)
    pg.text(40, 810, firm(s).upper(), 17, bold=True)
    pg.text(40, 794, " – ".join(x for x in [s.address, capital(s, wording=1)] if x), 8.5)
    pg.c.setFillGray(0)
    ids = [
        f"RC : {s.rc}" if s.rc else None,
        f"NIF : {s.nif}" if s.nif else None,
        f"NIS : {s.nis}" if s.nis else None,
        f"AI : {s.ai}" if s.ai else None,
    ]
    pg.text(40, 755, "  |  ".join(x for x in ids if x), 8)
    city = (s.address or "Alger").rsplit(" ", 1)[-1]
    if inv.issue_date:
        pg.text(555, 730, f"{city}, le {day(inv.issue_date, 'long')}", 9, align="r")
    pg.text(40, 705, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 13, bold=True)
    if inv.order_ref and inv.order_date:
        pg.text(
            555, 705, f"Suivant {inv.order_ref} du {day(inv.order_date, 'dash')}", 8.5, align="r"
        )
    y: float = 683
    pg.text(40, y, "Doit :", 9, bold=True)
    pg.text(75, y, b.name or "", 9, bold=True)
    y = pg.kv(75, y - 12, [("", b.address)], size=9)
    buyer_ids = [
        f"RC {b.rc}" if b.rc else None,
        f"NIF {b.nif}" if b.nif else None,
        f"NIS {b.nis}" if b.nis else None,
        f"AI {b.ai}" if b.ai else None,
    ]
    pg.text(75, y, " – ".join(x for x in buyer_ids if x), 8.5)
    cols = [
        ("Code", 40, "c"),
        ("Article", 215, "l"),
        ("Qté", 40, "r"),
        ("P.U. H.T", 75, "r"),
        ("TVA", 40, "c"),
        ("Montant H.T", 105, "r"),
    ]
    rows = [
        [
            f"A{i:02d}",
            ln.description,
            qty(ln.quantity),
            money(ln.unit_price),
            f"{ln.rate} %",
            money(ln.amount),
        ]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, y - 24, cols, rows, size=8)
    labels = {"ht": "Total HT", "tva": "TVA {}", "timbre": "Droit de timbre", "ttc": "Total TTC"}
    yy = draw_totals(pg, 380, 555, yy - 20, totals(inv, labels, "space"), suffix=" DA")
    words = words_text(inv)
    if words:
        yy = pg.para(40, yy - 10, f"Arrêté à la somme de : {words}", 330, 9)
    yy -= 10
    pay = []
    if inv.method:
        pay.append(f"Mode de paiement : {method_label(inv.method)}")
    if inv.due_date:
        pay.append(f"Échéance : {day(inv.due_date)}")
    elif inv.terms:
        pay.append(f"Conditions : {inv.terms}")
    pg.kv(40, yy, [("", p) for p in pay])
    if s.rib:
        pg.text(297, 50, f"Compte {s.bank} n° {rib_spaced(s.rib)}", 8, align="c")
    pg.save()


# --- L7: seller block on the right, invoice-info grid, plain amounts -----------------------
def layout_7(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.box(40, 745, 120, 60)
    pg.text(100, 772, "LOGO", 10, align="c")
    y: float = 805
    for text, size, bold in [
        (firm(s), 12, True),
        (capital(s) or "", 8, False),
        (s.address or "", 8, False),
        (f"Tél : {s.phone}" if s.phone else "", 8, False),
    ]:
        if text:
            pg.text(555, y, text, size, bold=bold, align="r")
            y -= 12
    for label, value in [
        ("R.C.", s.rc),
        ("Mat. fiscal", s.nif),
        ("N.I.S.", s.nis),
        ("Art. d'imp.", s.ai),
    ]:
        if value:
            pg.text(555, y, f"{label} : {value}", 8, align="r")
            y -= 10.5
    info_cols = [
        ("N° facture", 130, "c"),
        ("Date", 120, "c"),
        ("Mode de paiement", 135, "c"),
        ("Échéance", 130, "c"),
    ]
    due = day(inv.due_date) if inv.due_date else (inv.terms or "")
    info = [
        [
            inv.number or "",
            day(inv.issue_date) if inv.issue_date else "",
            method_label(inv.method, 1) or "",
            due,
        ]
    ]
    yy = pg.table(40, 690, info_cols, info, size=8.5, header_fill=0.85)
    pg.text(40, yy - 24, "Facturé à :", 9, bold=True)
    pg.kv(
        110,
        yy - 24,
        [
            ("", b.name),
            ("", b.address),
            ("R.C.", b.rc),
            ("Mat. fiscal", b.nif),
            ("N.I.S.", b.nis),
            ("Art. d'imp.", b.ai),
        ],
        size=8.5,
        leading=11,
    )
    cols = [
        ("Désignation", 250, "l"),
        ("Qté", 45, "r"),
        ("Prix unitaire", 80, "r"),
        ("Taux", 40, "c"),
        ("Montant", 100, "r"),
    ]
    rows = [
        [
            ln.description,
            qty(ln.quantity),
            money(ln.unit_price, "plain"),
            f"{ln.rate}%",
            money(ln.amount, "plain"),
        ]
        for ln in inv.lines
    ]
    yy = pg.table(40, yy - 110, cols, rows, size=8, grid=False, header_fill=0.9)
    labels = {
        "ht": "Montant total HT",
        "tva": "Montant TVA {}",
        "timbre": "Timbre",
        "ttc": "Net à payer TTC",
    }
    yy = draw_totals(pg, 360, 555, yy - 20, totals(inv, labels, "plain"), suffix=" DA")
    words = words_text(inv)
    if words:
        yy = pg.para(40, yy - 12, f"La présente facture est arrêtée à la somme de {words}.", 300, 9)
    if s.rib:
        pg.text(40, yy - 14, f"Règlement sur le compte {s.bank} : RIB {s.rib}", 8)
    pg.text(297, 30, "Page 1/1", 7.5, align="c")
    pg.save()


# --- L8: narrow columns in another order, ids under the name, "Net à payer" -----------------
def layout_8(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 805, firm(s), 13, bold=True)
    pg.text(40, 792, " · ".join(x for x in [s.address, s.phone and f"Tél. {s.phone}"] if x), 8)
    pg.text(
        40,
        781,
        " / ".join(x for x in [s.nif and f"NIF: {s.nif}", s.nis and f"NIS: {s.nis}"] if x),
        8,
    )
    pg.text(
        40, 770, " / ".join(x for x in [s.rc and f"RC: {s.rc}", s.ai and f"AI: {s.ai}"] if x), 8
    )
    cap = capital(s, "space")
    if cap:
        pg.text(40, 759, cap, 8)
    pg.hline(40, 555, 748)
    pg.text(40, 725, "Facture", 20, bold=True)
    meta = [
        ("Numéro", inv.number),
        ("Date d'émission", day(inv.issue_date, "slash") if inv.issue_date else None),
    ]
    pg.kv(40, 705, meta, size=9, label_w=85)
    pg.text(330, 725, "Client :", 9, bold=True)
    pg.kv(
        330,
        711,
        [
            ("", b.name),
            ("", b.address),
            ("N° RC", b.rc),
            ("N° NIF", b.nif),
            ("N° NIS", b.nis),
            ("N° AI", b.ai),
        ],
        size=8.5,
        leading=11,
    )
    cols = [
        ("Désignation", 225, "l"),
        ("P.U. H.T", 80, "r"),
        ("Qté", 40, "r"),
        ("TVA %", 45, "c"),
        ("Montant H.T", 125, "r"),
    ]
    rows = [
        [ln.description, money(ln.unit_price), qty(ln.quantity), str(ln.rate), money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, 620, cols, rows, size=8, header_fill=0.88)
    labels = {"ht": "Total HT", "tva": "TVA {}", "timbre": "Droit de timbre", "ttc": "Net à payer"}
    yy = draw_totals(pg, 370, 555, yy - 20, totals(inv, labels, "space"), boxed=True, suffix=" DA")
    words = words_text(inv)
    if words:
        pg.box(40, yy - 40, 515, 34)
        pg.para(46, yy - 18, f"Arrêtée la présente facture à la somme de : {words}", 500, 8.5, 10)
        yy -= 44
    yy -= 12
    if inv.method:
        pg.text(40, yy, f"Règlement : {method_label(inv.method)}", 9)
        yy -= 12
    if inv.due_date:
        pg.text(40, yy, f"Échéance : {day(inv.due_date)}", 9)
    elif inv.terms:
        pg.text(40, yy, inv.terms, 9)
    if s.rib:
        pg.text(40, 60, f"RIB : {rib_spaced(s.rib)} ({s.bank})", 8)
    pg.save()
