"""An invoice in another currency than the dinar says so: its amounts are not dinars, and
only the checks proper to the dinar are left out (issue 11)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from khazna.cli import main
from khazna.tools.invoice_check.currency import read_currency
from khazna.tools.invoice_check.files import check_file
from tests.invoice_check_pdfs import good, render

AS_OF = date(2026, 10, 20)
DINAR_ONLY = {"TVA_RATE_INVALID", "TIMBRE_MISSING", "TIMBRE_WRONG", "AMOUNT_IN_WORDS_MISSING",
              "AMOUNT_IN_WORDS_MISMATCH", "AMOUNT_IN_WORDS_UNREADABLE"}  # fmt: skip


def _abroad(**changes: object) -> dict:
    """A cash invoice at a 20 % VAT rate, without an amount in words: correct abroad,
    three dinar-only findings at home."""
    doc = good(payment_method="especes", amount_in_words=None, **changes)
    for line in doc["lines"]:
        line["tva_rate"] = "20"
    doc.update(total_tva="30000.00", total_ttc="180000.00")
    doc.update({k: v for k, v in changes.items() if k.startswith("total")})
    return doc


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        (["Total TTC : 56,02 €"], "EUR"),
        (["Montant EUR TTC", "29.99"], "EUR"),
        (["capital de 3.441.812 Euros"], "EUR"),
        (["Amount due: $1,250.00", "USD"], "USD"),
        (["Total TTC : 173 500,00 DA"], "DZD"),
        (["المبلغ 1000 دج"], "DZD"),
        (["Total : 1000 DZD", "(soit 7 €)"], "DZD"),
        (["Total : 173 500,00"], "DZD"),  # no shape at all: an Algerian invoice's bare amounts
        (["DATE : 05/10/2026", "Mode : virement"], "DZD"),  # « DATE » is not « DA »
    ],
)
def test_read_currency_by_its_shapes(lines: list[str], code: str) -> None:
    assert read_currency(lines) == code


def test_euro_invoice_skips_only_the_dinar_checks(tmp_path) -> None:
    result = check_file(render(_abroad(), tmp_path / "E.pdf", symbol="€"), AS_OF)
    assert result.currency == "EUR"
    assert result.findings == [] and result.ok
    # the same document in dinars: the three checks proper to the dinar speak
    home = check_file(render(_abroad(), tmp_path / "D.pdf"), AS_OF)
    assert home.currency == "DZD"
    assert {"TVA_RATE_INVALID", "TIMBRE_MISSING", "AMOUNT_IN_WORDS_MISSING"} <= {
        f.code for f in home.findings
    }


def test_euro_invoice_keeps_the_other_checks_in_its_currency(tmp_path) -> None:
    doc = _abroad(total_ttc="180001.00", seller__nif="123")
    result = check_file(render(doc, tmp_path / "E.pdf", symbol="€"), AS_OF)
    codes = {f.code for f in result.findings}
    assert {"TOTAL_TTC_MISMATCH", "SELLER_NIF_INVALID"} <= codes
    assert not codes & DINAR_ONLY
    ttc = next(f for f in result.findings if f.code == "TOTAL_TTC_MISMATCH")
    assert "EUR" in ttc.message and "DA" not in ttc.message


def test_cli_says_the_currency_once_and_json_adds_it(tmp_path, capsys) -> None:
    path = render(_abroad(total_ttc="180001.00"), tmp_path / "E.pdf", symbol="€")
    assert main(["check-invoice", str(path), "--as-of", "2026-10-20"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert (
        "facture en EUR : montants non convertis ; contrôles propres au dinar non appliqués"
        in lines[1]
    )
    assert out.count("facture en EUR") == 1 and " DA" not in out
    assert main(["check-invoice", str(path), "--as-of", "2026-10-20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["currency"] == "EUR"
    assert {"number", "ok", "document", "unread", "fields", "findings", "source"} <= set(data)
    home = render(good(), tmp_path / "D.pdf")
    assert main(["check-invoice", str(home), "--as-of", "2026-10-20", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["currency"] == "DZD"


def test_structured_document_says_its_currency(tmp_path) -> None:
    doc = _abroad(currency="EUR")
    path = tmp_path / "E.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = check_file(path, AS_OF)
    assert result.currency == "EUR" and not {f.code for f in result.findings} & DINAR_ONLY
    doc["currency"] = "€"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert check_file(path, AS_OF).currency == "EUR"
