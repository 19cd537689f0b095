"""Bank-line categorisation and matching on small hand-built ledgers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from khazna.ledger.db import Ledger
from khazna.ledger.models import (
    BankLine,
    Client,
    Commitment,
    Company,
    Expense,
    Invoice,
    Payment,
    Supplier,
)
from khazna.tools.bank_rules import CATEGORIES, PayeeIndex, classify_label
from khazna.tools.categorize import CategorizeInput, categorize, categorize_lines

D = Decimal


def _ledger(url: str, *rows) -> Ledger:
    ledger = Ledger(url)
    with ledger.session() as s:
        s.add(
            Company(
                name="Atlas Services", opening_balance=D("1000000"), opening_date=date(2025, 1, 1)
            )
        )
        s.flush()
        for group in rows:
            s.add_all(group)
            s.flush()
    return ledger


def _bank(*lines) -> list[BankLine]:
    return [
        BankLine(line_id=lid, date=date.fromisoformat(d), label=label, amount=D(a), reference=ref)
        for lid, d, label, a, *rest in lines
        for ref in [rest[0] if rest else ""]
    ]


def _by_id(ledger: Ledger, **kw) -> dict:
    with ledger.read() as s:
        out = categorize(s, CategorizeInput(**kw))
    return {x.line_id: x for x in out.lines}


@pytest.mark.parametrize(
    ("label", "amount", "category"),
    [
        ("VIR RECU SONATRACH FACT F2025-118", 1, "encaissement_client"),
        ("REMISE CHQ 0045123", 1, "encaissement_client"),
        ("IMPAYE CHQ 0045123", -1, "encaissement_client"),
        ("PRLV SONELGAZ", -1, "energie"),
        ("PRLV ALGERIE TELECOM", -1, "telecom"),
        ("PRLV DJEZZY 0661", -1, "telecom"),
        ("PRLV MOBILIS", -1, "telecom"),
        ("PRLV OOREDOO", -1, "telecom"),
        ("RETRAIT DAB 0045", -1, "virement_interne"),
        ("FRAIS TENUE DE COMPTE", -1, "frais_bancaires"),
        ("COMMISSION VIR 10/2026", -1, "frais_bancaires"),
        ("AGIOS 3E TRIM", -1, "frais_bancaires"),
        ("FRAIS IMPAYE CHQ 0045123", -1, "frais_bancaires"),
        ("VIR SALAIRES 10/2026", -1, "salaires"),
        ("VIR CNAS COTIS 09/2026", -1, "cotisations_sociales"),
        ("PRLV CASNOS", -1, "cotisations_sociales"),
        ("G50 DGI 09/2026 RECETTE IMPOTS", -1, "impots_taxes"),
        ("VIR EMIS IMPOTS", -1, "impots_taxes"),
        ("VIR EMIS SCI DAR EL BARAKA LOYER T4 2026", -1, "loyer"),
        ("PAIEMENT CB NAFTAL STATION BLIDA 12/10", -1, "carburant"),
        ("ACHAT CARBURANT", -1, "carburant"),
        ("ECHEANCE PRET CPA 10/2026", -1, "remboursement_emprunt"),
        ("PAIEMENT CB RESTAURANT EL DJENINA 12/10", -1, "restaurant"),
        ("PAIEMENT CB HOTEL SHERATON ORAN", -1, "deplacements"),
        ("Paiement CB Hôtel Sheraton", -1, "deplacements"),
    ],
)
def test_keyword_rules(label: str, amount: int, category: str) -> None:
    hit = classify_label(label, amount)
    assert hit is not None and hit.category == category


def test_generic_operations_have_no_category_from_wording() -> None:
    for label in (
        "VIR EMIS SARL X",
        "CHQ 0045123",
        "PAIEMENT CB SOMEWHERE 12/10",
        "PRLV ABONNEMENT 778",
    ):
        hit = classify_label(label, -1)
        assert hit is not None and hit.category is None, label
    # a credit is never read as a transfer out, nor a debit as a receipt
    assert classify_label("VIR RECU SARL X", -1) is None
    assert classify_label("CADEAU", 1) is None


def test_keyword_rules_on_the_ledger_and_fallbacks(db_url: str) -> None:
    ledger = _ledger(db_url, _bank(
        ("B1", "2025-03-03", "PRLV SONELGAZ", "-23000.50"),
        ("B2", "2025-03-04", "RETRAIT DAB", "-30000"),
        ("B3", "2025-03-05", "VIR EMIS INCONNU", "-9999"),
        ("B4", "2025-03-06", "CREDIT DIVERS", "500"),
    ))  # fmt: skip
    lines = _by_id(ledger)
    assert (lines["B1"].category, lines["B1"].source, lines["B1"].matched) == (
        "energie",
        "keyword",
        None,
    )
    assert lines["B2"].category == "virement_interne"
    assert (lines["B3"].category, lines["B3"].source) == ("autre", "fallback")
    assert lines["B3"].confidence < lines["B1"].confidence
    assert (lines["B4"].category, lines["B4"].source) == ("encaissement_client", "fallback")
    for x in lines.values():
        assert x.category in CATEGORIES and 0 <= x.confidence <= 1


def test_learned_payee_rules(db_url: str) -> None:
    index = PayeeIndex()
    index.learn("SARL Batimetal", "achats_marchandises")
    index.learn("Imprimerie El Feth", "publicite")
    index.learn("ALGER", "autre")  # too common a word to be looked for
    assert index.find("VIR EMIS BATIMETAL SARL 778") == ("BATIMETAL", "achats_marchandises")
    assert index.find("PAIEMENT CB IMPRIMERIE EL FETH 03/10") == ("IMPRIMERIE EL FETH", "publicite")
    assert index.find("VIR EMIS ALGER CENTRE") is None

    ledger = _ledger(
        db_url,
        [Supplier(supplier_id="S1", name="SARL Batimetal", category="achats_marchandises")],
        [
            Expense(
                expense_id="E1",
                date=date(2025, 1, 10),
                payee="Imprimerie El Feth",
                category="publicite",
                amount=D("12000"),
                method="carte",
            )
        ],  # fmt: skip
        _bank(
            ("B1", "2025-03-27", "VIR EMIS BATIMETAL", "-7000"),  # no expense of that amount
            ("B2", "2025-03-28", "PAIEMENT CB IMPRIMERIE EL FETH 28/03", "-4500"),
        ),
    )
    lines = _by_id(ledger)
    assert (lines["B1"].category, lines["B1"].source, lines["B1"].matched) == (
        "achats_marchandises",
        "payee",
        None,
    )
    assert (lines["B2"].category, lines["B2"].source) == ("publicite", "payee")


def _sales(extra_payments=()) -> list:
    return [
        [Client(client_id="C1", name="SONATRACH SPA", kind="grand_compte"),
         Client(client_id="C2", name="SARL Benali Froid", kind="pme")],
        [Invoice(number=n, client_id=c, issue_date=date(2025, 2, 1), due_date=date(2025, 3, 3),
                 total_ht=D("1"), total_tva=D("0"), total_ttc=t)
         for n, c, t in (("F2025-118", "C1", D("100000")), ("F2025-119", "C2", D("100000")),
                         ("F2025-120", "C2", D("5000")))],
        [Payment(payment_id="P1", date=date(2025, 3, 3), client_id="C1", invoice_number="F2025-118",
                 amount=D("100000"), reference="VR-1"),
         Payment(payment_id="P2", date=date(2025, 3, 5), client_id="C2", invoice_number="F2025-119",
                 amount=D("100000"), reference="VR-2"), *extra_payments],
    ]  # fmt: skip


def test_credit_line_matched_to_its_payment_by_label(db_url: str) -> None:
    # two payments of the same amount within the window: the label names the invoice of P1,
    # although P2 is closer in date
    ledger = _ledger(
        db_url,
        *_sales(),
        _bank(("B1", "2025-03-05", "VIR RECU SONATRACH FACT F2025-118", "100000")),
    )
    line = _by_id(ledger)["B1"]
    assert (line.category, line.match_kind, line.matched) == (
        "encaissement_client",
        "payment",
        "F2025-118",
    )
    assert line.match_refs == ["P1", "F2025-118"]
    assert line.confidence >= 0.95


def test_each_payment_settles_one_line(db_url: str) -> None:
    ledger = _ledger(db_url, *_sales(), _bank(
        ("B1", "2025-03-04", "VIR RECU SONATRACH", "100000"),
        ("B2", "2025-03-06", "VIR RECU BENALI FROID", "100000"),
        ("B3", "2025-03-07", "VIR RECU X", "100000"),  # a third equal credit: nothing left to match
        ("B4", "2025-04-20", "VIR RECU SONATRACH", "100000"),  # outside the date window
    ))  # fmt: skip
    lines = _by_id(ledger)
    assert lines["B1"].match_refs[0] == "P1" and lines["B2"].match_refs[0] == "P2"
    assert lines["B3"].matched is None and lines["B4"].matched is None


def test_credit_naming_a_known_invoice_without_payment(db_url: str) -> None:
    ledger = _ledger(db_url, *_sales(), _bank(("B1", "2025-03-28", "VIR RECU X FACT F2025-120", "5000"),
                                                  ("B2", "2025-03-28", "VIR RECU X FACT F2099-999", "5000")))  # fmt: skip
    lines = _by_id(ledger)
    assert (lines["B1"].match_kind, lines["B1"].matched) == ("invoice", "F2025-120")
    assert lines["B2"].matched is None


def test_returned_cheque_matched_to_the_rejected_payment(db_url: str) -> None:
    rejected = Payment(payment_id="P3", date=date(2025, 3, 10), client_id="C2", invoice_number="F2025-120",
                       amount=D("5000"), method="cheque", reference="0045123", status="rejected")  # fmt: skip
    ledger = _ledger(db_url, *_sales([rejected]), _bank(
        ("B1", "2025-03-12", "REMISE CHQ 0045123", "5000", "0045123"),
        ("B2", "2025-03-25", "IMPAYE CHQ 0045123", "-5000", "0045123"),
    ))  # fmt: skip
    lines = _by_id(ledger)
    assert (lines["B1"].match_kind, lines["B1"].match_refs) == ("payment", ["P3", "F2025-120"])
    assert (lines["B2"].category, lines["B2"].match_kind) == ("encaissement_client", "payment")
    assert lines["B2"].match_refs == ["P3", "F2025-120"]


def test_cash_deposit_matched_to_the_cash_payments_it_sums(db_url: str) -> None:
    cash = [Payment(payment_id=f"P{k}", date=date(2025, 3, d), client_id="C2", invoice_number=n,
                    amount=D(a), method="especes") for k, d, n, a in
            ((10, 2, "F2025-119", "1500.50"), (11, 4, "F2025-120", "2000"), (12, 20, "", "700"))]  # fmt: skip
    ledger = _ledger(
        db_url, *_sales(cash), _bank(("B1", "2025-03-09", "VERSEMENT ESPECES", "3500.50"))
    )
    line = _by_id(ledger)["B1"]
    assert line.match_kind == "payment"
    assert line.match_refs == ["P10", "P11", "F2025-119", "F2025-120"]


def test_debit_matched_to_its_expense(db_url: str) -> None:
    ledger = _ledger(
        db_url,
        [Supplier(supplier_id="S1", name="SARL Batimetal", category="achats_marchandises")],
        [
            Expense(
                expense_id="E1",
                date=date(2025, 3, 10),
                supplier_id="S1",
                payee="SARL Batimetal",
                category="equipement",
                amount=D("45000"),
                reference="OV778",
            ),
            Expense(
                expense_id="E2",
                date=date(2025, 3, 11),
                payee="Caisse",
                category="fournitures",
                amount=D("3000"),
                method="especes",
            ),
        ],  # fmt: skip
        _bank(
            ("B1", "2025-03-12", "VIR EMIS BATIMETAL", "-45000", "OV778"),
            ("B2", "2025-03-12", "CHQ 0000042", "-3000"),  # a cash expense never reaches the bank
        ),
    )
    lines = _by_id(ledger)
    # the expense's own category wins over the supplier's usual one
    assert (lines["B1"].category, lines["B1"].match_kind, lines["B1"].matched) == (
        "equipement",
        "expense",
        "E1",
    )
    assert lines["B1"].confidence >= 0.95
    assert lines["B2"].matched is None


def test_expense_not_matched_against_contradicting_wording(db_url: str) -> None:
    # same amount and day, but the line says SONELGAZ and the expense is a restaurant bill
    ledger = _ledger(
        db_url,
        [
            Expense(
                expense_id="E1",
                date=date(2025, 3, 10),
                payee="Le Tassili",
                category="restaurant",
                amount=D("9800"),
                method="carte",
            )
        ],  # fmt: skip
        _bank(("B1", "2025-03-11", "PRLV SONELGAZ", "-9800")),
    )
    line = _by_id(ledger)["B1"]
    assert (line.category, line.matched) == ("energie", None)


def test_debit_matched_to_a_commitment(db_url: str) -> None:
    ledger = _ledger(
        db_url,
        [
            Commitment(
                commitment_id="CM-SAL",
                label="Salaires",
                category="salaires",
                amount=D("1200000"),
                day_of_month=25,
                every_months=1,
                start=date(2025, 1, 1),
            ),
            Commitment(
                commitment_id="CM-LOYER",
                label="Loyer",
                category="loyer",
                amount=D("450000"),
                day_of_month=5,
                every_months=3,
                start=date(2025, 1, 1),
            ),
        ],  # fmt: skip
        _bank(
            ("B1", "2025-03-24", "VIR SALAIRES 03/2025", "-1230000"),
            ("B2", "2025-04-06", "VIR EMIS SCI EL BINA", "-450000"),
            (
                "B3",
                "2025-05-06",
                "VIR EMIS SCI EL BINA",
                "-450000",
            ),  # not a rent month (every 3 months)
        ),
    )
    lines = _by_id(ledger)
    assert (lines["B1"].match_kind, lines["B1"].matched, lines["B1"].category) == (
        "commitment",
        "CM-SAL",
        "salaires",
    )
    assert (lines["B2"].matched, lines["B2"].category) == ("CM-LOYER", "loyer")
    assert lines["B3"].matched is None


def test_history_learns_a_label_stem(db_url: str) -> None:
    ledger = _ledger(
        db_url,
        [
            Expense(
                expense_id="E1",
                date=date(2025, 1, 10),
                payee="Société Algérienne d'Assurance",
                category="assurance",
                amount=D("30000"),
                reference="A1",
            )
        ],  # fmt: skip
        _bank(
            ("B1", "2025-01-10", "PRLV POLICE 7781 JANV", "-30000", "A1"),
            ("B2", "2025-02-10", "PRLV POLICE 7781 FEVR", "-31000"),
        ),  # fmt: skip
    )
    lines = _by_id(ledger)
    assert lines["B1"].matched == "E1"
    assert (lines["B2"].category, lines["B2"].source) == ("assurance", "history")


def test_period_limit_and_totals(db_url: str) -> None:
    ledger = _ledger(db_url, _bank(
        ("B1", "2025-03-01", "PRLV SONELGAZ", "-100.10"),
        ("B2", "2025-03-02", "PRLV SONELGAZ", "-200.20"),
        ("B3", "2025-04-01", "FRAIS TENUE DE COMPTE", "-1200"),
    ))  # fmt: skip
    with ledger.read() as s:
        out = categorize(s, CategorizeInput(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)))
        assert [x.line_id for x in out.lines] == ["B1", "B2"]
        assert [(t.category, t.lines, t.amount) for t in out.by_category] == [
            ("energie", 2, D("-300.30"))
        ]
        last = categorize(s, CategorizeInput(limit=1))
        assert ([x.line_id for x in last.lines], last.total_lines, last.truncated) == (
            ["B3"],
            3,
            True,
        )
        assert len(categorize_lines(s, debits_only=True)) == 3


def test_cli_categorize_json(db_url: str, capsys) -> None:
    from khazna.cli import main

    _ledger(db_url, *_sales(), _bank(("B1", "2025-03-05", "VIR RECU SONATRACH FACT F2025-118", "100000"),
                                         ("B2", "2025-03-06", "PRLV SONELGAZ", "-23000.50")))  # fmt: skip
    assert main(["categorize", "--db", db_url, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["line_id"]: r for r in doc["lines"]}
    assert rows["B1"]["matched"] == "F2025-118" and rows["B1"]["category"] == "encaissement_client"
    assert rows["B2"] == {**rows["B2"], "amount": -23000.5, "category": "energie", "matched": None}
    assert 0 <= rows["B2"]["confidence"] <= 1 and doc["total_lines"] == 2
    assert main(["categorize", "--db", db_url, "--from", "2025-04-01", "--to", "2025-03-01"]) == 1
    assert "est après" in capsys.readouterr().err


def test_cli_categorize_json_bytes_are_orjson_rows(db_url: str, capsys, monkeypatch) -> None:
    """The streamed document is, byte for byte, each row's ``orjson.dumps`` (the encoder
    that wrote it before the rows were put together by column), whatever the labels hold:
    quotes, backslashes, control characters, non-ASCII; across chunk boundaries."""
    import orjson

    from khazna.cli import main
    from khazna.commands import analysis_cmds

    monkeypatch.setattr(analysis_cmds, "JSON_CHUNK", 3)
    odd = ['VIR "SPECIAL"', "PRLV C:\\DZ", "FRAIS\tTAB", "تحويل FACT F2025-118", "DEL\x7f", "PLAIN"]
    lines = [
        (
            f"B{k}",
            f"2025-03-0{1 + k % 9}",
            odd[k % len(odd)],
            f"{'-' if k % 2 else ''}{100 + k}.{k % 3}0",
        )
        for k in range(14)
    ]
    _ledger(db_url, *_sales(), _bank(*lines, ("B99", "2025-03-05", "VIR RECU SONATRACH FACT F2025-118", "100000")))  # fmt: skip
    assert main(["categorize", "--db", db_url, "--json"]) == 0
    out = capsys.readouterr().out
    doc = json.loads(out)
    assert len(doc["lines"]) == 15 and any(r["match_refs"] for r in doc["lines"])
    rows = ",\n    ".join(orjson.dumps(r).decode() for r in doc["lines"])
    assert out.endswith('"lines": [\n    ' + rows + "\n  ]\n}\n")
    assert {r["label"] for r in doc["lines"]} >= set(odd)


def test_cli_categorize_text_is_a_summary_with_a_csv_of_every_line(
    db_url: str, capsys, tmp_path
) -> None:
    import csv as _csv

    from khazna.cli import main

    lines = [
        (f"B{k:02d}", "2025-03-05", f"PRLV SONELGAZ {k}", f"-{1000 + k}.50") for k in range(15)
    ]
    _ledger(
        db_url,
        *_sales(),
        _bank(("M1", "2025-03-05", "VIR RECU SONATRACH FACT F2025-118", "100000"), *lines),
    )
    target = tmp_path / "all.csv"
    assert main(["categorize", "--db", db_url, "--csv", str(target)]) == 0
    out = capsys.readouterr().out
    assert "16 lignes, 1 rapprochée" in out and "énergie" in out and "energie " not in out
    assert "Les 10 plus gros mouvements non rapprochés" in out
    shown = [x for x in out.splitlines() if "PRLV SONELGAZ" in x]
    assert len(shown) == 10 and "PRLV SONELGAZ 14" in shown[0]  # largest first, not all 15
    assert f"Toutes les lignes : {target}" in out
    with target.open(encoding="utf-8") as f:
        rows = list(_csv.DictReader(f))
    assert len(rows) == 16 and {r["line_id"] for r in rows} == {"M1"} | {x[0] for x in lines}
    b14 = next(r for r in rows if r["line_id"] == "B14")
    assert b14["amount"] == "-1014.50" and b14["category"] == "energie"
    assert next(r for r in rows if r["line_id"] == "M1")["matched"] == "F2025-118"
    # --all lists every line, and writes no CSV
    target.unlink()
    assert main(["categorize", "--db", db_url, "--all", "--csv", str(target)]) == 0
    out = capsys.readouterr().out
    assert len([x for x in out.splitlines() if "PRLV SONELGAZ" in x]) == 15 and not target.exists()
    # the period applies to the summary and the CSV
    assert main(["categorize", "--db", db_url, "--from", "2025-04-01", "--csv", str(target)]) == 0
    assert "0 ligne" in capsys.readouterr().out


def test_bank_columns_kept_per_ledger_state(db_url: str) -> None:
    """The bank lines' columns are read once per ledger state and kept (result_cache): a
    second categorisation reads them back equal, a period and the debits are taken from
    them as the SQL would, and a new line makes a new state."""
    from sqlalchemy import text

    from khazna.tools.categorize import BANK_COLUMNS

    lines = [("B1", "2025-03-05", 'VIR "X" FACT F2025-118', "100000"),
             ("B2", "2025-03-06", "PRLV SONELGAZ", "-23000.50"),
             ("B3", "2025-04-02", "FRAIS TENUE DE COMPTE", "-1200")]  # fmt: skip
    ledger = _ledger(db_url, *_sales(), _bank(*lines))

    def columns(**kw) -> tuple:
        with ledger.read() as s:
            c = categorize_lines(s, **kw)
            kept = s.execute(
                text("SELECT COUNT(*) FROM result_cache WHERE what = :w"), {"w": BANK_COLUMNS}
            ).scalar()
        return kept, c.line_id, c.label, c.day.tolist(), c.cents.tolist(), c.category.tolist()

    first = columns()
    assert (
        first[0] == 1 and first[1] == ["B1", "B2", "B3"] and first[2][0] == 'VIR "X" FACT F2025-118'
    )
    assert columns() == first
    assert columns(date_to=date(2025, 3, 31))[1] == ["B1", "B2"]
    assert columns(date_from=date(2025, 3, 6), debits_only=True)[1] == ["B2", "B3"]
    with ledger.session() as s:
        s.add_all(_bank(("B0", "2025-03-01", "PRLV DJEZZY", "-3000")))
    assert columns()[1] == ["B0", "B1", "B2", "B3"]
