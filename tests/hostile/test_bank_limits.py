"""Issue 15, bank import: XLSX bombs (size and ratio), >15-digit amounts, years outside
1990-2100 and impossible times are refused as ``file:line: column: message``; nothing stored."""

from __future__ import annotations

import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from khazna.ledger import bank_read
from khazna.ledger.bank_import import BankImportError, import_bank_statement
from khazna.ledger.bank_mappings import BUILTIN_MAPPINGS
from khazna.ledger.db import Ledger
from khazna.ledger.models import BankLine, Company


@pytest.fixture
def ledger(db_url):
    led = Ledger(db_url)
    with led.session() as s:
        s.add(Company(name="T", opening_balance=Decimal("0"), opening_date=date(2026, 1, 1)))
    yield led
    led.dispose()


def _refused(led, path) -> str:
    with pytest.raises(BankImportError) as err:
        import_bank_statement(led.engine, path, list(BUILTIN_MAPPINGS), account="main")
    with led.read() as s:
        assert s.scalar(select(func.count()).select_from(BankLine)) == 0
    return str(err.value)


def _bomb(tmp_path, blank_mib: int):
    wb = Workbook()
    wb.active.append(["Date", "Libellé", "Débit", "Crédit"])
    wb.active.append(["01/04/2026", "OK", 10, None])
    ok = tmp_path / "ok.xlsx"
    wb.save(ok)
    out = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(ok) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            data = src.read(i)
            if i.filename != "xl/worksheets/sheet1.xml":
                z.writestr(i, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with z.open(i.filename, "w", force_zip64=True) as f:
                f.write(head)
                for _ in range(blank_mib):
                    f.write(b" " * (1 << 20))
                f.write(b"</sheetData>" + tail)
    return out


def test_xlsx_padded_past_the_ratio_is_refused_before_reading(ledger, tmp_path):
    msg = _refused(ledger, _bomb(tmp_path, 40))
    assert (
        "bomb.xlsx:-: -: xl/worksheets/sheet1.xml décompressé" in msg
        and "bombe de décompression" in msg
    )


def test_xlsx_past_the_size_bound_is_refused(ledger, tmp_path, monkeypatch):
    monkeypatch.setattr(bank_read, "MAX_XLSX_UNPACKED", 1 << 20)
    monkeypatch.setattr(bank_read, "RATIO_FROM", 1 << 30)
    msg = _refused(ledger, _bomb(tmp_path, 2))
    assert "bomb.xlsx:-: -: le classeur décompressé fait 2 Mio, plus que les 1 Mio" in msg


def test_digits_years_and_times(ledger, tmp_path):
    f = tmp_path / "big.csv"
    f.write_text(
        "Date;Libellé;Débit;Crédit\n01/04/2026;X;12345678901234567890123;\n"
        "01/01/0001;Y;1;\n01/12/2026 25:99;Z;2;\n01/04/2101;W;3;\n",
        encoding="utf-8",
    )
    msg = _refused(ledger, f)
    assert "big.csv:2: Débit: '12345678901234567890123' a plus de 15 chiffres significatifs" in msg
    assert "big.csv:3: Date: '01/01/0001': l'année 1 est hors de 1990–2100" in msg
    assert "big.csv:4: Date: '01/12/2026 25:99': 25:99 n'est pas une heure" in msg
    assert "big.csv:5: Date: '01/04/2101': l'année 2101 est hors de 1990–2100" in msg
