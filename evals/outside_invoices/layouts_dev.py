"""The development layouts L1–L4: a reader may be tuned on these (see layouts_heldout.py)."""

from __future__ import annotations

from pathlib import Path

from khazna.evals.outside_invoices.model import Invoice
from khazna.evals.outside_invoices.render import (
    METHODS,
    Page,
    capital,
    day,
    dejavu,
    draw_totals,
    firm,
    grouped,
    method_label,
    money,
    qty,
    rib_spaced,
    totals,
    words_text,
)


# --- L1: office template, identifiers under the letterhead, "Doit" box ---------------------
def layout_1(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    y: float = 800
    pg.text(40, y, firm(s), 15, bold=True)
    y = pg.kv(40, y - 16, [("", capital(s)), ("", s.address), ("Tél", s.phone)])
    ids = [("R.C N°", s.rc), ("N.I.F", s.nif), ("N.I.S", s.nis), ("A.I", s.ai)]
    pg.kv(360, 784, ids, size=8.5, sep=" : ")
    pg.hline(40, 555, 720)
    pg.text(
        297, 695, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 14, bold=True, align="c"
    )
    if inv.issue_date:
        pg.text(555, 675, f"Date : {day(inv.issue_date)}", 9, align="r")
    if inv.order_ref and inv.order_date:
        pg.text(40, 660, f"Réf. : {inv.order_ref} du {day(inv.order_date)}", 8.5)
    pg.box(300, 560, 255, 100)
    pg.text(308, 646, "Doit :", 9, bold=True)
    pg.kv(
        308,
        632,
        [("", b.name), ("", b.address), ("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)],
        size=8.5,
        leading=11,
    )
    # The template grows a VAT column only when the invoice mixes rates.
    mixed = len({ln.rate for ln in inv.lines}) > 1
    cols = [("Désignation", 220 if mixed else 255, "l"), ("Unité", 45, "c"), ("Qté", 40, "r")]
    cols += [("TVA", 35, "c")] if mixed else []
    cols += [("P.U HT", 75, "r"), ("Montant HT", 100, "r")]
    rows = [
        [ln.description, ln.unit, qty(ln.quantity)]
        + ([f"{ln.rate} %"] if mixed else [])
        + [money(ln.unit_price), money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, 540, cols, rows)
    labels = {"ht": "Total HT", "tva": "TVA {}", "timbre": "Droit de timbre", "ttc": "Total TTC"}
    yy = draw_totals(pg, 360, 555, yy - 30, totals(inv, labels, "space"), boxed=True)
    words = words_text(inv)
    if words:
        yy = pg.para(
            40, yy - 14, f"Arrêtée la présente facture à la somme de : {words}.", 515, 9, bold=False
        )
    yy -= 10
    mode = method_label(inv.method)
    if mode:
        pg.text(40, yy, f"Mode de paiement : {mode}", 9)
        yy -= 12
    if inv.due_date:
        pg.text(40, yy, f"Échéance : {day(inv.due_date)}", 9)
    elif inv.terms:
        pg.text(40, yy, f"Conditions : {inv.terms}", 9)
    if s.rib:
        pg.text(40, 60, f"RIB {s.bank} : {s.rib}", 8)
    pg.text(450, 90, "Cachet et signature", 8)
    pg.save()


# --- L2: letterhead name only, identifiers in the footer, "Facturé à" ------------------------
def layout_2(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.box(40, 770, 515, 45, fill=0.92)
    pg.text(297, 795, firm(s, form_first=False).upper(), 16, bold=True, align="c")
    pg.text(297, 779, s.address or "", 8.5, align="c")
    pg.text(40, 740, f"Facture {inv.number}" if inv.number else "Facture", 13, bold=True)
    if inv.issue_date:
        pg.text(40, 724, f"Date de facturation : {day(inv.issue_date, 'dash')}", 9)
    pg.text(330, 740, "Facturé à :", 9, bold=True)
    pg.kv(
        330,
        726,
        [
            ("", b.name),
            ("", b.address),
            ("Registre de commerce", b.rc),
            ("Matricule fiscal", b.nif),
            ("N.I.S", b.nis),
            ("Article d'imposition", b.ai),
        ],
        size=8.5,
        leading=11,
    )
    cols = [
        ("Réf.", 40, "c"),
        ("Désignation", 200, "l"),
        ("Unité", 50, "c"),
        ("Quantité", 50, "r"),
        ("Prix unitaire", 75, "r"),
        ("TVA", 35, "c"),
        ("Montant H.T", 65, "r"),
    ]
    rows = [
        [
            f"{i:03d}",
            ln.description,
            ln.unit,
            qty(ln.quantity),
            money(ln.unit_price),
            f"{ln.rate}%",
            money(ln.amount),
        ]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, 640, cols, rows, size=8, header_fill=0.75)
    labels = {"ht": "Montant H.T", "tva": "T.V.A {}", "timbre": "Timbre", "ttc": "Net à payer"}
    yy = draw_totals(pg, 380, 555, yy - 24, totals(inv, labels, "space"), suffix=" DA")
    words = words_text(inv, upper=True)
    if words:
        pg.text(40, yy - 10, "Arrêtée la présente facture à la somme de", 8.5)
        yy = pg.para(40, yy - 22, words, 360, 8.5, bold=True)
    terms = []
    if inv.method:
        terms.append(f"Mode de règlement : {method_label(inv.method, 1)}")
    if inv.due_date:
        terms.append(f"Date d'échéance : {day(inv.due_date, 'dash')}")
    elif inv.terms:
        terms.append(inv.terms)
    pg.kv(40, yy - 14, [("", t) for t in terms])
    foot = [
        f"RC N° {s.rc}" if s.rc else None,
        f"NIF {s.nif}" if s.nif else None,
        f"NIS {s.nis}" if s.nis else None,
        f"Art. Imp. {s.ai}" if s.ai else None,
    ]
    pg.hline(40, 555, 62)
    pg.text(297, 50, " – ".join(x for x in foot if x), 7.5, align="c")
    bottom = [
        capital(s, wording=1),
        f"Tél. {s.phone}" if s.phone else None,
        f"RIB ({s.bank}) {s.rib}" if s.rib else None,
    ]
    pg.text(297, 40, " – ".join(x for x in bottom if x), 7.5, align="c")
    pg.save()


# --- L3: seller and "Client" side by side, long labels, grouped digits --------------------
def layout_3(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.text(297, 805, "FACTURE", 18, bold=True, align="c")
    if inv.number:
        pg.text(297, 788, f"N° {inv.number}", 10, align="c")
    if inv.issue_date:
        pg.text(297, 774, f"du {day(inv.issue_date, 'long')}", 9, align="c")
    g5 = (5, 5, 5)
    pg.box(40, 610, 250, 150)
    pg.text(48, 746, "Vendeur", 8, bold=True)
    pg.text(48, 732, firm(s), 10, bold=True)
    pg.kv(
        48,
        718,
        [
            ("", capital(s, wording=1)),
            ("", s.address),
            ("Registre de commerce", s.rc),
            ("Matricule fiscal", grouped(s.nif, g5)),
            ("N° d'identification statistique", grouped(s.nis, g5)),
            ("Article d'imposition", s.ai),
        ],
        size=7.8,
        leading=10.5,
    )
    pg.box(305, 610, 250, 150)
    pg.text(313, 746, "Client", 8, bold=True)
    pg.text(313, 732, b.name or "", 10, bold=True)
    pg.kv(
        313,
        718,
        [
            ("", b.address),
            ("Registre de commerce", b.rc),
            ("Matricule fiscal", grouped(b.nif, g5)),
            ("N° d'identification statistique", grouped(b.nis, g5)),
            ("Article d'imposition", b.ai),
        ],
        size=7.8,
        leading=10.5,
    )
    cols = [
        ("Qté", 40, "r"),
        ("Désignation", 250, "l"),
        ("P.U", 80, "r"),
        ("T.V.A", 45, "c"),
        ("Total", 100, "r"),
    ]
    rows = [
        [
            qty(ln.quantity, True),
            ln.description,
            money(ln.unit_price),
            f"{ln.rate} %",
            money(ln.amount),
        ]
        for ln in inv.lines
    ]
    yy = pg.table(40, 590, cols, rows, grid=False, header_fill=None)
    labels = {
        "ht": "Total H.T",
        "tva": "T.V.A ({})",
        "timbre": "Droit de timbre",
        "ttc": "Total T.T.C",
    }
    yy = draw_totals(pg, 370, 555, yy - 22, totals(inv, labels, "space", "{}%"))
    words = words_text(inv)
    if words:
        yy = pg.para(
            40, yy - 12, f"La présente facture est arrêtée à la somme de : {words}", 515, 9
        )
    yy -= 12
    if inv.method:
        pg.text(40, yy, f"Paiement : {method_label(inv.method)}", 9)
        yy -= 12
    if inv.due_date:
        pg.text(40, yy, f"Échéance le {day(inv.due_date)}", 9)
    elif inv.terms:
        pg.text(40, yy, inv.terms, 9)
    if s.rib:
        pg.text(40, 70, f"Domiciliation bancaire : {s.bank} – RIB {rib_spaced(s.rib)}", 8)
    if s.phone:
        pg.text(40, 58, f"Téléphone : {s.phone}", 8)
    pg.text(555, 40, "Page 1/1", 7.5, align="r")
    pg.save()


# --- L4: services firm, dot-grouped amounts, "Destinataire", "Soit la somme de" ------------
def layout_4(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 805, firm(s, form_first=False), 13, bold=True)
    pg.text(40, 791, s.address or "", 8.5)
    line = [f"RC: {s.rc}" if s.rc else None, f"NIF: {s.nif}" if s.nif else None]
    pg.text(40, 778, "   ".join(x for x in line if x), 8)
    line = [f"NIS: {s.nis}" if s.nis else None, f"AI: {s.ai}" if s.ai else None, capital(s, "dot")]
    pg.text(40, 767, "   ".join(x for x in line if x), 8)
    pg.box(380, 740, 175, 60, fill=0.9)
    pg.text(388, 784, "FACTURE", 12, bold=True)
    if inv.number:
        pg.text(388, 770, f"N° : {inv.number}", 9)
    if inv.issue_date:
        pg.text(388, 757, f"Date : {day(inv.issue_date, 'dot')}", 9)
    pg.text(40, 720, "Destinataire :", 9, bold=True)
    pg.kv(40, 706, [("", b.name), ("", b.address)], size=9)
    pg.kv(300, 706, [("RC", b.rc), ("NIF", b.nif), ("NIS", b.nis), ("AI", b.ai)], size=8.5)
    cols = [
        ("N°", 25, "c"),
        ("Désignation de la prestation", 250, "l"),
        ("Qté", 40, "r"),
        ("Prix U. HT", 90, "r"),
        ("Montant HT", 110, "r"),
    ]
    rows = [
        [
            str(i),
            ln.description + ("" if ln.rate == 19 else f" (TVA {ln.rate} %)"),
            qty(ln.quantity),
            money(ln.unit_price, "dot"),
            money(ln.amount, "dot"),
        ]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, 640, cols, rows, header_fill=0.8)
    labels = {"ht": "Montant HT", "tva": "TVA {}", "timbre": "Timbre fiscal", "ttc": "Montant TTC"}
    yy = draw_totals(pg, 370, 555, yy - 22, totals(inv, labels, "dot", "{}%"), boxed=True)
    words = words_text(inv)
    if words:
        yy = pg.para(40, yy - 12, f"Soit la somme de : {words}", 330, 9)
    yy -= 10
    pay = []
    if inv.method:
        pay.append(f"Règlement par {METHODS[inv.method][0].lower()}")
    if inv.due_date:
        pay.append(f"à payer avant le {day(inv.due_date, 'dot')}")
    elif inv.terms:
        pay.append(inv.terms.lower())
    if pay:
        pg.text(40, yy, (", ".join(pay))[0].upper() + (", ".join(pay))[1:] + ".", 9)
    if s.rib:
        pg.text(40, 60, f"Coordonnées bancaires : {s.bank} RIB {rib_spaced(s.rib)}", 8)
    pg.save()
