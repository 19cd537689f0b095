"""Issue 15 part 6 (bundle) and part 4, kept holding: a nested decimal in company.json is
stored exactly (it raised TypeError), a control character in a payee is stripped at import
(it broke the XLSX export), an amount that cannot be stored exactly is refused (it was
rounded), and a formula-like payee leaves every export neutralised while ``export`` then
``import`` gives it back exactly. Bundles are written by the test."""

from __future__ import annotations

import json
import sqlite3
import zipfile

from khazna.cli import main
from tests.bundles import COMPANY, FILES, write_bundle

FORMULA = '=HYPERLINK("http://evil.example","x")'


def _expense(payee: str, amount: str = "10.00", description: str = "x") -> str:
    quoted = '"' + payee.replace('"', '""') + '"'
    return FILES["expenses.csv"] + (
        f"E009,2026-03-02,,{quoted},fournitures,{amount},especes,,,,,no,{description}\n"
    )


def _db(tmp_path, name: str) -> str:
    return f"sqlite:///{tmp_path / name}"


def _one(url: str, sql: str):
    return sqlite3.connect(url.removeprefix("sqlite:///")).execute(sql).fetchone()


def test_a_nested_decimal_in_company_json_is_stored_exactly(tmp_path, capsys):
    company = json.loads(json.dumps(COMPANY))
    company["bank"] = {"fees": 1234.5, "tiers": [{"rate": 0.0125}]}
    root = write_bundle(tmp_path / "b", company_json=json.dumps(company))
    url = _db(tmp_path, "l.db")
    assert main(["import", str(root), "--db", url]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert main(["export", str(tmp_path / "x"), "--db", url]) == 0
    back = json.loads((tmp_path / "x" / "company.json").read_text(encoding="utf-8"))
    # exact, digit for digit (kept as text: the JSON column holds no decimal type)
    assert back["bank"] == {"fees": "1234.5", "tiers": [{"rate": "0.0125"}]}
    assert main(["import", str(tmp_path / "x"), "--db", _db(tmp_path, "again.db")]) == 0


def test_a_control_character_in_a_payee_is_stripped_and_the_xlsx_opens(tmp_path, capsys):
    url = _db(tmp_path, "l.db")
    assert main(["import", str(write_bundle(tmp_path / "b", expenses_csv=_expense("Pay\x07ee\x1b"))),
                 "--db", url]) == 0  # fmt: skip
    assert _one(url, "select payee from expenses where expense_id='E009'") == ("Payee",)
    out = tmp_path / "acc.xlsx"
    assert main(["export-accounting", "--db", url, "--from", "2026-01-01", "--to", "2026-12-31",
                 "--format", "xlsx", "--out", str(out)]) == 0  # fmt: skip
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None


def test_an_amount_that_cannot_be_stored_exactly_is_refused(tmp_path, capsys):
    root = write_bundle(tmp_path / "b", expenses_csv=_expense("P", "12345678901234567.89"))
    assert main(["import", str(root), "--db", _db(tmp_path, "l.db")]) == 2
    err = capsys.readouterr().err
    assert "expenses.csv:3: amount: plus de 15 chiffres significatifs" in err
    assert "ne peut pas être gardé exactement" in err and "Traceback" not in err


def test_formula_cells_are_neutralised_and_the_bundle_round_trips(tmp_path, capsys):
    url, again = _db(tmp_path, "l.db"), _db(tmp_path, "again.db")
    root = write_bundle(
        tmp_path / "b", expenses_csv=_expense(FORMULA, description="+cmd|' /C calc'!A0")
    )
    assert main(["import", str(root), "--db", url]) == 0
    assert main(["export", str(tmp_path / "x"), "--db", url]) == 0
    text = (tmp_path / "x" / "expenses.csv").read_text(encoding="utf-8")
    assert "\"'=HYPERLINK(" in text and ",'+cmd|" in text  # no cell starts with = + - @
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"acc.{fmt}"
        assert main(["export-accounting", "--db", url, "--from", "2026-01-01", "--to",
                     "2026-12-31", "--format", fmt, "--out", str(out)]) == 0  # fmt: skip
    with zipfile.ZipFile(tmp_path / "acc.xlsx") as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in s for s in sheets)
    assert main(["import", str(tmp_path / "x"), "--db", again]) == 0
    row = _one(again, "select payee, description from expenses where expense_id='E009'")
    assert row == (FORMULA, "+cmd|' /C calc'!A0")  # exactly what was imported
