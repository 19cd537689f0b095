"""Money formatting/parsing, amounts in words, the Algerian working calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from khazna.calendar_dz import WorkingCalendar
from khazna.money import MoneyError, format_dzd, parse_amount, parse_plain, to_json_number
from khazna.words import amount_in_words


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1234567.89", "1\u202f234\u202f567,89 DA"),
        ("0", "0,00 DA"),
        ("-1500.5", "-1\u202f500,50 DA"),
        ("999.995", "1\u202f000,00 DA"),  # half up
    ],
)
def test_format_dzd(value, text):
    assert format_dzd(Decimal(value)) == text


def test_format_refuses_floats():
    with pytest.raises(TypeError):
        format_dzd(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1 234,50", "1234.50"),
        ("1\u202f234\u00a0567,89 DA", "1234567.89"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("-1234.5", "-1234.5"),
        ("(250,00)", "-250.00"),
        ("250,00-", "-250.00"),
        ("1.234.567", "1234567"),
        ("12", "12"),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3.4.5", "12..5"])
def test_parse_amount_rejects(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_parse_plain_is_strict():
    assert parse_plain("1234567.89") == Decimal("1234567.89")
    for bad in ("1 234.00", "1234,50", "12.345", "1e5"):
        with pytest.raises(MoneyError):
            parse_plain(bad)


def test_json_numbers_have_two_decimals_at_most():
    assert to_json_number(Decimal("10.005")) == 10.01
    assert to_json_number(Decimal("10.00")) == 10
    assert isinstance(to_json_number(Decimal("10.00")), int)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            "1234567.89",
            "un million deux cent trente-quatre mille cinq cent soixante-sept dinars algériens "
            "et quatre-vingt-neuf centimes",
        ),
        ("80", "quatre-vingts dinars algériens"),
        ("80000", "quatre-vingt mille dinars algériens"),
        ("200", "deux cents dinars algériens"),
        ("201", "deux cent un dinars algériens"),
        ("71", "soixante et onze dinars algériens"),
        ("1", "un dinar algérien"),
        ("1000000", "un million de dinars algériens"),
        ("2000000.01", "deux millions de dinars algériens et un centime"),
        ("119000", "cent dix-neuf mille dinars algériens"),
    ],
)
def test_amount_in_words(value, words):
    assert amount_in_words(Decimal(value)) == words


def test_working_days_and_holidays():
    cal = WorkingCalendar.load()
    assert cal.is_working_day(date(2026, 11, 26))  # a Thursday
    assert not cal.is_working_day(date(2026, 11, 27))  # Friday
    assert not cal.is_working_day(date(2026, 11, 28))  # Saturday
    assert not cal.is_working_day(date(2026, 11, 1))  # Revolution Day
    assert not cal.is_working_day(date(2026, 5, 27))  # Aïd el-Adha (shipped table)
    assert cal.next_working_day(date(2026, 11, 27)) == date(2026, 11, 29)  # Fri → Sun
    assert cal.next_working_day(date(2026, 5, 27)) == date(2026, 5, 31)  # Aïd 27–29 + Sat 30
    assert cal.week_end(date(2026, 11, 22)) == date(2026, 11, 26)
    assert cal.week_end(date(2026, 11, 28)) == date(2026, 11, 26)


def test_holiday_table_is_editable(tmp_path, monkeypatch):
    (tmp_path / "holidays.json").write_text('{"islamic": {"2026-12-03": "Test"}}', encoding="utf-8")
    monkeypatch.setenv("KHAZNA_HOME", str(tmp_path))
    cal = WorkingCalendar.load()
    assert not cal.is_working_day(date(2026, 12, 3))


def test_a_lone_sign_is_not_an_amount():
    for text in ("-", "+", "()", "Infinity", "NaN", "-inf", "1e5", "1E400"):
        with pytest.raises(MoneyError):
            parse_amount(text)
