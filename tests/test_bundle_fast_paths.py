"""The bundle import's fast paths (issue 16) read exactly what the general rules read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from khazna.ledger import bundle_spec as bs
from khazna.money import parse_plain


@pytest.mark.parametrize(
    "text",
    ["0", "-0", "12", "12.5", "12.50", "-1234567.89", "9999999999999.99", "0.01", "100.00"],
)
def test_plain_amounts_read_as_the_general_rule_reads_them(text: str) -> None:
    fast = bs.money(text)
    general = bs.exact_digits(parse_plain(text), text)
    assert fast == general and str(fast) == str(general)  # same value, same exponent


@pytest.mark.parametrize(
    "text", ["10000000000000", "1e5", "12.345", "1 000", "12,50", "", "+-1", "0x10"]
)
def test_amounts_outside_the_fast_path_still_refused(text: str) -> None:
    with pytest.raises(bs.Invalid):
        bs.money(text)


def test_leading_zeros_and_plus_sign_still_go_through_the_general_rule() -> None:
    assert bs.money("+0012.50") == Decimal("12.50")


def test_cached_dates_still_refuse_bad_ones_every_time() -> None:
    for _ in range(2):
        with pytest.raises(bs.Invalid):
            bs.iso_date("2026-02-30")
        with pytest.raises(bs.Invalid):
            bs.iso_date("1890-01-01")
    assert bs.iso_date("2026-02-28") == bs.iso_date("2026-02-28")
