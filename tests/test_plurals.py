"""Counts print with the noun in the right number, never 'facture(s)' (issue 13, part 3)."""

from datetime import date

from khazna.agents.assistant.render import render
from khazna.agents.assistant.tools import ExpensesResult
from khazna.text import count


def test_count_takes_the_right_number_per_language():
    assert count(0, "facture", "factures") == "0 facture"
    assert count(1, "facture impayée", "factures impayées") == "1 facture impayée"
    assert count(3, "facture impayée", "factures impayées") == "3 factures impayées"
    assert count(0, "invoice", "invoices", "en") == "0 invoices"
    assert count(1, "invoice", "invoices", "en") == "1 invoice"


def test_an_assistant_answer_says_one_or_several_in_words():
    from decimal import Decimal

    def res(n):
        return ExpensesResult(
            tool="expenses_without_receipt", value=n, items=[f"E{i}" for i in range(n)],
            start=date(2026, 11, 1), end=date(2026, 11, 30), total=Decimal("100.00") * n, count=n,
        )  # fmt: skip

    one, three = (render(res(n), "fr", date(2026, 11, 30)) for n in (1, 3))
    assert "1 dépense sans justificatif" in one and "3 dépenses sans justificatif" in three
    assert "(s)" not in one + three


def test_anomaly_kinds_are_counted_in_words():
    from khazna.tools.anomalies import KINDS

    assert KINDS["missing_receipt"].counted(1) == "1 justificatif manquant"
    assert KINDS["missing_receipt"].counted(3) == "3 justificatifs manquants"
    assert all("(s)" not in k.label_fr + k.counted(2) for k in KINDS.values())


def test_the_ids_past_the_shown_ones_are_counted_in_the_right_number():
    from khazna.agents.assistant.render import MAX_IDS, ids

    numbers = [f"F{i:04d}" for i in range(MAX_IDS + 4)]
    assert ids(numbers[: MAX_IDS + 1], "fr").endswith(" et 1 autre")  # was « et 1 autres »
    assert ids(numbers, "fr").endswith(" et 4 autres")
