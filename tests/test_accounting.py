"""The accountant's export: balanced SCF entries, 411 = invoices TTC, a returned cheque,
the account mapping override, and CSV / XLSX files that read back."""

from __future__ import annotations

import csv
import io
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
