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


def _indexes(ledger) -> set[str]:
    from sqlalchemy import text

    with ledger.read() as s:
        return set(s.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")))


def test_deferred_indexes_come_back_and_a_refused_bundle_keeps_them(tmp_path, monkeypatch) -> None:
    """Secondary indexes of empty tables are dropped during the load and rebuilt after it
    (every file counts as large here); a refused bundle rolls the drop back with the rows."""
    from sqlalchemy import func, select

    from khazna.ledger import bundle
    from khazna.ledger.db import Ledger
    from khazna.ledger.models import BankLine, Invoice
    from tests.bundles import FILES, write_bundle

    monkeypatch.setattr(bundle, "DEFER_INDEXES_BYTES", 0)
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.db'}")
    schema = _indexes(ledger)
    assert {"ix_bank_lines_date", "ix_invoices_due_date"} <= schema
    bad = FILES["commitments.csv"] + "K02,Loyer,loyer,-5,5,1,2026-01-01,\n"  # the last file read
    with pytest.raises(bundle.BundleError) as err:
        bundle.import_bundle(ledger, write_bundle(tmp_path / "bad", **{"commitments.csv": bad}))
    assert any(p.startswith("commitments.csv:3: amount:") for p in err.value.problems)
    assert _indexes(ledger) == schema
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(BankLine)) == 0
    report = bundle.import_bundle(ledger, write_bundle(tmp_path / "good"))
    assert report.counts["bank_lines.csv"] == 5 and _indexes(ledger) == schema
    with ledger.read() as s:
        assert s.scalar(select(func.count()).select_from(Invoice)) == 4
        raw = s.connection().connection.driver_connection
        assert raw.execute("PRAGMA cache_size").fetchone()[0] == -2000  # given back


def test_remembered_fingerprints_are_the_statement_fingerprints() -> None:
    from datetime import date

    from khazna.ledger.fingerprints import Fingerprints, fingerprint

    fp = Fingerprints()
    for args in [("main", date(2026, 1, 2), -123450, "PRLV  Sonelgaz", ""),
                 ("main", date(2026, 1, 2), -123450, "PRLV  Sonelgaz", "REF 1"),
                 ("BNA 01", date(2026, 1, 3), 5, "Virement reçu Élise", "x")] * 2:  # fmt: skip
        assert fp(*args) == fingerprint(*args)


@pytest.mark.parametrize(
    "refs",
    [
        ["VIR 001", "", "chq  12", "Ref-9"],
        ["A\tB", "x"],
        [" a", "b "],
        ["É", "e"],
        ["a\x1fb"],
        ["X"],
    ],
)
def test_fingerprints_of_columns_are_the_fingerprints_of_rows(refs: list[str]) -> None:
    """Fingerprints.many (labels and references normalised once, plain ASCII ones lowered
    all at once) gives each line the digest fingerprint() gives it."""
    from datetime import date

    from khazna.ledger.fingerprints import Fingerprints, fingerprint

    n = len(refs)
    accounts = (["main", "BNA  01"] * n)[:n]
    days = ([date(2026, 1, 2), "2026-01-03"] * n)[:n]
    labels, cents = (["PRLV  Sonelgaz", "Reçu Élise"] * n)[:n], ([-123450, 5] * n)[:n]
    got = Fingerprints().many(accounts, days, cents, labels, refs)
    rows = zip(accounts, days, cents, labels, refs, strict=True)
    assert got == [fingerprint(*row) for row in rows]
