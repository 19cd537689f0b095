"""Eight ordinary Algerian invoice layouts, each drawn from an `Invoice` with reportlab.

Each layout is how a real kind of Algerian invoice tends to look: the office template with
identifiers under the letterhead, the one that prints them in the footer, two party columns
side by side, a key/value grid, a banner with one identifier line, an info grid, a narrow
table with the VAT per line... A mention that is None is left off the page entirely
(label and value), so "absent" means the text holds nothing that could be it.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from khazna.evals.outside_invoices.model import Invoice, Party
from khazna.evals.outside_invoices.render import (
    METHODS,
    Page,
    day,
    dejavu,
    grouped,
    method_label,
    money,
    rib_spaced,
)


def _firm(p: Party, form_first: bool = True) -> str:
    if not p.legal_form:
        return p.name or ""
    return f"{p.legal_form} {p.name}" if form_first else f"{p.name} {p.legal_form}"


def _capital(p: Party, style: str = "space", wording: int = 0) -> str | None:
    if p.capital is None:
        return None
    amount = money(p.capital, style)
    return f"Capital social : {amount} DA" if wording == 0 else f"au capital de {amount} DA"


def _qty(q: Decimal, decimals: bool = False) -> str:
    return f"{q:.2f}".replace(".", ",") if decimals else f"{q:.0f}"


def _words(inv: Invoice, upper: bool = False) -> str | None:
    if inv.words is None:
        return None
    w = inv.words
    return w.upper() if upper else w[0].upper() + w[1:]


def _totals(
    inv: Invoice, labels: dict[str, str], style: str, rate_fmt: str = "{} %"
) -> list[tuple[str, str]]:
    """The totals block: (label, amount) rows; labels have keys ht, tva, timbre, ttc."""
    rows = [(labels["ht"], money(inv.total_ht, style))]
    for rate, amount in inv.tva_by_rate.items():
        rows.append((labels["tva"].format(rate_fmt.format(rate)), money(amount, style)))
    if inv.timbre is not None:
        rows.append((labels["timbre"], money(inv.timbre, style)))
    rows.append((labels["ttc"], money(inv.total_ttc, style)))
    return rows


def _draw_totals(
    pg: Page,
    x_label: float,
    x_value: float,
    y: float,
    rows: list[tuple[str, str]],
    size: float = 9,
    boxed: bool = False,
    suffix: str = "",
) -> float:
    for i, (label, value) in enumerate(rows):
        last = i == len(rows) - 1
        if boxed:
            pg.box(x_label - 4, y - 4, x_value - x_label + 8, 15)
        pg.text(x_label, y, label, size, bold=last)
        pg.text(x_value, y, value + suffix, size, bold=last, align="r")
        y -= 16 if boxed else 13
    return y


# --- L1: office template, identifiers under the letterhead, "Doit" box ---------------------
def layout_1(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    y: float = 800
    pg.text(40, y, _firm(s), 15, bold=True)
    y = pg.kv(40, y - 16, [("", _capital(s)), ("", s.address), ("Tél", s.phone)])
    ids = [("R.C N°", s.rc), ("N.I.F", s.nif), ("N.I.S", s.nis), ("A.I", s.ai)]
    pg.kv(360, 784, ids, size=8.5, sep=" : ")
    pg.hline(40, 555, 720)
    pg.text(
        297, 695, f"FACTURE N° {inv.number}" if inv.number else "FACTURE", 14, bold=True, align="c"
    )
    if inv.issue_date:
        pg.text(555, 675, f"Date : {day(inv.issue_date)}", 9, align="r")
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
        [ln.description, ln.unit, _qty(ln.quantity)]
        + ([f"{ln.rate} %"] if mixed else [])
        + [money(ln.unit_price), money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, 540, cols, rows)
    labels = {"ht": "Total HT", "tva": "TVA {}", "timbre": "Droit de timbre", "ttc": "Total TTC"}
    yy = _draw_totals(pg, 360, 555, yy - 30, _totals(inv, labels, "space"), boxed=True)
    words = _words(inv)
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
    pg.text(297, 795, _firm(s, form_first=False).upper(), 16, bold=True, align="c")
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
            _qty(ln.quantity),
            money(ln.unit_price),
            f"{ln.rate}%",
            money(ln.amount),
        ]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, 640, cols, rows, size=8, header_fill=0.75)
    labels = {"ht": "Montant H.T", "tva": "T.V.A {}", "timbre": "Timbre", "ttc": "Net à payer"}
    yy = _draw_totals(pg, 380, 555, yy - 24, _totals(inv, labels, "space"), suffix=" DA")
    words = _words(inv, upper=True)
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
        _capital(s, wording=1),
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
    pg.text(48, 732, _firm(s), 10, bold=True)
    pg.kv(
        48,
        718,
        [
            ("", s.legal_form and _capital(s, wording=1)),
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
            _qty(ln.quantity, True),
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
    yy = _draw_totals(pg, 370, 555, yy - 22, _totals(inv, labels, "space", "{}%"))
    words = _words(inv)
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
    pg.save()


# --- L4: services firm, dot-grouped amounts, "Destinataire", "Soit la somme de" ------------
def layout_4(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 805, _firm(s, form_first=False), 13, bold=True)
    pg.text(40, 791, s.address or "", 8.5)
    line = [f"RC: {s.rc}" if s.rc else None, f"NIF: {s.nif}" if s.nif else None]
    pg.text(40, 778, "   ".join(x for x in line if x), 8)
    line = [f"NIS: {s.nis}" if s.nis else None, f"AI: {s.ai}" if s.ai else None, _capital(s, "dot")]
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
            _qty(ln.quantity),
            money(ln.unit_price, "dot"),
            money(ln.amount, "dot"),
        ]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, 640, cols, rows, header_fill=0.8)
    labels = {"ht": "Montant HT", "tva": "TVA {}", "timbre": "Timbre fiscal", "ttc": "Montant TTC"}
    yy = _draw_totals(pg, 370, 555, yy - 22, _totals(inv, labels, "dot", "{}%"), boxed=True)
    words = _words(inv)
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


# --- L5: key/value grids for both parties --------------------------------------------------
def layout_5(inv: Invoice, path: Path) -> None:
    pg, s, b = Page(path), inv.seller, inv.buyer
    pg.text(40, 805, _firm(s), 14, bold=True)
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
            ("Raison sociale", _firm(s)),
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
        [ln.description, _qty(ln.quantity), money(ln.unit_price), f"{ln.rate} %", money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, yy - 16, cols, rows, size=8)
    labels = {
        "ht": "Total Hors Taxes",
        "tva": "T.V.A. {}",
        "timbre": "Droit de timbre",
        "ttc": "Total T.T.C.",
    }
    yy = _draw_totals(pg, 360, 555, yy - 18, _totals(inv, labels, "space"), size=8.5)
    words = _words(inv)
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
    pg.text(40, 810, _firm(s).upper(), 17, bold=True)
    pg.text(40, 794, " – ".join(x for x in [s.address, _capital(s, wording=1)] if x), 8.5)
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
            _qty(ln.quantity),
            money(ln.unit_price),
            f"{ln.rate} %",
            money(ln.amount),
        ]
        for i, ln in enumerate(inv.lines, 1)
    ]
    yy = pg.table(40, y - 24, cols, rows, size=8)
    labels = {"ht": "Total HT", "tva": "TVA {}", "timbre": "Droit de timbre", "ttc": "Total TTC"}
    yy = _draw_totals(pg, 380, 555, yy - 20, _totals(inv, labels, "space"), suffix=" DA")
    words = _words(inv)
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
        (_firm(s), 12, True),
        (_capital(s) or "", 8, False),
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
            _qty(ln.quantity),
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
    yy = _draw_totals(pg, 360, 555, yy - 20, _totals(inv, labels, "plain"), suffix=" DA")
    words = _words(inv)
    if words:
        yy = pg.para(40, yy - 12, f"La présente facture est arrêtée à la somme de {words}.", 300, 9)
    if s.rib:
        pg.text(40, yy - 14, f"Règlement sur le compte {s.bank} : RIB {s.rib}", 8)
    pg.save()


# --- L8: narrow columns in another order, ids under the name, "Net à payer" -----------------
def layout_8(inv: Invoice, path: Path) -> None:
    font, bold = dejavu()
    pg, s, b = Page(path, font, bold), inv.seller, inv.buyer
    pg.text(40, 805, _firm(s), 13, bold=True)
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
    cap = _capital(s, "space")
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
        [ln.description, money(ln.unit_price), _qty(ln.quantity), str(ln.rate), money(ln.amount)]
        for ln in inv.lines
    ]
    yy = pg.table(40, 620, cols, rows, size=8, header_fill=0.88)
    labels = {"ht": "Total HT", "tva": "TVA {}", "timbre": "Droit de timbre", "ttc": "Net à payer"}
    yy = _draw_totals(
        pg, 370, 555, yy - 20, _totals(inv, labels, "space"), boxed=True, suffix=" DA"
    )
    words = _words(inv)
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


LAYOUTS: dict[str, Callable[[Invoice, Path], None]] = {
    "L1": layout_1,
    "L2": layout_2,
    "L3": layout_3,
    "L4": layout_4,
    "L5": layout_5,
    "L6": layout_6,
    "L7": layout_7,
    "L8": layout_8,
}
