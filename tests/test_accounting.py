"""The accountant's export: balanced SCF entries, 411 = invoices TTC, a returned cheque,
the account mapping override, and CSV / XLSX files that read back."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from khazna.cli import main
from khazna.demo.generator import generate
from khazna.ledger.bundle import import_bundle
from khazna.ledger.db import Ledger
from khazna.ledger.models import Invoice, Setting
from khazna.tools.accounting import AccountingError, journal, to_csv, to_xlsx
from tests.bundles import FILES, write_bundle

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
CASH_INVOICE = (
    FILES["invoices.csv"]
    + "F2026-0005,C02,2026-03-02,2026-03-02,especes,10000.00,1900.00,119.00,12019.00,issued,\n"
)
EXPENSES = FILES["expenses.csv"] + (
    "E002,2026-03-02,S01,,equipement,150000.00,virement,VE1,FA-77,,,yes,Serveur\n"
    "E003,2026-03-03,,Caisse,fournitures,3000.00,especes,,,,,yes,Café\n"
)
SUPPLIERS = "supplier_id,name,category,email,nif\nS01,InfoMatériel DZ,equipement,,\n"


@pytest.fixture
def ledger(tmp_path) -> Ledger:
    bundle = write_bundle(
        tmp_path / "b", invoices_csv=CASH_INVOICE, expenses_csv=EXPENSES, suppliers_csv=SUPPLIERS
    )
    led = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    import_bundle(led, bundle, replace=True)
    yield led
    led.dispose()


def lines(entries, account: str, journal_code: str | None = None):
    return [(e, ln) for e in entries for ln in e.lines
            if ln.account == account and (journal_code is None or e.journal == journal_code)]  # fmt: skip


def assert_balanced(entries) -> None:
    for e in entries:
        assert e.lines, e
        assert sum(ln.debit for ln in e.lines) == sum(ln.credit for ln in e.lines), e
        assert all((ln.debit > 0) != (ln.credit > 0) for ln in e.lines), e
        assert all(
            x == x.quantize(Decimal("0.01")) for ln in e.lines for x in (ln.debit, ln.credit)
        )


def test_small_bundle_journal(ledger):
    with ledger.read() as s:
        entries = journal(s, *Q1)
    assert_balanced(entries)
    by_doc = {(e.journal, e.document): e for e in entries}
    # Invoice F2026-0001: 411 TTC / 706 HT / 44571 VAT.
    e = by_doc[("VT", "F2026-0001")]
    assert {(ln.account, ln.debit, ln.credit) for ln in e.lines} == {
        ("411", Decimal("119000.00"), 0),
        ("706", 0, Decimal("100000.00")),
        ("44571", 0, Decimal("19000.00")),
    }
    # The credit note is reversed: 411 credited.
    e = by_doc[("VT", "F2026-0004")]
    assert {(ln.account, ln.debit, ln.credit) for ln in e.lines} == {
        ("411", 0, Decimal("11900.00")),
        ("706", Decimal("10000.00"), 0),
        ("44571", Decimal("1900.00"), 0),
    }
    # The cash sale's stamp duty goes to 447.
    assert [(ln.credit) for ln in by_doc[("VT", "F2026-0005")].lines if ln.account == "447"] == [
        Decimal("119.00")
    ]
    # The returned cheque P002: received on 20/02, reversed on 27/02 on the IMPAYE bank line.
    got = by_doc[("BQ", "P002")]
    assert got.date == date(2026, 2, 20)
    assert {(ln.account, ln.debit, ln.credit) for ln in got.lines} == {
        ("512", Decimal("59500.00"), 0),
        ("411", 0, Decimal("59500.00")),
    }
    back = by_doc[("BQ", "B003")]
    assert back.date == date(2026, 2, 27) and "impayé" in back.label.lower()
    assert {(ln.account, ln.debit, ln.credit) for ln in back.lines} == {
        ("411", Decimal("59500.00"), 0),
        ("512", 0, Decimal("59500.00")),
    }
    # An asset bought from a supplier: 2183 / 404 in AC, then 404 / 512 in BQ.
    assert {(ln.account, ln.debit) for ln in by_doc[("AC", "E002")].lines} == {
        ("2183", Decimal("150000.00")),
        ("404", 0),
    }
    assert {ln.account for ln in by_doc[("BQ", "E002")].lines} == {"404", "512"}
    # A cash expense goes to the cash journal; salaries to 631.
    assert {ln.account for ln in by_doc[("CA", "E003")].lines} == {"607", "53"}
    assert {ln.account for ln in by_doc[("BQ", "E001")].lines} == {"631", "512"}
    # Numbers run per journal.
    assert [e.number for e in entries if e.journal == "VT"] == [f"VT{i:06d}" for i in range(1, 6)]


def test_411_debits_equal_the_invoices_ttc_on_the_demo(tmp_path):
    generate(tmp_path / "demo", seed=7, as_of=date(2026, 11, 26))
    led = Ledger(f"sqlite:///{tmp_path / 'demo.db'}")
    import_bundle(led, tmp_path / "demo", replace=True)
    lo, hi = date(2026, 4, 1), date(2026, 9, 30)
    with led.read() as s:
        entries = journal(s, lo, hi)
        invoices = s.scalars(select(Invoice).where(Invoice.issue_date >= lo, Invoice.issue_date <= hi,
                                                   Invoice.status != "cancelled")).all()  # fmt: skip
    assert len(entries) > 300
    assert_balanced(entries)
    issued = sum(Decimal(i.total_ttc) for i in invoices if i.total_ttc > 0)
    credited = -sum(Decimal(i.total_ttc) for i in invoices if i.total_ttc < 0)
    assert sum(ln.debit for _, ln in lines(entries, "411", "VT")) == issued
    assert sum(ln.credit for _, ln in lines(entries, "411", "VT")) == credited
    assert sum(ln.credit for _, ln in lines(entries, "447", "VT")) == sum(
        Decimal(i.timbre) for i in invoices
    )
    assert all(e.date >= lo and e.date <= hi for e in entries)
    led.dispose()


def test_csv_and_xlsx_read_back(ledger, tmp_path):
    with ledger.read() as s:
        entries = journal(s, *Q1)
    raw = to_csv(entries)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == sum(len(e.lines) for e in entries)
    assert rows[0]["date"].count("/") == 2
    debit = sum(Decimal(r["debit"].replace(",", ".")) for r in rows)
    credit = sum(Decimal(r["credit"].replace(",", ".")) for r in rows)
    assert debit == credit > 0
    assert any(
        r["piece"] == "B003" and r["compte"] == "411" and r["debit"] == "59500,00" for r in rows
    )

    path = tmp_path / "j.xlsx"
    path.write_bytes(to_xlsx(entries))
    ws = load_workbook(path)["Journal"]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == [
        "journal",
        "numero",
        "date",
        "compte",
        "intitule",
        "libelle",
        "debit",
        "credit",
        "piece",
    ]
    assert len(values) - 1 == len(rows)
    assert (
        round(sum(r[6] for r in values[1:]), 2)
        == round(sum(r[7] for r in values[1:]), 2)
        == float(debit)
    )

    out = tmp_path / "cli.csv"
    assert main(["export-accounting", "--from", "2026-01-01", "--to", "2026-03-31", "--db", ledger.url,
                 "--out", str(out)]) == 0  # fmt: skip
    assert out.read_bytes() == raw


def test_the_accountant_overrides_accounts(ledger):
    with ledger.session() as s:
        s.merge(Setting(key="scf_accounts", value={"ventes": "704", "fournitures": "602"}))
    with ledger.read() as s:
        entries = journal(s, *Q1)
    assert lines(entries, "704", "VT") and not lines(entries, "706")
    assert lines(entries, "602", "CA")
    with ledger.session() as s:
        s.merge(Setting(key="scf_accounts", value={"ventes": "sales"}))
    with ledger.read() as s, pytest.raises(AccountingError, match="scf_accounts.ventes"):
        journal(s, *Q1)


def test_every_bank_line_is_in_the_journal_once(tmp_path, capsys):
    """Issue 11/13: a cash deposit was never moved from 53 to 512, bank fees were absent.
    Every bank line of the period is booked once: matched to its payment or expense, or a
    deposit 512/53, fees 627/512, an internal transfer 512/581, the rest 512/471 — so the
    512 movements equal the statement's."""
    payments = FILES["payments.csv"] + (
        "P004,2026-03-05,C02,F2026-0002,20000.00,especes,,cleared\n"
        "P005,2026-03-30,C03,F2026-0003,3000.00,cheque,CHQ 9,cleared\n"  # cashed in April
    )
    bank_lines = FILES["bank_lines.csv"] + (
        "B006,main,2026-03-06,VERSEMENT ESPECES VERS0001,20000.00,VERS0001\n"
        "B007,main,2026-03-31,FRAIS TENUE DE COMPTE,-1200.00,\n"
        "B008,main,2026-03-15,VIR RECU ETS INCONNU,7777.00,\n"
        "B009,main,2026-03-20,VIR INTERNE VERS CCP-1,-5000.00,\n"
        "B010,main,2026-04-02,FRAIS TENUE DE COMPTE,-1200.00,\n"  # after the period
        "B011,main,2026-04-03,REMISE CHQ 9,3000.00,CHQ 9\n"
    )
    bundle = write_bundle(tmp_path / "b", payments_csv=payments, bank_lines_csv=bank_lines)
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    led = Ledger(url)
    import_bundle(led, bundle, replace=True)
    with led.read() as s:
        entries = journal(s, *Q1)
    assert_balanced(entries)
    statement = sum(
        Decimal(r["amount"])
        for r in csv.DictReader(io.StringIO(bank_lines))
        if r["date"] < "2026-04"
    )
    on_512 = sum(ln.debit - ln.credit for _e, ln in lines(entries, "512"))
    assert on_512 == statement + Decimal("3000.00")  # P005 booked in March, on the bank in April
    by_doc = {e.document: e for e in entries if e.journal == "BQ"}
    pairs = lambda doc: {(ln.account, ln.debit, ln.credit) for ln in by_doc[doc].lines}  # noqa: E731
    assert pairs("B006") == {("512", Decimal("20000.00"), 0), ("53", 0, Decimal("20000.00"))}
    assert pairs("B007") == {("627", Decimal("1200.00"), 0), ("512", 0, Decimal("1200.00"))}
    assert pairs("B008") == {("512", Decimal("7777.00"), 0), ("471", 0, Decimal("7777.00"))}
    assert pairs("B009") == {("581", Decimal("5000.00"), 0), ("512", 0, Decimal("5000.00"))}
    assert "VIR RECU ETS INCONNU" in by_doc["B008"].label
    # the matched ones (B001…B005) are their payment, expense and cheque return, not again
    assert not {"B001", "B002", "B004", "B005", "B010"} & set(by_doc)
    assert sum(ln.credit for _e, ln in lines(entries, "53")) == Decimal("20000.00")
    out = tmp_path / "j.csv"
    args = ["export-accounting", "--from", "2026-01-01", "--to", "2026-03-31", "--db", url]
    assert main([*args, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "1 versement d'espèces (512/53)" in text and "1 frais bancaire (627)" in text
    assert "B008" in text and "VIR RECU ETS INCONNU" in text
    assert "1 règlement ou dépense de la période sans ligne de relevé" in text
    assert main([*args, "--out", str(out), "--json"]) == 0
    bank = json.loads(capsys.readouterr().out)["bank"]
    assert [x["line_id"] for x in bank["suspense"]] == ["B008"] and bank["lines"] == 9
    assert Decimal(str(bank["booked_without_bank_line_total"])) == Decimal("3000.00")
    # the April export: B011 is P005 (booked in March), so not booked again
    with led.read() as s:
        april = journal(s, date(2026, 4, 1), date(2026, 4, 30))
    assert "B011" not in {e.document for e in april}
    led.dispose()
