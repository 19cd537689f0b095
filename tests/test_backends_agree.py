"""The same books give the same answers whatever order their rows were written in and
whatever the back end: nothing may rest on SQLite's rowid order, PostgreSQL's heap or join
order, or on LIKE's case rules (case-insensitive on SQLite, not on PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

from khazna.tools.categorize import categorize_lines
from khazna.tools.forecast import forecast
from tests.test_receivables import load

AS_OF = date(2026, 3, 31)
COMPANY = {"name": "Test SARL", "opening_balance": 1000000.00, "opening_date": "2026-01-01"}
CLIENTS = [("C1", "Alpha PME", "pme")]
# two receipts of 1 000 on one day and two payments of 1 000 that day: a tie the matching
# must break the same way every time (by date, then id)
PAYMENTS = [
    ("P1", "2026-03-01", "C1", "", "1000.00", "virement", "cleared"),
    ("P2", "2026-03-01", "C1", "", "1000.00", "virement", "cleared"),
]
BANK = [
    ("B1", "2026-03-01", "VIR RECU ALPHA", "1000.00"),
    ("B2", "2026-03-01", "VIR RECU ALPHA", "1000.00"),
    ("B3", "2026-03-10", "PRLV LOYER MARS", "-80000.00"),
] + [  # a cheque returned every week: not everyday spending, whatever the case of its label
    (
        f"R{w}",
        (AS_OF - timedelta(days=7 * w + 1)).isoformat(),
        f"{{returned}} CHQ 00{w}",
        "-5000.00",
    )
    for w in range(10)
]


def _books(tmp_path, url, *, reverse: bool, returned: str = "IMPAYE"):
    bank = [(i, d, label.format(returned=returned), a) for i, d, label, a in BANK]
    return load(
        tmp_path,
        url,
        company=COMPANY,
        clients=CLIENTS,
        invoices=[],
        payments=PAYMENTS,
        bank_lines=bank[::-1] if reverse else bank,
        interactions=[],
    )


def test_matching_does_not_depend_on_the_order_rows_were_written(db_url, another_db_url, tmp_path):
    forward = _books(tmp_path / "a", db_url, reverse=False)
    backward = _books(tmp_path / "b", another_db_url, reverse=True)
    answers = []
    for ledger in (forward, backward):
        with ledger.read() as s:
            cat = categorize_lines(s)
        answers.append({cat.line_id[i]: cat.matched[i] for i in range(len(cat))})
        ledger.dispose()
    assert answers[0] == answers[1]
    assert {answers[0]["B1"], answers[0]["B2"]} == {"P1", "P2"}


def test_a_returned_cheque_is_found_whatever_the_case_of_its_label(
    db_url, another_db_url, tmp_path
):
    upper = _books(tmp_path / "a", db_url, reverse=False, returned="IMPAYE")
    mixed = _books(tmp_path / "b", another_db_url, reverse=False, returned="Impaye")
    balances = []
    for ledger in (upper, mixed):
        with ledger.read() as s:
            fc = forecast(s, AS_OF)
        balances.append([d.balance for d in fc.days])
        ledger.dispose()
    assert balances[0] == balances[1]
