"""Seeded spending anomalies (the kinds of ``khazna anomalies``) and honest look-alikes.

Each seeded case is recorded in the truth with the rows it rests on; the look-alikes are
recorded too, so an evaluation can count false alarms as well as misses.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from khazna.demo.book import Book
from khazna.demo.spending import Payer


def _ago(book: Book, days: int) -> date:
    return book.working_on_or_after(max(book.start, book.as_of - timedelta(days=days)))


def _month_start(d: date) -> date:
    return d.replace(day=1)


def seed_anomalies(book: Book) -> None:
    pay = Payer(book)
    pay.invoice_seq.update({"S08": 90, "S07": 90, "S09": 90, "S12": 90})  # no clash with history
    add, alike = book.anomalies.append, book.lookalikes.append

    # duplicate_payment: one supplier invoice paid twice, nine days apart
    d = _ago(book, 75)
    inv = f"FA08-{d.year}-0311"
    a = pay.supplier(d, "S08", Decimal("348500"), "Serveur rack et onduleur", sup_inv=inv)
    b = pay.supplier(book.cal.add_working_days(d, 7), "S08", Decimal("348500"),
                     "Serveur rack et onduleur (règlement)", sup_inv=inv)  # fmt: skip
    add({"kind": "duplicate_payment", "refs": [a, b], "amount": Decimal("348500"),
         "reason": f"supplier invoice {inv} paid twice"})  # fmt: skip
    # duplicate_payment: same payee, same amount, three days apart, no invoice on the second
    d = _ago(book, 40)
    a = pay.supplier(d, "S07", Decimal("265000"), "Sous-traitance développement (lot mensuel)")
    b = pay.supplier(book.cal.add_working_days(d, 3), "S07", Decimal("265000"),
                     "Sous-traitance développement", sup_inv=None)  # fmt: skip
    add({"kind": "duplicate_payment", "refs": [a, b], "amount": Decimal("265000"),
         "reason": "same payee, same amount, three working days apart, second without invoice"})  # fmt: skip
    # look-alike: two genuine equal orders two days apart, two different supplier invoices
    d = _ago(book, 50)
    a = pay.supplier(d, "S09", Decimal("18400"), "Toners imprimantes (commande 1123)",
                     sup_inv=f"FA09-{d.year}-1123")  # fmt: skip
    b = pay.supplier(book.cal.add_working_days(d, 2), "S09", Decimal("18400"),
                     "Ramettes papier A4 (commande 1131)", sup_inv=f"FA09-{d.year}-1131")  # fmt: skip
    alike({"looks_like": "duplicate_payment", "refs": [a, b],
           "why": "two different supplier invoices (two orders) of the same amount"})  # fmt: skip
    ins = [e for e in book.expenses if e["supplier_id"] == "S11"]
    if ins:
        alike({"looks_like": "amount_outlier", "refs": ins[-1:],
               "why": "the planned annual insurance premium (commitment CM-ASSUR)"})  # fmt: skip

    # over_limit: per-transaction caps (restaurant 15 000, carburant 20 000)
    r = pay.card(_ago(book, 30), "RESTAURANT EL DJENINA", "restaurant", Decimal("22800"),
                 "Restaurant El Djenina", receipt="yes")  # fmt: skip
    add({"kind": "over_limit", "refs": [r], "amount": Decimal("22800"),
         "reason": "restaurant above 15 000 DA per transaction"})  # fmt: skip
    c = pay.card(_ago(book, 55), "NAFTAL STATION BLIDA", "carburant", Decimal("26500"),
                 "Naftal station Blida", receipt="yes")  # fmt: skip
    add({"kind": "over_limit", "refs": [c], "amount": Decimal("26500"),
         "reason": "carburant above 20 000 DA per transaction"})  # fmt: skip
    # over_limit: the monthly deplacements cap (200 000), blown by one long mission
    m = _month_start(book.as_of - timedelta(days=70))
    trip = [
        pay.employee(
            m.replace(day=6),
            "K. Benali",
            Decimal("78000"),
            "Mission Hassi Messaoud : billets d'avion",
        ),
        pay.employee(
            m.replace(day=13), "K. Benali", Decimal("64500"), "Mission Hassi Messaoud : hébergement"
        ),
        pay.employee(
            m.replace(day=20),
            "K. Benali",
            Decimal("71200"),
            "Mission Hassi Messaoud : véhicule et frais",
        ),
    ]
    month_rows = [e for e in book.expenses if e["category"] == "deplacements"
                  and _month_start(e["date"]) == m]  # fmt: skip
    total = sum((e["amount"] for e in month_rows), Decimal(0))
    add({"kind": "over_limit", "refs": month_rows, "amount": total,
         "reason": f"deplacements {m:%m/%Y} total above 200 000 DA", "core_refs": trip})  # fmt: skip
    # category_not_allowed: the card used for equipment
    e = pay.card(_ago(book, 20), "JUMIA DZ", "equipement", Decimal("38900"),
                 "Jumia DZ (disques durs externes)", receipt="yes")  # fmt: skip
    add({"kind": "category_not_allowed", "refs": [e], "amount": Decimal("38900"),
         "reason": "CARD-01 used for equipement"})  # fmt: skip
    # missing_receipt: above 5 000 DA with no document on file
    e1 = pay.card(_ago(book, 25), "RESTAURANT LE TASSILI", "restaurant", Decimal("9800"),
                  "Restaurant Le Tassili", receipt="no")  # fmt: skip
    e2 = pay.supplier(_ago(book, 45), "S16", Decimal("95000"), "Campagne d'affichage", receipt="no")
    for x in (e1, e2):
        # the books start months before these dates, so both payments were written
        assert x is not None, "a missing_receipt case falls inside the books"
        add({"kind": "missing_receipt", "refs": [x], "amount": x["amount"],
             "reason": "no receipt above 5 000 DA"})  # fmt: skip
    # amount_outlier: a payee that usually costs ~25 000 DA
    o = pay.supplier(
        _ago(book, 65), "S12", Decimal("310000"), "Remplacement compresseur climatisation"
    )
    add({"kind": "amount_outlier", "refs": [o], "amount": Decimal("310000"),
         "reason": "Clim Service usually costs 18 000-32 000 DA"})  # fmt: skip
    # unknown_payee: a debit on the statement with no supplier and no expense
    u = book.bank_add(_ago(book, 33), "VIR EMIS SARL NOUR IMPEX", Decimal("-420000.00"), "autre",
                      "VE-UNKNOWN-01")  # fmt: skip
    add({"kind": "unknown_payee", "refs": [u], "amount": Decimal("420000"),
         "reason": "bank debit with no supplier and no expense"})  # fmt: skip
