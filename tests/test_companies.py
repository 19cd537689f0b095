"""The second company generator (issue 12) and its backtest scorer.

The generator's books must import as they are, hold the habits they claim (a truncated bundle
holds nothing after its cut-off), and the scorer must give the baselines their exact ratios.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from khazna.evals.companies import backtest
from khazna.evals.companies.generator import (
    AID_FITR,
    BOOKS_END,
    PROFILES,
    generate,
    is_working_day,
)

BY_KEY = {p.key: p for p in PROFILES}


def test_eight_companies_or_more_four_held_out() -> None:
    assert len(PROFILES) >= 8
    assert sum(p.held_out for p in PROFILES) == 4
    assert len({p.seed for p in PROFILES}) == len(PROFILES)


def test_same_seed_same_books() -> None:
    a, b = generate(BY_KEY["agro"]), generate(BY_KEY["agro"])
    assert a.bank_lines == b.bank_lines and a.threshold == b.threshold


def test_bank_moves_only_on_working_days() -> None:
    book = generate(BY_KEY["btp"])
    assert all(is_working_day(date.fromisoformat(r["date"])) for r in book.bank_lines)


def test_salaries_paid_before_aid_el_fitr() -> None:
    # Aïd el-Fitr 2026 is on 20 March, before the 25th: March salaries leave before it.
    book = generate(BY_KEY["agro"])
    march = [r for r in book.bank_lines if r["label"] == "VIR SALAIRES 03/2026"]
    assert len(march) == 1 and date.fromisoformat(march[0]["date"]) < AID_FITR[2026]
    april = [r for r in book.bank_lines if r["label"] == "VIR SALAIRES 04/2026"]
    assert april[0]["date"] == "2026-04-23"  # the 25th is a Saturday


def test_administration_pays_in_batches_before_december_close() -> None:
    book = generate(BY_KEY["etudes"])
    admins = {c["client_id"] for c in book.clients if c["kind"] == "administration"}
    paid = [date.fromisoformat(p["date"]) for p in book.payments if p["client_id"] in admins]
    assert any(d.month in (11, 12) and d.year == 2025 for d in paid)
    assert not any(d.month in (1, 2, 3) for d in paid)
    assert any(";" in p["invoice_number"] for p in book.payments if p["client_id"] in admins)


def test_big_client_pays_one_lump_every_two_months() -> None:
    book = generate(BY_KEY["btp"])
    big = next(c["client_id"] for c in book.clients if c["kind"] == "grand_compte")
    days = sorted(date.fromisoformat(p["date"]) for p in book.payments if p["client_id"] == big)
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    assert gaps and all(45 <= g <= 75 for g in gaps)


def test_new_client_has_no_history_early() -> None:
    book = generate(BY_KEY["imprimerie"])
    first = min(
        date.fromisoformat(i["issue_date"])
        for i in book.invoices
        if i["client_id"] == book.clients[-1]["client_id"]
    )
    assert BOOKS_END - timedelta(days=200) <= first


def test_truncated_bundle_imports_and_holds_nothing_later(tmp_path: Path) -> None:
    cut = date(2026, 3, 15)
    book = generate(BY_KEY["dentaire"])
    book.write(tmp_path / "b", until=cut)
    for name, col in [
        ("bank_lines.csv", "date"),
        ("invoices.csv", "issue_date"),
        ("payments.csv", "date"),
        ("expenses.csv", "date"),
    ]:
        with (tmp_path / "b" / name).open(encoding="utf-8") as fh:
            assert max(date.fromisoformat(r[col]) for r in csv.DictReader(fh)) <= cut
    khazna = str(Path(sys.executable).with_name("khazna"))
    db = f"sqlite:///{tmp_path / 'k.db'}"
    subprocess.run(
        [khazna, "import", str(tmp_path / "b"), "--db", db], check=True, capture_output=True
    )
    out = subprocess.run(
        [khazna, "forecast", "--as-of", cut.isoformat(), "--json", "--db", db],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    doc = json.loads(out)
    assert doc["opening_balance"] == pytest.approx(book.balances()[cut] / 100, abs=0.01)
    assert doc["threshold"] == book.threshold / 100


def _doc(cut: date, balances: list[float]) -> dict:
    days = [
        {"date": (cut + timedelta(days=k + 1)).isoformat(), "balance": b}
        for k, b in enumerate(balances)
    ]
    low = min(range(len(balances)), key=lambda k: balances[k])
    return {
        "days": days,
        "min_balance": balances[low],
        "min_balance_date": days[low]["date"],
        "opening_balance": 0,
        "threshold": 0,
    }


def test_scorer_gives_baselines_their_ratios() -> None:
    p = BY_KEY["agro"]
    book = generate(p)
    path = book.balances()
    cut = date(2026, 5, 10)
    real = [path[cut + timedelta(days=k)] / 100 for k in range(1, 31)]
    perfect = backtest.score_cut(p, path, book.threshold / 100, cut, _doc(cut, real))
    assert perfect.mae == 0 and perfect.low_err == 0 and perfect.low_day_err == 0
    flat = backtest.score_cut(p, path, book.threshold / 100, cut, _doc(cut, [path[cut] / 100] * 30))
    assert flat.mae == pytest.approx(flat.mae_flat) and flat.mae_flat > 0
    assert perfect.tension == (min(real) < book.threshold / 100) == perfect.alert


def test_scorer_counts_band_hits_and_reads_prob_as_share_or_per_cent() -> None:
    p = BY_KEY["agro"]
    book = generate(p)
    path = book.balances()
    cut = date(2026, 5, 10)
    real = [path[cut + timedelta(days=k)] / 100 for k in range(1, 31)]
    doc = _doc(cut, real)
    for k, day in enumerate(doc["days"]):  # the first 10 days hold the truth, the others miss
        lo = real[k] - 1 if k < 10 else real[k] + 1
        day["p10"], day["p90"] = str(lo), str(lo + 2)  # Decimal strings, as in-process callers
    doc["prob_below_threshold"] = 0.25
    r = backtest.score_cut(p, path, book.threshold / 100, cut, doc)
    assert (r.band_hits, r.band_days, r.prob_below) == (10, 30, 0.25)
    doc["prob_below_threshold"] = 25  # a per cent (forecasts before issue 12's calibration)
    assert backtest.score_cut(p, path, book.threshold / 100, cut, doc).prob_below == 0.25
    s = backtest.summarise([r])
    assert s["band_coverage"] == pytest.approx(1 / 3)
    assert s["brier"] == pytest.approx((0.25 - float(r.tension)) ** 2)
