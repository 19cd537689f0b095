"""The cash forecast and its backtest, on small ledgers whose answers are computed by hand.

Ledger: opening 2 000 000 on 2026-01-01; salaries (VIR SALAIRES) −300 000 on the 25th and
CNAS −50 000 on the 20th of Jan–Mar, one receipt +500 000: position on 2026-03-31 =
2 000 000 − 900 000 − 150 000 + 500 000 = 1 450 000. One open invoice of 200 000 due on
Friday 2026-04-10 from a client with no history (typical delay 0) → Sunday 04-12.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pydantic import ValidationError

from khazna.tools.backtest import backtest
from khazna.tools.forecast import ForecastError, forecast
from tests.test_receivables import load

AS_OF = date(2026, 3, 31)
COMPANY = {"name": "Test SARL", "opening_balance": 2000000.00, "opening_date": "2026-01-01"}
CLIENTS = [("C1", "Alpha PME", "pme")]
INVOICES = [("F1", "C1", "2026-03-11", "2026-04-10", "200000.00", "issued", "")]
BANK = [
    ("B1", "2026-01-20", "PRLV CNAS JANVIER 2026", "-50000.00"),
    ("B2", "2026-01-25", "VIR SALAIRES JANVIER", "-300000.00"),
    ("B3", "2026-02-10", "VIR RECU CLIENT X", "500000.00"),
    ("B4", "2026-02-20", "PRLV CNAS FEVRIER 2026", "-50000.00"),
    ("B5", "2026-02-25", "VIR SALAIRES FEVRIER", "-300000.00"),
    ("B6", "2026-03-20", "PRLV CNAS MARS 2026", "-50000.00"),
    ("B7", "2026-03-25", "VIR SALAIRES MARS", "-300000.00"),
]
SALARIES = ("K1", "Salaires du personnel", "salaires", "300000.00", "25", "1", "2026-01-01", "")


def make(
    tmp_path, url=None, *, commitments=(SALARIES,), threshold=500000, bank=BANK, invoices=INVOICES
):
    policy = None if threshold is None else {"treasury": {"safety_threshold": threshold}}
    return load(
        tmp_path,
        url,
        company=COMPANY,
        clients=CLIENTS,
        invoices=invoices,
        payments=[],
        bank_lines=bank,
        commitments=commitments,
        interactions=[],
        policy=policy,
    )


def balances(fc) -> dict[str, Decimal]:
    return {d.date.isoformat(): d.balance for d in fc.days}


def test_forecast_by_hand(db_url, tmp_path):
    with make(tmp_path, db_url).read() as s:
        fc = forecast(s, AS_OF, explain=True)
    assert fc.opening_balance == Decimal("1450000.00")
    b = balances(fc)
    assert b["2026-04-11"] == Decimal("1450000.00")
    assert b["2026-04-12"] == Decimal("1650000.00")  # invoice due Friday 10 → Sunday 12
    assert b["2026-04-20"] == Decimal("1600000.00")  # learned CNAS on the 20th (a Monday)
    assert b["2026-04-25"] == Decimal("1600000.00")  # salaries due Saturday 25 ...
    assert b["2026-04-26"] == Decimal("1300000.00")  # ... paid Sunday 26, once
    assert fc.min_balance == Decimal("1300000.00") and fc.min_balance_date == date(2026, 4, 26)
    assert fc.threshold == Decimal("500000") and fc.status == "ok"
    assert fc.excess_cash == Decimal("800000.00")
    kinds = {(f.kind, f.source) for f in fc.flows}
    assert ("commitment", "K1") in kinds and ("learned", "PRLV CNAS") in kinds
    assert not any(
        f.kind == "learned" and "SALAIRES" in f.source for f in fc.flows
    )  # no double count
    twin = [f for f in fc.left_out if f.kind == "learned"]
    assert twin and "K1" in twin[0].detail and twin[0].evidence == ["B2", "B5", "B7"]
    assert not any(f.kind == "background" for f in fc.flows)  # every debit is explained


def test_learned_salaries_count_when_no_commitment(db_url, tmp_path):
    with make(tmp_path, db_url, commitments=()).read() as s:
        fc = forecast(s, AS_OF, explain=True)
    learned = [f for f in fc.flows if f.kind == "learned" and f.source == "VIR SALAIRES"]
    assert [(f.date, f.amount) for f in learned] == [(date(2026, 4, 26), Decimal("-300000.00"))]
    assert balances(fc)["2026-04-30"] == Decimal("1300000.00")


@pytest.mark.parametrize(
    ("threshold", "extra", "status", "excess"),
    [
        (1300000, None, "ok", "0"),  # at the threshold is ok
        (1300001, None, "a_surveiller", "0"),
        (
            0,
            ("K2", "Achat machine", "equipement", "1400000.00", "28", "1", "2026-04-01", ""),
            "tension",
            "0",
        ),
    ],
)
def test_status_thresholds(db_url, tmp_path, threshold, extra, status, excess):
    commitments = (SALARIES,) + ((extra,) if extra else ())
    with make(tmp_path, db_url, threshold=threshold, commitments=commitments).read() as s:
        fc = forecast(s, AS_OF)
    assert fc.status == status and fc.excess_cash == Decimal(excess)
    if extra:  # 1 300 000 − 1 400 000 on Tuesday 04-28
        assert fc.min_balance == Decimal("-100000.00") and fc.days[-1].status == "tension"
        assert fc.days[0].status == "ok"


def test_default_threshold_is_a_month_of_fixed_outflows(db_url, tmp_path):
    with make(tmp_path, db_url, threshold=None).read() as s:
        fc = forecast(s, AS_OF)
    assert fc.threshold == Decimal("350000.00")  # salaries (commitment) + CNAS (learned)


def test_holiday_shift(db_url, tmp_path):
    # Aïd el-Adha 2026-05-27..29 (Wed–Fri), then Saturday: a flow due on the 27th lands on Sunday 31.
    k = ("K3", "Loyer", "loyer", "100000.00", "27", "1", "2026-01-01", "")
    with make(tmp_path, db_url, commitments=(k,)).read() as s:
        fc = forecast(s, date(2026, 5, 20), explain=True)
    rent = [f for f in fc.flows if f.source == "K3"]
    assert [f.date for f in rent] == [date(2026, 5, 31)]


def test_bad_input(db_url, tmp_path):
    ledger = make(tmp_path, db_url, bank=[])
    with ledger.read() as s:
        with pytest.raises(ForecastError, match="avant le début des comptes"):
            forecast(s, date(2025, 12, 31))
        fc = forecast(s, AS_OF)
    assert fc.opening_balance == Decimal("2000000.00")
    assert any("no bank lines" in n for n in fc.notes)


def test_forecast_cli(db_url, tmp_path, capsys):
    from khazna.cli import main

    ledger = make(tmp_path, db_url)
    assert main(["forecast", "--db", ledger.url, "--as-of", "2026-03-31", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {
        "as_of",
        "horizon_days",
        "opening_balance",
        "threshold",
        "status",
        "min_balance",
        "min_balance_date",
        "excess_cash",
        "days",
    }
    assert doc["excess_cash"] == 800000 and len(doc["days"]) == 30
    assert set(doc["days"][0]) >= {"date", "inflows", "outflows", "balance", "status"}
    assert main(["forecast", "--db", ledger.url, "--as-of", "2025-06-01"]) == 1
    assert "avant le début des comptes" in capsys.readouterr().err


def test_backtest_scores_against_baselines(db_url, tmp_path):
    # 10 000 DA spent on every working day: the forecast's background spending is exact

    from khazna.calendar_dz import WorkingCalendar

    cal = WorkingCalendar.load()
    bank, d = [], date(2026, 1, 1)
    while d <= date(2026, 6, 30):
        if cal.is_working_day(d):
            bank.append((f"B{d:%m%d}", d.isoformat(), f"CARTE CIB ACHAT {d:%d%m}", "-10000.00"))
        d += timedelta(days=1)
    with make(tmp_path, db_url, bank=bank, invoices=[], commitments=()).read() as s:
        rep = backtest(s, cutoffs=1)
        rep3 = backtest(s, cutoffs=3)
    (c,) = rep.cutoffs
    assert c.cutoff == date(2026, 5, 31)  # last line 06-30 minus the 30-day horizon
    assert c.mae_forecast == 0
    spent = [
        sum(10000 for j in range(1, k + 1) if cal.is_working_day(c.cutoff + timedelta(days=j)))
        for k in range(1, 31)
    ]
    assert c.mae_flat == (Decimal(sum(spent)) / 30).quantize(Decimal("0.01"))
    assert rep.beats_flat and rep.mae_repeat > 0
    assert [x.cutoff for x in rep3.cutoffs] == [
        date(2026, 5, 1),
        date(2026, 5, 16),
        date(2026, 5, 31),
    ]


def test_batch_payer_settles_due_invoices_together():
    from khazna.tools.forecast import _batch_flows
    from khazna.tools.payment_profiles import PaymentProfile
    from khazna.tools.receivables import OpenInvoice

    def inv(n, due):
        return OpenInvoice(
            number=n,
            client_id="C2",
            issue_date=due,
            due_date=due,
            total_ttc=Decimal(100),
            open_amount=Decimal(100),
            days_past_due=0,
            bucket="not_due",
        )

    p = PaymentProfile(
        client_id="C2",
        batch_payer=True,
        batch_interval_days=60,
        min_days_late=40,
        last_payment=date(2026, 2, 10),
    )
    items = [inv("A", date(2026, 2, 1)), inv("B", date(2026, 3, 1)), inv("C", date(2026, 3, 20))]
    paid_on = [date(2025, 12, 12), date(2026, 2, 10)]  # 60 days apart, 49 days ago
    flows = _batch_flows(items, p, paid_on, AS_OF, 30)
    # next batch 2026-04-11 (a gap like its last one) pays what is due 40 days before (A, B);
    # C waits for a later batch; each weighted by the 75 % chance it pays within 30 days (its
    # one gap, longer than 49 days, ended within 30 more: (1 + 0.5) / (1 + 1))
    assert [(f.source, f.date, f.amount) for f in flows] == [
        ("A", date(2026, 4, 11), Decimal("75.00")),
        ("B", date(2026, 4, 11), Decimal("75.00")),
    ]
    # dated by the same weeks of a past year whose batch paid invoices 25 days before their
    # due date: C (due 22 days after the batch) comes with A and B
    flows = _batch_flows(items, p, paid_on, AS_OF, 30, past_lag=-25)
    assert [f.source for f in flows] == ["A", "B", "C"]
    flows = _batch_flows(items, p, paid_on, AS_OF, 30, past_lag=60)  # never later than usual
    assert [f.source for f in flows] == ["A", "B"]
    # its past batch (2026-02-10) settled half of an invoice 70 days past due and nothing of
    # one 45 days past due: A (69 days past due on the batch day) for half, shrunk toward the
    # rule by one invoice (0.75), B (41 days) for (0 + 1) / 2; C, too young, still left out
    past = [(date(2026, 2, 10), 70, 100_000, 50_000), (date(2026, 2, 10), 45, 100_000, 0)]
    flows = _batch_flows(items, p, paid_on, AS_OF, 30, past=past)
    assert [(f.source, f.amount) for f in flows] == [
        ("A", Decimal("56.25")),
        ("B", Decimal("37.50")),
    ]


def test_flows_are_immutable(tmp_path):
    with make(tmp_path).read() as s:
        fc = forecast(s, AS_OF, explain=True)
    f = fc.flows[0]
    with pytest.raises(ValidationError):
        f.amount = Decimal(0)
    moved = f.model_copy(update={"amount": Decimal(0)})
    assert moved.amount == 0 and f.amount != 0


def test_an_occurrence_paid_early_is_not_due_again():
    from types import SimpleNamespace

    from khazna.tools.forecast import _paid_occurrence

    salaries = SimpleNamespace(day_of_month=25, every_months=1)
    anchor = date(2024, 1, 25)
    # March salaries advanced before Aïd el-Fitr (2026-03-20): the 25th of March is paid
    assert _paid_occurrence(salaries, anchor, date(2026, 3, 17)) == date(2026, 3, 25)
    rent = SimpleNamespace(day_of_month=30, every_months=1)
    # March rent paid late on April 2nd: April's is still due
    assert _paid_occurrence(rent, date(2024, 1, 30), date(2026, 4, 2)) == date(2026, 3, 30)
    quarterly = SimpleNamespace(day_of_month=10, every_months=3)
    assert _paid_occurrence(quarterly, date(2024, 1, 10), date(2026, 3, 28)) == date(2026, 4, 10)


def _season_books(slow_days: int) -> tuple[list, list]:
    """Two clients, an invoice every 5 days from 2024-04-01, paid 10 days late, except those
    expected in the 30 days after 2025-03-31 (the same weeks one year before AS_OF), paid
    ``slow_days`` later still."""
    invoices, payments = [], []
    window = (AS_OF - timedelta(days=365), AS_OF - timedelta(days=335))
    for n in range(140):
        for cid in ("C1", "C2"):
            due = date(2024, 4, 1) + timedelta(days=5 * n)
            expected = due + timedelta(days=10)
            paid = expected + timedelta(days=slow_days if window[0] < expected <= window[1] else 0)
            if paid > AS_OF:
                continue
            num = f"F{cid}-{n}"
            invoices.append(
                (num, cid, str(due - timedelta(days=30)), str(due), "1000.00", "issued", "")
            )
            payments.append((f"P{num}", str(paid), cid, num, "1000.00", "virement", "cleared"))
    return invoices, payments


@pytest.mark.parametrize(("slow", "shift"), [(0, 0), (12, 12), (3, 0)])
def test_season_shift_reads_the_same_weeks_of_last_year(db_url, tmp_path, slow, shift):
    from khazna.tools.forecast import season_shift

    invoices, payments = _season_books(slow)
    led = load(
        tmp_path,
        db_url,
        company=COMPANY | {"opening_date": "2024-01-01"},
        clients=[*CLIENTS, ("C2", "Beta SPA", "pme")],
        invoices=invoices,
        payments=payments,
        bank_lines=[],
        commitments=[],
        interactions=[],
        policy=None,
    )
    with led.read() as s:
        assert season_shift(s, AS_OF, 30, set()) == shift  # under 5 days: noise, 0
        assert season_shift(s, AS_OF, 30, {"C1", "C2"}) == 0  # batch payers are not read


def test_a_bank_recurrence_the_books_class_as_a_commitment_is_counted_once(db_url, tmp_path):
    # a quarterly rent paid to the landlord's company: the wording names no category, the
    # books (categorize: the commitment's schedule) class its lines as rent → K4's twin
    rent = [
        (f"R{i}", d, "VIR EMIS SCI EL BARAKA", "-540000.00")
        for i, d in enumerate(["2026-01-05", "2026-04-05", "2026-07-05", "2026-10-05"])
    ]
    k4 = ("K4", "Loyer du siège", "loyer", "540000.00", "5", "3", "2026-01-01", "")
    as_of = date(2026, 12, 10)
    with make(tmp_path, db_url, commitments=(k4,), bank=rent, invoices=()).read() as s:
        fc = forecast(s, as_of, explain=True)
    out = [f for f in fc.flows if f.amount < 0 and f.kind in ("commitment", "learned")]
    assert [(f.kind, f.source, f.date, f.amount) for f in out] == [
        ("commitment", "K4", date(2027, 1, 5), Decimal("-540000.00"))
    ]
    assert "VIR EMIS SCI" in out[0].detail and out[0].evidence == ["R0", "R1", "R2", "R3"]
    twin = [f for f in fc.left_out if f.kind == "learned"]
    assert twin and "déjà prévu par l'échéance K4" in twin[0].detail
    # a commitment of another day of the month is not the same obligation: the bank's stays
    k4_20 = (*k4[:4], "20", *k4[5:])
    with make(tmp_path / "b", commitments=(k4_20,), bank=rent, invoices=()).read() as s:
        fc = forecast(s, as_of, explain=True)
    assert [f.source for f in fc.flows if f.kind == "learned"] == ["VIR EMIS SCI"]
    assert not [f for f in fc.left_out if f.kind == "learned"]


def test_stale_books_keep_everyday_spending_and_say_where_they_stop(db_url, tmp_path):
    # every day 10 000 DA of card payments up to 30/06; as of 31/08 the books are two
    # months old: the spending of the last weeks known is still projected, with a note
    day0 = date(2026, 1, 1)
    bank = [
        (f"B{i}", (day0 + timedelta(days=i)).isoformat(), f"PAIEMENT CARTE {i}", "-10000.00")
        for i in range((date(2026, 6, 30) - day0).days + 1)
    ]
    with make(tmp_path, db_url, commitments=(), bank=bank, invoices=()).read() as s:
        fresh = forecast(s, date(2026, 6, 30))
        stale = forecast(s, date(2026, 8, 31))
    spent = {fc.as_of: sum(d.outflows for d in fc.days) for fc in (fresh, stale)}
    assert spent[fresh.as_of] > 0 and not fresh.notes
    assert abs(spent[stale.as_of] - spent[fresh.as_of]) <= spent[fresh.as_of] * Decimal("0.2")
    assert stale.opening_balance == fresh.opening_balance
    assert len(stale.notes) == 1 and "30/06/2026" in stale.notes[0]
